"""Whatever bytes arrive, the stages decide an outcome: events, or a dead letter with a reason.

A generic exception would still be dead-lettered (as ``stage_error``), so nothing is lost; but it
is a bug, and these properties say that no input reaches one. The chaos harness sends a fixed
set of bad kinds through a real broker; Hypothesis explores the space between them here, where
a failure shrinks to a minimal input.
"""

from __future__ import annotations

import json

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.contracts.events import CleanArticle, ErrorKind, RawArticle
from services.contracts.ids import complete_raw
from services.enricher.pipeline import (
    DeadLetterError,
    clean_article,
    decode,
    encode,
    enrich_article,
)

# Arabic letters and words, markup, quotes, digits, and characters scrapers leave behind
# (zero-width, bidi marks, controls, tatweel, diacritics, lone surrogates' replacements).
TEXT = st.lists(
    st.sampled_from(
        [
            *"ابتثجحخدذرسشصضطظعغفقكلمنهوية",
            *(" ", "\n", "\r\n", "\t", "،", ".", '"', "«", "»", "؟", "0", "7", "٣", "%"),
            *("\u200b", "\u200f", "\u202e", "\x00", "\x1b", "ـ", "ّ", "\ufffd", "\u2028"),
            *("<p>", "</p>", "<div>", "<script>x</script>", "&amp;", "<!--", "<br/>", "<a href='"),
            *("قال ", "إن ", "الرئيس ", "وزارة ", "مليون ", "اقرأ أيضا\n", "أخبار ذات صلة\n"),
        ]
    ),
    max_size=120,
).map("".join)

FIELD = st.one_of(
    TEXT, st.none(), st.integers(), st.booleans(), st.lists(st.integers(), max_size=3)
)

RAW_JSON = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=20), st.integers()),
        "source": FIELD,
        "url": FIELD,
        "title": FIELD,
        "content": FIELD,
        "content_type": st.sampled_from(
            ["text/plain", "text/html", "application/json", "application/pdf", "", "TEXT/HTML"]
        ),
        "published_at": st.sampled_from(["2025-04-02T10:00:00Z", "yesterday", "", "2025-13-45"]),
    },
)

KNOWN_REASONS = set(ErrorKind) - {ErrorKind.STAGE_ERROR}


def decide(value: bytes) -> str:
    """The raw and clean stages as the worker runs them: ``ok`` or the dead letter's reason."""
    try:
        raw = decode(value, RawArticle, max_bytes=300_000, prepare=complete_raw)
        article = clean_article(raw, max_lines=20_000)
        enrich_article(decode(encode(article), CleanArticle))
    except DeadLetterError as exc:
        # A dead letter says what was wrong; one that does not is no known outcome.
        return exc.kind.value if exc.message else f"{exc.kind.value} without a message"
    return "ok"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RAW_JSON)
def test_any_json_object_is_processed_or_dead_lettered_with_a_known_reason(
    data: dict[str, object],
) -> None:
    # The standard library writes integers beyond 64 bits, which some producers do.
    assert decide(json.dumps(data, ensure_ascii=False).encode()) in {"ok", *KNOWN_REASONS}


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_processed_or_dead_lettered_with_a_known_reason(value: bytes) -> None:
    assert decide(value) in {"ok", *KNOWN_REASONS}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["text/plain", "text/html"]))
def test_any_content_of_an_otherwise_valid_article_is_processed_or_has_no_body(
    content: str, content_type: str
) -> None:
    value = orjson.dumps({"source": "outlet", "content": content, "content_type": content_type})
    assert decide(value) in {"ok", "empty_body", "schema_violation"}
