"""Event contracts (v1): the single source of truth for every event Rasd reads or writes.

JSON Schemas under ``schemas/`` are generated from these models (``rasd schemas --write``) and a
test fails when they drift. Never change a v1 field's meaning: add a v2 model and a v2 topic.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ArticleId = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^\S+$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
Offset = Annotated[int, Field(ge=0)]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class ContentType(StrEnum):
    PLAIN = "text/plain"
    HTML = "text/html"


class RawArticle(_Event):
    """article.raw: an article as a producer scraped it."""

    id: ArticleId = Field(description="Stable article id; derived from url or content if absent.")
    source: NonEmpty = Field(description="Outlet or feed the article came from.")
    url: str | None = None
    title: str | None = None
    content: NonEmpty = Field(description="The article as scraped: plain text or HTML.")
    content_type: ContentType = ContentType.PLAIN
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    parent_id: str | None = Field(
        default=None, description="Set on articles split off a page that glued them to another."
    )


class TextSpan(_Event):
    start: Offset
    end: Offset


class RemovedBlock(_Event):
    """Boilerplate removed from the input, kept so nothing is silently lost."""

    kind: str = Field(description="related_links, read_also, timestamp, caption, byline, ...")
    text: str
    start: Offset = Field(description="Offset into the surface-normalized input.")
    end: Offset


class AppendedArticle(_Event):
    """A second article found glued after the main one."""

    id: ArticleId = Field(description="Id under which it is re-emitted on articles.raw.")
    title: str | None
    text: str
    marker: str | None = Field(description="The line that introduced it, e.g. 'إقرأ أيضاً:'.")


class CleanArticle(RawArticle):
    """article.clean: the article's own title and body, and everything removed from it."""

    text: str = Field(description="Body in original orthography (hamzas, punctuation kept).")
    paragraphs: list[TextSpan]
    sentences: list[TextSpan]
    removed: list[RemovedBlock]
    appended: list[AppendedArticle]
    content_hash: str = Field(description="SHA-256 of the normalized body, hex.")
    duplicate_of: str | None = None
    cleaned_at: datetime | None = Field(
        default=None,
        description="Not set since pipeline 0.2.0, so that a re-delivered event is identical: "
        "the time it was written is the ce_time header.",
    )


class EntityType(StrEnum):
    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"
    MISC = "MISC"


class Mention(_Event):
    start: Offset = Field(description="Character offset into the article's text (or title).")
    end: Offset
    text: str
    in_title: bool = Field(default=False, description="Offsets index the title, not the text.")


class Entity(_Event):
    """entity: one entity of one article with all its mentions."""

    article_id: ArticleId
    entity_id: str = Field(description="Stable canonical id (Wikidata QID when known).")
    canonical: str
    type: EntityType
    mentions: list[Mention]


class ClaimKind(StrEnum):
    STATEMENT = "statement"
    NUMERIC = "numeric"


class Qualifier(StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Quantity(_Event):
    value: float
    unit: str | None = None
    qualifier: Qualifier = Qualifier.EXACT
    what: str | None = Field(default=None, description="What is counted: قتيل، شخص، دولار ...")
    text: str
    start: Offset
    end: Offset


class Party(_Event):
    """A speaker or a cited source, as written and, when known, linked to an entity."""

    text: str = Field(
        description="The name as read; an alef elided after a glued ل is restored (للسلطات)."
    )
    start: Offset | None = None
    end: Offset | None = None
    entity_id: str | None = None
    resolved_from: Literal["name", "title", "pronoun", "continuation", "source"] = "name"


class Claim(_Event):
    """claim: who said what, according to whom, and which numbers."""

    claim_id: str
    article_id: ArticleId
    kind: ClaimKind
    speaker: Party | None
    cue: str | None = Field(description="Reporting verb or phrase: أكد، قال، وفقا لـ ...")
    content: str = Field(description="The claimed clause, verbatim from text.")
    content_start: Offset
    content_end: Offset
    according_to: Party | None = None
    quantities: list[Quantity]
    sentence: TextSpan
    confidence: float = Field(ge=0.0, le=1.0)
    check_worthiness: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="How worth fact-checking the claim is: numbers, named sources and assertions "
        "rank high, opinions and appeals low (services/arabic/resources/checkworthy.json).",
    )


class EnrichedArticle(CleanArticle):
    """article.enriched: the clean article with its entities and claims."""

    entities: list[Entity]
    claims: list[Claim]
    pipeline_version: str
    processed_at: datetime | None = Field(
        default=None,
        description="Not set since pipeline 0.2.0, so that a re-delivered event is identical: "
        "the time it was written is the ce_time header.",
    )


class Stage(StrEnum):
    PUBLISH = "publish"
    CLEAN = "clean"
    EXTRACT = "extract"


class ErrorKind(StrEnum):
    """Machine-readable reasons an input went to the dead-letter topic."""

    UNDECODABLE = "undecodable"  # not UTF-8
    INVALID_JSON = "invalid_json"
    SCHEMA_VIOLATION = "schema_violation"
    EMPTY_BODY = "empty_body"  # valid event, but nothing of an article survived cleaning
    STAGE_ERROR = "stage_error"  # an unexpected exception inside a stage
    TOO_LARGE = "too_large"  # the input, or an event it would produce, is over the size limits


class DeadLetter(_Event):
    """dead letter: an input that could not be processed, with everything needed to replay it."""

    topic: str
    partition: int
    offset: int
    key: str | None = Field(description="Original key, UTF-8 decoded with replacement.")
    value_base64: str | None = Field(
        description="The original value bytes, base64; null when they would not fit in a dead "
        "letter (the value is then only referenced: topic, partition, offset, size, sha256)."
    )
    value_size: int | None = Field(default=None, description="Size of the original value, bytes.")
    value_sha256: str | None = Field(
        default=None, description="SHA-256 of the original value, hex."
    )
    value_preview: str = Field(description="First 500 characters, for people reading the DLQ.")
    error_kind: ErrorKind
    error: str
    stage: Stage
    occurred_at: datetime


EVENT_MODELS: dict[str, type[_Event]] = {
    "article.raw": RawArticle,
    "article.clean": CleanArticle,
    "article.enriched": EnrichedArticle,
    "entity": Entity,
    "claim": Claim,
    "deadletter": DeadLetter,
}
SCHEMA_VERSION = "v1"
