"""What each stage does to one event, without Kafka: decode, transform, build outputs.

The Faust agents, ``rasd enrich`` (offline) and ``rasd bench`` all call these functions, so the
offline path is the streaming path minus the broker.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from services.arabic.analyze import Extraction, clean, extract
from services.arabic.claims import ClaimFound, PartyFound
from services.arabic.entities import EntityMention, find_entities
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

PIPELINE_VERSION = "0.1.0"
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
            ErrorKind.SCHEMA_VIOLATION,
            f"message of {len(value)} bytes exceeds RASD_MAX_CONTENT_BYTES={max_bytes}",
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


def clean_article(raw: RawArticle, now: datetime | None = None) -> CleanArticle:
    """The clean stage: title and body separated from boilerplate and glued articles."""
    cleaned = clean(raw.content, html=raw.content_type == ContentType.HTML, title=raw.title)
    seg = cleaned.segmented
    if not seg.text.strip() and not seg.appended:
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
        cleaned_at=now or datetime.now(UTC),
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


def enrich_article(article: CleanArticle, now: datetime | None = None) -> Enrichment:
    """The extract stage: entities and claims of a clean article."""
    found = extract(article.text, [(s.start, s.end) for s in article.sentences])
    title = article.title or ""
    in_title = find_entities(title, tokenize(title)) if title else []
    entities = _entities(
        article.id, [(m, True) for m in in_title] + [(m, False) for m in found.mentions]
    )
    claims = _claims(article.id, article.text, found)
    enriched = EnrichedArticle(
        **article.model_dump(),
        entities=entities,
        claims=claims,
        pipeline_version=PIPELINE_VERSION,
        processed_at=now or datetime.now(UTC),
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
    now: datetime | None = None,
) -> DeadLetter:
    raw = value or b""
    return DeadLetter(
        topic=topic,
        partition=partition,
        offset=offset,
        key=key.decode("utf-8", "replace") if key is not None else None,
        value_base64=base64.b64encode(raw).decode("ascii"),
        value_preview=raw[:2000].decode("utf-8", "replace")[:500],
        error_kind=kind,
        error=error,
        stage=stage,
        occurred_at=now or datetime.now(UTC),
    )
