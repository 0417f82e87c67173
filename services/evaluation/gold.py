"""Reading gold JSONL files (format: ../shared/data/dev/README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class GoldArticle:
    file: str
    outlet: str
    path: Path
    data: dict[str, Any]

    def text(self) -> str:
        return self.path.read_text("utf-8")


def read_gold(gold: Path, articles: Path | None = None) -> Iterator[GoldArticle]:
    """Gold records whose article file exists (by default in ``articles/`` beside the gold file)."""
    folder = articles or gold.parent / "articles"
    for number, line in enumerate(gold.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"{gold}:{number}: not JSON ({exc})") from None
        path = folder / data["file"]
        if not path.is_file():
            raise FileNotFoundError(
                f"{gold}:{number}: article file {path} not found; pass --articles DIR"
            )
        yield GoldArticle(data["file"], data.get("outlet", "unknown"), path, data)


def held_out(articles: list[GoldArticle], gold: Path) -> list[GoldArticle]:
    """The articles listed in ``SOURCES.tsv`` beside the gold: added after the extraction rules
    were written, so scores on them predict unseen news better than the full dev set does."""
    sources = gold.parent / "SOURCES.tsv"
    if not sources.is_file():
        return []
    listed = {line.split("\t", 1)[0] for line in sources.read_text("utf-8").splitlines()[1:]}
    return [a for a in articles if a.file in listed]
