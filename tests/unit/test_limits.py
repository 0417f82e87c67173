"""Size limits: oversized inputs and events become dead letters that always fit; the limits are
one coherent set."""

from __future__ import annotations

import base64
import hashlib

import orjson
import pytest
from pydantic import ValidationError

from services.contracts.events import ErrorKind, RawArticle, Stage
from services.enricher.pipeline import (
    DeadLetterError,
    clean_article,
    dead_letter,
    decode,
    encode,
    has_visible_text,
)
from services.enricher.settings import Settings


def letter_of(value: bytes, max_bytes: int) -> bytes:
    return encode(
        dead_letter(
            topic="articles.raw",
            partition=1,
            offset=7,
            key=b"k" * 10_000,
            value=value,
            stage=Stage.CLEAN,
            kind=ErrorKind.TOO_LARGE,
            error="x" * 50_000,
            max_bytes=max_bytes,
        )
    )


def test_an_oversized_value_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(DeadLetterError) as caught:
        decode(b"\xff" * 2_000, RawArticle, max_bytes=1_000)
    assert caught.value.kind is ErrorKind.TOO_LARGE
    assert "RASD_MAX_CONTENT_BYTES=1000" in caught.value.message


@pytest.mark.parametrize("size", [0, 10, 700_000, 750_000, 1_000_000, 20_000_000])
def test_a_dead_letter_always_fits_and_carries_the_bytes_when_they_fit(size: int) -> None:
    value = ("ن" * (size // 2)).encode()[:size]
    encoded = letter_of(value, 1_000_000)
    assert len(encoded) <= 1_000_000
    letter = orjson.loads(encoded)
    assert letter["value_size"] == len(value)
    assert letter["value_sha256"] == hashlib.sha256(value).hexdigest()
    assert len(letter["value_preview"]) <= 500
    assert len(letter["error"]) <= 1_001
    assert len(letter["key"]) <= 201
    if size <= 700_000:
        assert base64.b64decode(letter["value_base64"]) == value
    if size >= 750_000:
        assert letter["value_base64"] is None, "only a reference"


def test_the_content_limit_cannot_exceed_the_message_limit() -> None:
    with pytest.raises(ValidationError, match="lower RASD_MAX_CONTENT_BYTES"):
        Settings(max_content_bytes=2_000_000, max_message_bytes=1_000_000)


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("\u200b\u200c\u200d\ufeff\u2060", False),
        ("\x00\x07\x1b\u202e\u00ad \n\t", False),
        ("... !!! ---", False),
        ("قال", True),
        ("\u200b2024", True),
    ],
)
def test_only_letters_and_digits_count_as_text(text: str, visible: bool) -> None:
    assert has_visible_text(text) is visible


def test_a_content_of_too_many_lines_is_refused_before_cleaning() -> None:
    raw = RawArticle(id="x", source="s", content="سطر\n" * 50_000)
    with pytest.raises(DeadLetterError) as caught:
        clean_article(raw, max_lines=20_000)
    assert caught.value.kind is ErrorKind.TOO_LARGE
    assert "50001 lines, over RASD_MAX_CONTENT_LINES=20000" in caught.value.message
