"""What each stage does to one event, without Kafka: decode, transform, build outputs.

The Faust agents, ``rasd enrich`` (offline) and ``rasd bench`` all call these functions, so the
offline path is the streaming path minus the broker.
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from services.arabic.analyze import Extraction, clean, extract
from services.arabic.claims import ClaimFound, PartyFound
from services.arabic.entities import EntityMention, find_entities, link_to
from services.arabic.tokenize import tokenize
from services.contracts.events import (
    AppendedArticle,
    Claim,
    CleanArticle,
    ContentType,
    DeadLetter,
    EnrichedArticle,
    Entity,
    ErrorKind,
    Mention,
    Party,
    Quantity,
    RawArticle,
    RemovedBlock,
    Stage,
    TextSpan,
)

# 0.2.0: no processing times in event bodies (a re-delivered event is identical, same ce_id).
PIPELINE_VERSION = "0.2.0"
# What a dead letter adds around the original value: fields, preview (500 characters of up to
# 4 bytes each), error text (bounded below) and the record's key and headers.
DEAD_LETTER_OVERHEAD = 8_192
ERROR_CHARS = 1_000
KEY_CHARS = 200
# Kafka record and batch framing around key, value and headers.
RECORD_OVERHEAD = 256
Model = TypeVar("Model", bound=BaseModel)


class DeadLetterError(Exception):
    """An input that cannot be processed; it goes to the dead-letter topic with this reason."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def encode(event: BaseModel) -> bytes:
    return orjson.dumps(event.model_dump(mode="json"))


