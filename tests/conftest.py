"""Shared fixtures: paths to the shipped seeds and a factory for raw articles."""

from __future__ import annotations

import lzma
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import settings

from services.contracts.events import RawArticle

# CI explores the same examples every run (a red CI must be reproducible); locally Hypothesis
# keeps searching new ones.
settings.register_profile("ci", derandomize=True, max_examples=200, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_000 = SEEDS / "000_5576086d5ce9dbd0.txt"
SEED_004 = SEEDS / "004_f50f1b3392bf92eb.txt"


@pytest.fixture
def article_factory() -> Callable[..., RawArticle]:
    def make(**overrides: Any) -> RawArticle:
        fields: dict[str, Any] = {
            "id": "test-article",
            "source": "test",
            "content": (
                "قال الرئيس إن الاجتماع كان مثمراً.\n"
                "وأضاف أن المفاوضات ستستمر الأسبوع المقبل في القاهرة."
            ),
        }
        fields.update(overrides)
        return RawArticle.model_validate(fields)

    return make


@pytest.fixture(scope="session")
def seed_000() -> str:
    return SEED_000.read_text("utf-8")


@pytest.fixture(scope="session")
def seed_004() -> str:
    return SEED_004.read_text("utf-8")


def require_tool(name: str, package: str) -> str:
    """Path of an external tool from a Debian package that ops/test.sh installs.

    Missing on CI is a failure (the install step is broken); missing locally is a skip that says
    how to get it.
    """
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; ops/test.sh installs Debian's {package}")
        pytest.skip(f"{name} not installed (apt-get install {package}; ops/test.sh does)")
    return found


def write_corpus(path: Path, texts: Sequence[str]) -> None:
    """A tiny news corpus in the format of ../shared/data/corpus (JSONL, xz)."""
    lines = b"".join(orjson.dumps({"outlet": "x", "title": "", "text": t}) + b"\n" for t in texts)
    path.write_bytes(lzma.compress(lines))
