"""Stage functions: decoding to dead letters, clean and extract outputs valid against schemas."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import jsonschema
import orjson
import pytest

from services.contracts.events import CleanArticle, ErrorKind, RawArticle, Stage
from services.enricher.pipeline import (
    DeadLetterError,
    appended_articles,
    clean_article,
    dead_letter,
    decode,
    encode,
    enrich_article,
)
from tests.conftest import REPO


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads((REPO / "schemas" / f"{name}.v1.json").read_bytes())
    return loaded


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (b"\xff\xfe\x00garbage", ErrorKind.UNDECODABLE),
        (b"{not json", ErrorKind.INVALID_JSON),
        (b"", ErrorKind.INVALID_JSON),
        (b'{"id": "x", "source": "s"}', ErrorKind.SCHEMA_VIOLATION),
        (
            b'{"id": "x", "source": "s", "content": "y", "content_type": "application/pdf"}',
            ErrorKind.SCHEMA_VIOLATION,
        ),
        (b"[1, 2]", ErrorKind.SCHEMA_VIOLATION),
    ],
)
def test_bad_values_become_dead_letter_errors(value: bytes, kind: ErrorKind) -> None:
    with pytest.raises(DeadLetterError) as caught:
        decode(value, RawArticle)
    assert caught.value.kind is kind
    assert caught.value.message


def test_boilerplate_only_article_is_an_empty_body(
    article_factory: Callable[..., RawArticle],
) -> None:
    raw = article_factory(content="أخبار ذات صلة\nخبر قصير\n02 أبريل 2025 03:24 م")
    with pytest.raises(DeadLetterError) as caught:
        clean_article(raw)
    assert caught.value.kind is ErrorKind.EMPTY_BODY


def test_clean_and_enriched_events_validate(
    seed_000: str, article_factory: Callable[..., RawArticle]
) -> None:
    article = clean_article(article_factory(content=seed_000))
    jsonschema.validate(orjson.loads(encode(article)), schema("article.clean"))
    result = enrich_article(article)
    jsonschema.validate(orjson.loads(encode(result.article)), schema("article.enriched"))
    for entity in result.entities:
        jsonschema.validate(orjson.loads(encode(entity)), schema("entity"))
        for mention in entity.mentions:
            source = (article.title or "") if mention.in_title else article.text
            assert source[mention.start : mention.end] == mention.text
    assert any(m.in_title for e in result.entities for m in e.mentions), "title entities count"
    for claim in result.claims:
        jsonschema.validate(orjson.loads(encode(claim)), schema("claim"))
        assert article.text[claim.content_start : claim.content_end] == claim.content
    assert decode(encode(article), CleanArticle) == article


def test_glued_article_is_re_emitted_with_a_link_to_its_page(
    seed_004: str, article_factory: Callable[..., RawArticle]
) -> None:
    article = clean_article(article_factory(id="page-1", content=seed_004))
    [glued] = appended_articles(article)
    assert glued.parent_id == "page-1"
    assert glued.id == article.appended[0].id == "page-1~1"
    assert glued.title is not None
    assert "نيويورك تايمز" in glued.title


def test_dead_letter_keeps_the_original_bytes() -> None:
    letter = dead_letter(
        topic="articles.raw",
        partition=2,
        offset=7,
        key=b"k",
        value=b"\xff\x00",
        stage=Stage.CLEAN,
        kind=ErrorKind.UNDECODABLE,
        error="not UTF-8",
    )
    assert base64.b64decode(letter.value_base64) == b"\xff\x00"
    jsonschema.validate(orjson.loads(encode(letter)), schema("deadletter"))


def test_the_same_input_gives_identical_events_and_ids(
    article_factory: Callable[..., RawArticle],
) -> None:
    """A re-delivered article (at-least-once) is re-processed into the very same events."""
    from services.contracts.cloudevents import make_headers, read_headers

    raw = article_factory(content=(REPO / "seeds" / "000_5576086d5ce9dbd0.txt").read_text("utf-8"))
    first, again = encode(clean_article(raw)), encode(clean_article(raw))
    assert first == again
    enriched = [encode(enrich_article(clean_article(raw)).article) for _ in range(2)]
    assert enriched[0] == enriched[1]
    ids = {read_headers(make_headers("article.enriched", raw.id, e))["ce_id"] for e in enriched}
    assert len(ids) == 1