def decode(
    value: bytes | None,
    model: type[Model],
    *,
    max_bytes: int = 2_000_000,
    prepare: Callable[[Any], Any] | None = None,
) -> Model:
    """Bytes off a topic to a validated event, or a ``DeadLetterError`` saying what is wrong.

    ``prepare`` may fill in what producers may leave out before validation
    (``contracts.ids.complete_raw`` for ``article.raw``).
    """
    if not value:
        raise DeadLetterError(ErrorKind.INVALID_JSON, "empty message value; expected a JSON object")
    if len(value) > max_bytes:
        raise DeadLetterError(
            ErrorKind.TOO_LARGE,
            f"value of {len(value)} bytes is over RASD_MAX_CONTENT_BYTES={max_bytes}; split the "
            "article or raise the limit (at most RASD_MAX_MESSAGE_BYTES)",
        )
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeadLetterError(
            ErrorKind.UNDECODABLE,
            f"value is not UTF-8 ({exc.reason} at byte {exc.start}); publish UTF-8 encoded JSON",
        ) from None
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise DeadLetterError(ErrorKind.INVALID_JSON, f"value is not JSON: {exc}") from None
    try:
        return model.model_validate(prepare(data) if prepare is not None else data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise DeadLetterError(
            ErrorKind.SCHEMA_VIOLATION, f"not a valid {model.__name__}: {problems}"
        ) from None


def has_visible_text(text: str) -> bool:
    """Whether ``text`` has a letter or a digit (not only spaces, zero-width or control
    characters, punctuation or symbols)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def clean_article(raw: RawArticle, max_lines: int | None = None) -> CleanArticle:
    """The clean stage: title and body separated from boilerplate and glued articles.

    ``max_lines`` bounds the work before it starts: cleaning time grows with the number of
    lines (a 200,000-line text took 27 s), so a longer content is refused as ``too_large``.
    """
    if max_lines is not None:
        lines = raw.content.count("\n") + 1
        if lines > max_lines:
            raise DeadLetterError(
                ErrorKind.TOO_LARGE,
                f"content has {lines} lines, over RASD_MAX_CONTENT_LINES={max_lines}; an article "
                "has hundreds at most: check the scraper's output, or raise the limit",
            )
    if not has_visible_text(raw.content):
        raise DeadLetterError(
            ErrorKind.EMPTY_BODY,
            "content has no letter or digit (only spaces, zero-width or control characters); "
            "check the scraper's output for this source",
        )
    cleaned = clean(raw.content, html=raw.content_type == ContentType.HTML, title=raw.title)
    seg = cleaned.segmented
    if not has_visible_text(seg.text) and not seg.appended:
        raise DeadLetterError(
            ErrorKind.EMPTY_BODY,
            "no article text left after cleaning: the content is only boilerplate "
            "or markup; check the scraper's selector for this source",
        )
    appended = [
        AppendedArticle(id=appended_id(raw.id, n), title=a.title, text=a.text, marker=a.marker)
        for n, a in enumerate(seg.appended, start=1)
    ]
    return CleanArticle(
        **raw.model_dump(exclude={"title"}),
        title=cleaned.title,
        text=seg.text,
        paragraphs=[TextSpan(start=s, end=e) for s, e in seg.paragraphs],
        sentences=[TextSpan(start=s, end=e) for s, e in cleaned.sentences],
        removed=[
            RemovedBlock(kind=b.kind.value, text=b.text, start=b.start, end=b.end)
            for b in seg.removed
        ],
        appended=appended,
        content_hash=cleaned.content_hash,
    )


def appended_id(parent_id: str, n: int) -> str:
    return f"{parent_id}~{n}"


def appended_articles(article: CleanArticle) -> list[RawArticle]:
    """Glued articles as raw events of their own, linked to the page they came from."""
    return [
        RawArticle(
            id=a.id,
            source=article.source,
            url=article.url,
            title=a.title,
            content=a.text,
            content_type=ContentType.PLAIN,
            published_at=article.published_at,
            fetched_at=article.fetched_at,
            parent_id=article.id,
        )
        for a in article.appended
        if a.text.strip()
    ]


@dataclass(frozen=True, slots=True)
class Enrichment:
    article: EnrichedArticle
    entities: list[Entity]
    claims: list[Claim]


def enrich_article(article: CleanArticle) -> Enrichment:
    """The extract stage: entities and claims of a clean article."""
    found = extract(article.text, [(s.start, s.end) for s in article.sentences])
    title = article.title or ""
    in_title = link_to(find_entities(title, tokenize(title)), found.mentions) if title else []
    entities = _entities(
        article.id, [(m, True) for m in in_title] + [(m, False) for m in found.mentions]
    )
    claims = _claims(article.id, article.text, found)
    enriched = EnrichedArticle(
        **article.model_dump(),
        entities=entities,
        claims=claims,
        pipeline_version=PIPELINE_VERSION,
    )
    return Enrichment(enriched, entities, claims)


def _entities(article_id: str, mentions: list[tuple[EntityMention, bool]]) -> list[Entity]:
    """One entity per entity id, with its mentions in the title (flagged) and the text."""
    grouped: dict[str, list[tuple[EntityMention, bool]]] = defaultdict(list)
    for m, in_title in mentions:
        grouped[m.entry.entity_id].append((m, in_title))
    return [
        Entity(
            article_id=article_id,
            entity_id=entity_id,
            canonical=ms[0][0].entry.canonical,
            type=ms[0][0].entry.type,
            mentions=[
                Mention(start=m.start, end=m.end, text=m.text, in_title=in_title)
                for m, in_title in ms
            ],
        )
        for entity_id, ms in grouped.items()
    ]


def _party(party: PartyFound | None) -> Party | None:
    if party is None:
        return None
    return Party(
        text=party.text,
        start=party.start,
        end=party.end,
        entity_id=party.entity_id,
        resolved_from=party.resolved_from,
    )


def _claims(article_id: str, text: str, found: Extraction) -> list[Claim]:
    return [_claim(article_id, text, c) for c in found.claims]


def _claim(article_id: str, text: str, c: ClaimFound) -> Claim:
    digest = hashlib.sha256(f"{article_id}\0{c.kind}\0{c.content_start}\0{c.content_end}".encode())
    return Claim(
        claim_id=digest.hexdigest()[:24],
        article_id=article_id,
        kind=c.kind,
        speaker=_party(c.speaker),
        cue=c.cue,
        content=text[c.content_start : c.content_end],
        content_start=c.content_start,
        content_end=c.content_end,
        according_to=_party(c.according_to),
        quantities=[
            Quantity(
                value=q.value,
                unit=q.unit,
                qualifier=q.qualifier,
                what=text[q.what[0] : q.what[1]] if q.what else None,
                text=text[q.start : q.end],
                start=q.start,
                end=q.end,
            )
            for q in c.quantities
        ],
        sentence=TextSpan(start=c.sentence[0], end=c.sentence[1]),
        confidence=c.confidence,
        check_worthiness=c.check_worthiness,
    )


_WARM_UP_TEXT = (
    "عنوان\n\nقال وزير الخارجية إن الاجتماع في القاهرة كان مثمرا، وأضاف أن نحو 32 ألف شخص "
    "تضرروا، وفقا للسلطات الصحية.\nأخبار ذات صلة\nخبر آخر"
)


def warm_up() -> None:
    """Run one small article through both stages so that lexicons, the knowledge base and the
    tagger are loaded before the first real article (not inside its measured latency)."""
    raw = RawArticle(id="warm-up", source="rasd", content=_WARM_UP_TEXT)
    enrich_article(clean_article(raw))


def dead_letter(
    *,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    stage: Stage,
    kind: ErrorKind,
    error: str,
    max_bytes: int = 1_000_000,
    now: datetime | None = None,
) -> DeadLetter:
    """The dead letter of one input. It carries the original bytes when they fit in
    ``max_bytes`` (base64 and the rest of the letter included); otherwise only a reference to
    them (topic, partition, offset, size, sha256) and the preview, so it can always be written."""
    raw = value or b""
    fits = 4 * ((len(raw) + 2) // 3) + DEAD_LETTER_OVERHEAD <= max_bytes
    decoded_key = key.decode("utf-8", "replace") if key is not None else None
    if decoded_key is not None and len(decoded_key) > KEY_CHARS:
        decoded_key = decoded_key[:KEY_CHARS] + "…"
    return DeadLetter(
        topic=topic,
        partition=partition,
        offset=offset,
        key=decoded_key,
        value_base64=base64.b64encode(raw).decode("ascii") if fits else None,
        value_size=len(raw),
        value_sha256=hashlib.sha256(raw).hexdigest(),
        value_preview=raw[:2000].decode("utf-8", "replace")[:500],
        error_kind=kind,
        error=error if len(error) <= ERROR_CHARS else error[:ERROR_CHARS] + "…",
        stage=stage,
        occurred_at=now or datetime.now(UTC),
    )


def record_size(key: bytes, value: bytes, headers: list[tuple[str, bytes]]) -> int:
    """Bytes a record takes in a Kafka batch, framing included (an upper estimate)."""
    return len(key) + len(value) + sum(len(k) + len(v) + 8 for k, v in headers) + RECORD_OVERHEAD
