"""Turn files and folders into ``article.raw`` events, or into rejections that say why."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from services.contracts.events import ContentType, RawArticle
from services.contracts.ids import derive_id

SUPPORTED = (".txt", ".html", ".htm", ".json", ".jsonl")


@dataclass(frozen=True, slots=True)
class Rejection:
    origin: str  # path, with :line for JSONL
    reason: str  # machine-readable: unreadable, not_utf8, empty_body, bad_json, invalid_article
    message: str  # what was wrong and what to do


@dataclass(frozen=True, slots=True)
class Accepted:
    origin: str
    article: RawArticle


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file inside a folder that is not an article format (e.g. README.md, .DS_Store)."""

    origin: str
    message: str


Read = Accepted | Rejection | Skipped


def expand(paths: list[Path]) -> Iterator[Path | Rejection | Skipped]:
    """Files to read, folders walked recursively in name order; missing paths are rejections,
    files of other types inside folders are skipped (a file named explicitly is rejected)."""
    for path in paths:
        if path.is_dir():
            for p in sorted(p for p in path.rglob("*") if p.is_file()):
                if p.suffix.lower() in SUPPORTED:
                    yield p
                else:
                    yield Skipped(
                        str(p),
                        f"{p}: skipped, not {', '.join(SUPPORTED)} ({p.suffix or 'no suffix'})",
                    )
        elif path.is_file():
            yield path
        else:
            yield Rejection(str(path), "unreadable", f"{path}: no such file or folder")


def read_paths(paths: list[Path], source: str) -> Iterator[Read]:
    for item in expand(paths):
        if isinstance(item, Rejection | Skipped):
            yield item
        else:
            yield from read_file(item, source)


def read_file(path: Path, source: str) -> Iterator[Read]:
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield Rejection(
            origin,
            "unsupported",
            f"{origin}: unsupported file type {suffix!r}; use one of {', '.join(SUPPORTED)}",
        )
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Rejection(origin, "unreadable", f"{origin}: cannot read ({exc.strerror})")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Rejection(
            origin, "not_utf8", f"{origin}: not UTF-8 (byte {exc.start}); re-save it as UTF-8"
        )
        return
    if suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield _from_json(f"{origin}:{number}", line, source)
    elif suffix == ".json":
        yield from _from_json_document(origin, text, source)
    else:
        content_type = ContentType.HTML if suffix in (".html", ".htm") else ContentType.PLAIN
        yield _article(origin, {"content": text, "content_type": content_type.value}, source)


def _from_json_document(origin: str, text: str, source: str) -> Iterator[Read]:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        yield Rejection(origin, "bad_json", f"{origin}: invalid JSON ({exc})")
        return
    items = data if isinstance(data, list) else [data]
    for n, item in enumerate(items, start=1):
        where = f"{origin}[{n}]" if isinstance(data, list) else origin
        yield (
            _article(where, item, source)
            if isinstance(item, dict)
            else Rejection(
                where, "bad_json", f"{where}: expected a JSON object with at least 'content'"
            )
        )


def _from_json(origin: str, line: str, source: str) -> Read:
    try:
        item = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Rejection(origin, "bad_json", f"{origin}: bad JSON line ({exc})")
    if not isinstance(item, dict):
        return Rejection(
            origin, "bad_json", f"{origin}: expected a JSON object with at least 'content'"
        )
    return _article(origin, item, source)


def _article(origin: str, fields: dict[str, Any], source: str) -> Read:
    content = fields.get("content")
    if not isinstance(content, str) or not content.strip():
        return Rejection(
            origin, "empty_body", f"{origin}: empty article body ('content' is missing or blank)"
        )
    fields = {
        "source": source,
        "fetched_at": datetime.now(UTC).isoformat(),
        **fields,
    }
    fields.setdefault("id", derive_id(fields.get("url"), content))
    try:
        return Accepted(origin, RawArticle.model_validate(fields))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3]
        )
        return Rejection(origin, "invalid_article", f"{origin}: not a valid article ({problems})")
