"""The two text-processing steps of the pipeline, as pure functions: clean and extract."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from services.arabic.checkworthy import check_worthiness
from services.arabic.claims import ClaimFound, find_claims
from services.arabic.entities import EntityMention, find_entities
from services.arabic.html import extract_main_text
from services.arabic.normalize import fold, matching_form
from services.arabic.numbers import FoundQuantity, find_quantities
from services.arabic.pagelines import LineModel
from services.arabic.segment import Segmented, segment
from services.arabic.tokenize import Token, sentence_spans, tokenize


@dataclass(frozen=True, slots=True)
class Cleaned:
    segmented: Segmented
    title: str | None
    sentences: list[tuple[int, int]]
    content_hash: str


def clean(
    content: str,
    *,
    html: bool = False,
    title: str | None = None,
    model: LineModel | None = None,
    use_model: bool = True,
    disabled: frozenset[str] = frozenset(),
) -> Cleaned:
    """Title, body, removed boilerplate and appended articles of one scraped article.

    ``model`` replaces the shipped line labeller, ``use_model=False`` leaves it out and
    ``disabled`` switches cleaning rules off by name (all for evaluation)."""
    if html:
        page = extract_main_text(content)
        content, title = page.text, title or page.title
    segmented = segment(content, title, model=model, use_model=use_model, disabled=disabled)
    return Cleaned(
        segmented,
        segmented.title,
        sentence_spans(segmented.text),
        content_hash(segmented.text),
    )


def content_hash(text: str) -> str:
    """Hash of the folded body with whitespace collapsed: equal for trivially different copies."""
    return hashlib.sha256(" ".join(fold(text).split()).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Extraction:
    tokens: list[Token]
    mentions: list[EntityMention]
    quantities: list[FoundQuantity]
    claims: list[ClaimFound]


def extract(text: str, sentences: list[tuple[int, int]]) -> Extraction:
    """Entities, quantities and claims of a clean text; offsets index ``text``."""
    tokens = tokenize(text)
    mentions = find_entities(text, tokens)
    quantities = quantities_in(text)
    claims = [
        replace(c, check_worthiness=check_worthiness(c, text, mentions))
        for c in find_claims(text, tokens, sentences, mentions, quantities)
    ]
    return Extraction(tokens, mentions, quantities, claims)


def quantities_in(text: str) -> list[FoundQuantity]:
    """Quantities with offsets mapped from the folded form back to ``text``."""
    matching = matching_form(text)
    out = []
    for q in find_quantities(matching.folded):
        start, end = matching.span_to_source(q.start, q.end)
        what = matching.span_to_source(*q.what) if q.what else None
        out.append(replace(q, what=what, start=start, end=end))
    return out
