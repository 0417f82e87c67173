"""Named entities from a knowledge base: clitic-aware lookup of folded token n-grams.

The knowledge base is the curated ``resources/entities.json`` plus CLDR's Arabic country names
(via babel). It is built once per process on first use; lookup is a dict probe per token n-gram,
so the hot path does no setup work. Within an article, a short alias (بلينكن) and the full name
(أنتوني بلينكن) resolve to the same ``entity_id`` because both are aliases of one KB entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Final

from services.arabic.normalize import fold
from services.arabic.tokenize import Token, strip_clitics

MAX_ALIAS_TOKENS: Final = 6
# CLDR region codes that are not countries or territories news would name as places.
_NOT_PLACES: Final = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})


@dataclass(frozen=True, slots=True)
class KbEntry:
    entity_id: str
    canonical: str
    type: str


@dataclass(frozen=True, slots=True)
class EntityMention:
    entry: KbEntry
    start: int
    end: int
    text: str


@dataclass(slots=True)
class KnowledgeBase:
    aliases: dict[tuple[str, ...], KbEntry] = field(default_factory=dict)
    first_tokens: set[str] = field(default_factory=set)

    def add(self, alias: str, entry: KbEntry) -> None:
        key = tuple(fold(w) for w in re.findall(r"\w+", alias))
        if key and key not in self.aliases:
            self.aliases[key] = entry
            self.first_tokens.add(key[0])


def slug(canonical: str, kind: str) -> str:
    return f"rasd:{kind.lower()}:" + "_".join(fold(canonical).split())


@cache
def knowledge_base() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per process."""
    kb = KnowledgeBase()
    data = json.loads(
        resources.files("services.arabic.resources").joinpath("entities.json").read_text("utf-8")
    )
    for item in data["entities"]:
        entry = KbEntry(
            item["id"] or slug(item["canonical"], item["type"]), item["canonical"], item["type"]
        )
        for alias in [item["canonical"], *item["aliases"]]:
            kb.add(alias, entry)
    for code, name in _cldr_territories().items():
        kb.add(name, KbEntry(f"iso:{code}", name, "LOC"))
    return kb


def _cldr_territories() -> dict[str, str]:
    from babel import Locale  # imported lazily: only the KB build needs CLDR

    return {
        code: name
        for code, name in Locale("ar").territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_PLACES
    }


def find_entities(
    text: str, tokens: list[Token], kb: KnowledgeBase | None = None
) -> list[EntityMention]:
    """Longest KB matches over the tokens of ``text``, allowing clitics on the first word."""
    kb = kb or knowledge_base()
    mentions: list[EntityMention] = []
    i = 0
    while i < len(tokens):
        match = _longest_match(tokens, i, kb)
        if match is None:
            i += 1
            continue
        entry, length, clitic_len = match
        start = tokens[i].start + clitic_len
        end = tokens[i + length - 1].end
        mentions.append(EntityMention(entry, start, end, text[start:end]))
        i += length
    return mentions


def _longest_match(
    tokens: list[Token], i: int, kb: KnowledgeBase
) -> tuple[KbEntry, int, int] | None:
    first = tokens[i]
    if not first.is_word:
        return None
    for stem in strip_clitics(first.folded):
        if stem not in kb.first_tokens:
            continue
        clitic_len = _clitic_length(first.folded, stem)
        for length in range(min(MAX_ALIAS_TOKENS, len(tokens) - i), 0, -1):
            key = (stem, *(t.folded for t in tokens[i + 1 : i + length]))
            entry = kb.aliases.get(key)
            if entry is not None:
                return entry, length, clitic_len
    return None


def _clitic_length(word: str, stem: str) -> int:
    """How many leading characters of ``word`` are clitics, given the matched ``stem``."""
    if not word.endswith(stem):
        return len(word) - len(stem) + 1  # للبيت matched البيت: the article's alef was elided
    return len(word) - len(stem)
