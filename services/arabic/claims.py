"""Claims: attributed statements (speaker, cue, content) and numeric claims, with offsets.

Works sentence by sentence on tokens and entity mentions already computed for the article. A
reporting cue (قال، أكد، أشار إلى، معتبرا ...) followed by a complementizer (أن، إن) yields a
statement whose content is the clause after it; the speaker is the entity or title phrase next to
the cue, or, when the cue stands alone (وأضاف أن، أشار إلى أن), the article's last speaker. A
source phrase without a verb (وفقا لـ، بحسب) attributes the sentence to that source.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from services.arabic.entities import EntityMention
from services.arabic.normalize import fold
from services.arabic.numbers import FoundQuantity
from services.arabic.tokenize import Token

_SPEAKER_TYPES: Final = frozenset({"PER", "ORG"})
_MAX_SPEAKER_DISTANCE: Final = 8  # tokens between a pre-verbal speaker and its cue


@dataclass(frozen=True, slots=True)
class Cues:
    verbs: frozenset[str]
    continuation: frozenset[str]
    particles: frozenset[str]
    complementizers: frozenset[str]
    sources: dict[str, tuple[tuple[str, ...], ...]]  # first word -> phrases, longest first


@cache
def cues() -> Cues:
    data = json.loads(
        resources.files("services.arabic.resources").joinpath("cues.json").read_text("utf-8")
    )
    past = [fold(v) for v in data["verbs"]]
    forms = set(past) | {v + "ت" for v in past} | {v + "وا" for v in past}
    forms |= {fold(v) for v in data["present"] + data["participles"]}
    forms |= {v[:-1] + "ت" for v in past if v.endswith(("ي", "ا"))}  # نفى -> نفت, دعا -> دعت
    return Cues(
        verbs=frozenset(forms),
        continuation=frozenset(fold(v) for v in data["continuation"]),
        particles=frozenset(fold(p) for p in data["particles"] if " " not in p),
        complementizers=frozenset(fold(c) for c in data["complementizers"]),
        sources=_by_first_word(tuple(fold(s).split()) for s in data["sources"]),
    )


def _by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        grouped.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in grouped.items()}


@dataclass(frozen=True, slots=True)
class PartyFound:
    text: str
    start: int
    end: int
    entity_id: str | None
    resolved_from: str


@dataclass(frozen=True, slots=True)
class ClaimFound:
    kind: str
    speaker: PartyFound | None
    cue: str | None
    content_start: int
    content_end: int
    according_to: PartyFound | None
    quantities: list[FoundQuantity]
    sentence: tuple[int, int]
    confidence: float


def _stem(token: Token) -> str:
    word = token.folded
    return word[1:] if len(word) > 3 and word[0] in "وف" else word


def find_claims(
    text: str,
    tokens: list[Token],
    sentences: list[tuple[int, int]],
    mentions: list[EntityMention],
    quantities: list[FoundQuantity],
) -> list[ClaimFound]:
    """Statements and numeric claims of one article; ``quantities`` carry offsets into ``text``."""
    lexicon = cues()
    starts = [t.start for t in tokens]
    claims: list[ClaimFound] = []
    last_speaker: PartyFound | None = None
    for s_start, s_end in sentences:
        sent_tokens = tokens[bisect_left(starts, s_start) : bisect_left(starts, s_end)]
        sent_mentions = [m for m in mentions if s_start <= m.start < s_end]
        sent_quantities = [q for q in quantities if s_start <= q.start < s_end]
        claim = _statement(
            text, sent_tokens, sent_mentions, (s_start, s_end), lexicon, last_speaker
        )
        if claim is None:
            claim = _sourced(text, sent_tokens, sent_mentions, (s_start, s_end), lexicon)
        if claim is not None:
            inside = [
                q for q in sent_quantities if claim.content_start <= q.start < claim.content_end
            ]
            if inside:
                claim = _with_quantities(claim, inside)
            if claim.speaker is not None:
                last_speaker = claim.speaker
            claims.append(claim)
        elif sent_quantities:
            start, end = _trim(text, s_start, s_end)
            claims.append(
                ClaimFound(
                    "numeric", None, None, start, end, None, sent_quantities, (s_start, s_end), 0.6
                )
            )
    return claims


def _with_quantities(claim: ClaimFound, quantities: list[FoundQuantity]) -> ClaimFound:
    return ClaimFound(
        "numeric",
        claim.speaker,
        claim.cue,
        claim.content_start,
        claim.content_end,
        claim.according_to,
        quantities,
        claim.sentence,
        claim.confidence,
    )


def _statement(
    text: str,
    sent: list[Token],
    mentions: list[EntityMention],
    sentence: tuple[int, int],
    lexicon: Cues,
    last_speaker: PartyFound | None,
) -> ClaimFound | None:
    for k, token in enumerate(sent):
        if not token.is_word or _stem(token) not in lexicon.verbs:
            continue
        comp = next(
            (
                j
                for j in range(k + 1, len(sent))
                if sent[j].folded in lexicon.complementizers
                or _stem(sent[j]) in lexicon.complementizers
            ),
            None,
        )
        if comp is None:
            continue
        content_start = sent[comp + 1].start if comp + 1 < len(sent) else sent[comp].end
        start, end = _trim(text, content_start, sentence[1])
        if end <= start:
            continue
        cue_end = k + 1
        while cue_end < comp and sent[cue_end].folded in lexicon.particles:
            cue_end += 1
        cue = text[token.start : sent[cue_end - 1].end]
        speaker = _speaker(text, sent, mentions, k, cue_end, comp, last_speaker, lexicon)
        according = _source_in(text, sent, mentions, lexicon)
        confidence = {"name": 0.9, "title": 0.75, "continuation": 0.7, "pronoun": 0.65}.get(
            speaker.resolved_from if speaker else "", 0.5
        )
        return ClaimFound(
            "statement", speaker, cue, start, end, according, [], sentence, confidence
        )
    return None


def _speaker(
    text: str,
    sent: list[Token],
    mentions: list[EntityMention],
    cue: int,
    after_cue: int,
    comp: int,
    last_speaker: PartyFound | None,
    lexicon: Cues,
) -> PartyFound | None:
    between_start = sent[after_cue].start if after_cue < comp else sent[comp].start
    between_end = sent[comp].start
    named = [
        m
        for m in mentions
        if between_start <= m.start < between_end and m.entry.type in _SPEAKER_TYPES
    ]
    if named:
        return _party(named[0], "name")
    before = [
        m
        for m in mentions
        if m.end <= sent[cue].start
        and m.entry.type in _SPEAKER_TYPES
        and sent[max(0, cue - _MAX_SPEAKER_DISTANCE)].start <= m.start
    ]
    if before:
        return _party(before[-1], "name")
    words = [t for t in sent[after_cue:comp] if t.is_word]
    if words and not all(t.folded in lexicon.particles for t in words):
        phrase_end = next((t.start for t in sent[after_cue:comp] if t.text in "،,"), between_end)
        start, end = _trim(text, words[0].start, phrase_end)
        if end > start:
            return PartyFound(text[start:end], start, end, None, "title")
    if last_speaker is not None:
        how = "continuation" if _stem(sent[cue]) in lexicon.continuation else "pronoun"
        return PartyFound(
            last_speaker.text, last_speaker.start, last_speaker.end, last_speaker.entity_id, how
        )
    return None


def _party(mention: EntityMention, how: str) -> PartyFound:
    return PartyFound(mention.text, mention.start, mention.end, mention.entry.entity_id, how)


def _source_position(sent: list[Token], lexicon: Cues) -> tuple[int, int] | None:
    """Token index where a source phrase starts and where its object starts."""
    for i, token in enumerate(sent):
        candidates = lexicon.sources.get(token.folded) or lexicon.sources.get(_stem(token), ())
        for phrase in candidates:
            end = i + len(phrase)
            rest = sent[i + 1 : end]
            # Later words may carry the object glued on: وفقا لـ + السلطات = وفقا للسلطات.
            if len(rest) == len(phrase) - 1 and all(
                t.folded.startswith(p) for t, p in zip(rest, phrase[1:], strict=True)
            ):
                return i, end
    return None


def _source_in(
    text: str, sent: list[Token], mentions: list[EntityMention], lexicon: Cues
) -> PartyFound | None:
    position = _source_position(sent, lexicon)
    if position is None:
        return None
    _, obj = position
    if obj >= len(sent):
        return None
    after = [m for m in mentions if m.start >= sent[obj - 1].start]
    if after and after[0].start <= sent[min(obj + 2, len(sent) - 1)].start:
        return _party(after[0], "source")
    phrase_end = next((t.start for t in sent[obj:] if not t.is_word), sent[-1].end)
    start, end = _trim(text, sent[obj].start, phrase_end)
    return PartyFound(text[start:end], start, end, None, "source") if end > start else None


def _sourced(
    text: str,
    sent: list[Token],
    mentions: list[EntityMention],
    sentence: tuple[int, int],
    lexicon: Cues,
) -> ClaimFound | None:
    position = _source_position(sent, lexicon)
    if position is None or position[0] == 0:
        return None
    source = _source_in(text, sent, mentions, lexicon)
    if source is None:
        return None
    cue = text[sent[position[0]].start : sent[position[1] - 1].end]
    start, end = _trim(text, sentence[0], sent[position[0]].start)
    if end <= start:
        return None
    return ClaimFound("statement", None, cue, start, end, source, [], sentence, 0.7)


_TRIM_CHARS: Final = " \t\n،,.؛;:!؟?"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in _TRIM_CHARS:
        end -= 1
    return start, end
