"""Named entities: knowledge-base matches, hand rules, a trained CRF tagger, in-article linking.

Per article, in the order of ``RULES`` (named, with a priority; any can be switched off for
evaluation, ``rasd eval ner-articles --ablate NAME`` and ``--ablate-each``):

1. **Proposers** put forward candidate mentions: the knowledge base (``services.arabic.gazetteer``:
   curated entities, countries, cities; a dict probe per folded token n-gram, clitic-aware on the
   first word: وإسرائيل، بالبيت الأبيض، لحماس), a quoted name after a media trigger (صحيفة "…"),
   an organization head and its complement (وزارة الصحة), clubs (نادي الهلال), facilities
   (مطار الملك خالد) and a known first name with the name words after it.
2. **Tagger** (``services.arabic.ner``): a CRF trained on ANERcorp (``rasd train ner``) finds the
   names the rules do not; rules on tagged names then trim, cut, extend or drop each of them.
3. **Resolution**: the article's own evidence first (a club named as such), then the longest
   span; between equally long spans the knowledge base beats patterns beats the tagger, then the
   leftmost, then the rule of lower priority.
4. **Linking**: a mention is linked to a KB entry when its text is a KB alias; otherwise a
   person's short form (بلينكن) links to a longer name containing it seen in the same article
   (أنتوني بلينكن), and the id is a slug of the canonical name, so the same name gets the same
   ``entity_id`` in every article. Nationality adjectives (الأمريكي، إسرائيلي) are never entities.

Everything is built lazily, once per process.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Final

from services.arabic import ner, wordstats
from services.arabic.gazetteer import (
    KbEntry,
    KnowledgeBase,
    alias_key,
    knowledge_base,
    read_resource,
    slug,
)

# re-exported while services/arabic/ner.py still imports it from here
from services.arabic.normalize import fold
from services.arabic.tokenize import Token, strip_clitics

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
class EntityMention:
    entry: KbEntry
    start: int
    end: int
    text: str


@cache
def _vocab(name: str) -> frozenset[str]:
    """A word list from the training data (``ner_vocab.json``, written by ``rasd train ner``):
    entity_words, first_names or common_words."""
    try:
        vocab = read_resource("ner_vocab.json")
    except FileNotFoundError:
        return frozenset()
    return frozenset(vocab.get(name, []))


def common_words() -> frozenset[str]:
    """Folded words frequent in the training corpora and never inside a name."""
    return _vocab("common_words")


def _name_words() -> frozenset[str]:
    return _vocab("entity_words")


# folded word -> (clitic-stripped candidates, organization head in it, first name in it)
_WordInfo = tuple[tuple[str, ...], str | None, str | None]
_INFO: dict[str, _WordInfo] = {}


def _info(folded: str) -> _WordInfo:
    hit = _INFO.get(folded)
    if hit is None:
        stems = tuple(strip_clitics(folded))
        first_names = _vocab("first_names")
        head = next((c for c in stems if c in _ORG_HEADS), None)
        first = next(
            (
                c
                for c in reversed(stems)
                if c in first_names
                # فوزي is no ف + وزي; a preposition before a first name (لصالح) is the
                # common-words rule's to judge
                and (c == folded or folded[0] not in "وف" or not _whole_word(folded, c))
            ),
            None,
        )
        hit = (stems, head, first)
        if len(_INFO) > 300_000:
            _INFO.clear()
        _INFO[folded] = hit
    return hit


# --- rules as data ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Article:
    """One text being read, and what every rule reads of it."""

    text: str
    tokens: list[Token]
    info: list[_WordInfo | None]
    kb: KnowledgeBase
    disabled: frozenset[str]
    # words of the full names the proposers found: بري alone is a name where نبيه بري is
    named: frozenset[str] = frozenset()

    def on(self, rule: str) -> bool:
        return rule not in self.disabled


# Ranks in resolution: between two equally long spans the lower rank wins; the article's own
# evidence (a club named as such) wins even over longer spans.
ARTICLE_RANK: Final = -1
KB_RANK: Final = 0
PATTERN_RANK: Final = 1
TAGGER_RANK: Final = 2
# The tagger runs after every proposer (lower priorities) and before the rules on its names.
TAGGER_PRIORITY: Final = 100


@dataclass(frozen=True, slots=True)
class _Candidate:
    first: int  # token index
    last: int  # token index, inclusive
    clitic: int  # characters of clitics on the first token
    type: str
    entry: KbEntry | None
    rank: int = PATTERN_RANK  # set from the rule that proposed it
    priority: int = 0  # of the rule that proposed it: the earlier rule wins an exact tie


@dataclass(frozen=True, slots=True)
class _Tagged:
    """A name the tagger proposed, as the rules on tagged names reshape it."""

    first: int
    last: int
    type: str
    clitic: int = 0


Propose = Callable[[_Article, list[_Candidate]], list[_Candidate]]  # (article, found so far)
Refine = Callable[[_Article, _Tagged], _Tagged | None]  # None drops the name


@dataclass(frozen=True, slots=True)
class EntityRule:
    """A named rule of the entity stage; ``RULES`` holds them by priority, any can be off.

    A rule with ``propose`` puts candidates forward before the tagger runs (priority below
    ``TAGGER_PRIORITY``), ranked ``rank`` in resolution; one with ``refine`` reshapes or drops
    each name the tagger proposes (priority above it); one with neither is a check inside
    another step, which asks for it by name (``_Article.on``).
    """

    name: str
    priority: int
    summary: str  # what the rule does, in a line (listed by ``rasd eval ner-articles``)
    propose: Propose | None = None
    rank: int = PATTERN_RANK
    refine: Refine | None = None


_disabled_rules: set[str] = set()


def checked_rules(names: Collection[str]) -> frozenset[str]:
    """``names`` as a set of rule names; a name ``RULES`` does not have is an error, never a
    silent no-op (an ablation of a misspelt rule would measure nothing)."""
    unknown = set(names) - set(RULE_NAMES)
    if unknown:
        raise ValueError(f"unknown rules {sorted(unknown)}; known: {', '.join(RULE_NAMES)}")
    return frozenset(names)


def disable_rules(names: Collection[str] = ()) -> None:
    """Switch the named rules off for this process, and every other rule on: the default of
    ``find_entities(disabled=None)``, for callers that do not pass rules down."""
    off = checked_rules(names)
    _disabled_rules.clear()
    _disabled_rules.update(off)


# --- finding -------------------------------------------------------------------------------


def find_entities(
    text: str,
    tokens: list[Token],
    kb: KnowledgeBase | None = None,
    *,
    tagger: bool = True,
    disabled: Collection[str] | None = None,
) -> list[EntityMention]:
    """Entity mentions of ``text`` (clitics excluded from spans), linked within the article.

    ``disabled`` names rules of ``RULES`` to switch off (default: those of ``disable_rules``).
    """
    off = frozenset(_disabled_rules) if disabled is None else checked_rules(disabled)
    kb = kb or knowledge_base()
    info = [_info(t.folded) if t.text[:1].isalpha() else None for t in tokens]
    article = _Article(text, tokens, info, kb, off)
    candidates: list[_Candidate] = []
    for rule in RULES:
        if rule.propose is not None and article.on(rule.name):
            found = rule.propose(article, candidates)
            candidates += [replace(c, rank=rule.rank, priority=rule.priority) for c in found]
    if tagger:
        named = frozenset(
            tokens[k].folded
            for c in candidates
            if c.type == "PER" and c.last > c.first
            for k in range(c.first, c.last + 1)
        )
        candidates += _tagger_candidates(replace(article, named=named))
    return _link(article, _resolve(candidates))


def _kb_candidates(article: _Article, found: list[_Candidate]) -> list[_Candidate]:
    """The longest trusted alias at each word, clitics on its first word left outside."""
    tokens, info, kb = article.tokens, article.info, article.kb
    descriptors = article.on("descriptors")
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
        if descriptors and length > 1 and stems[-1] in _DESCRIPTORS:
            # الملك سلمان، وكالة فرانس برس، شركة أرامكو السعودية: the name follows the title
            inner = _longest_match(tokens, i + 1, kb, trusted_only=True)
            if inner is not None and inner[1] >= length - 1:
                entry, length, clitic_len = inner[0], inner[1] + 1, 0
                first = i + 1
            elif entry.type == "PER" and stems[-1] in _TITLES:
                first, clitic_len = i + 1, 0
        out.append(_Candidate(first, i + length - 1, clitic_len, entry.type, entry))
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


def _media_candidates(article: _Article, found: list[_Candidate]) -> list[_Candidate]:
    """صحيفة "واشنطن بوست" -> ORG واشنطن بوست (a quoted name right after a media trigger)."""
    tokens = article.tokens
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
            out.append(_Candidate(i + 2, j - 1, 0, "ORG", None))
    return out


def _stem(tok: Token) -> str:
    """The token's folded form without clitics proven by an article (وبالقدس -> القدس)."""
    return ner.name_stem(tok.folded)


def _line_break(text: str, before: Token, after: Token) -> bool:
    return "\n" in text[before.end : after.start]


def _org_candidates(article: _Article, found: list[_Candidate]) -> list[_Candidate]:
    """An organization head and its definite complement: وزارة الصحة، المنتخب الإيطالي،
    الهيئة المصرية العامة للبترول، منتخب إيطاليا."""
    text, tokens, info, kb = article.text, article.tokens, article.info, article.kb
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
            out.append(_Candidate(i, j - 1, clitic, "ORG", None))
    return out


_CLUB: Final = fold("نادي")


def _club_candidates(article: _Article, found: list[_Candidate]) -> list[_Candidate]:
    """نادي الهلال السعودي ... فاز الهلال: the name after نادي is a club (an organization, not
    the city روما or العين), here and wherever else the article uses it (one sense per article;
    this evidence beats the general gazetteer). The kind word and a trailing nationality
    adjective stay out of the name, as the gold convention has it."""
    text, tokens, info, kb = article.text, article.tokens, article.info, article.kb
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
                out.append(_Candidate(k, end - 1, clitic, "ORG", None))
    return out


def _person_candidates(article: _Article, found: list[_Candidate]) -> list[_Candidate]:
    """A known first name and the name words after it: فهد الغامدي، سلمان بن عبد العزيز.

    The name ends after a word with the article (Arabic family names: الغامدي), at a word with
    a clitic (لمصر، والمدرب), a common word, a title, a time word or a line break. A full name
    the knowledge base found is not stretched (محمد صلاح رسالة).
    """
    text, tokens, info, kb = article.text, article.tokens, article.info, article.kb
    known_people = {c.first for c in found if c.type == "PER" and c.last > c.first}
    common_words_on = article.on("common-words")
    common = _vocab("common_words")
    known = _name_words()
    out: list[_Candidate] = []
    i = 0
    while i < len(tokens):
        word_info = info[i]
        stem = word_info[2] if word_info is not None else None
        if (
            stem is None
            or stem in common
            or stem in _TITLES
            or (common_words_on and _common_with_clitic(tokens[i]))
        ):
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
            if word not in known and _verb_or_suffixed(word):
                break  # ميركل شددت، ديشان مطالبته: a verb or a suffixed noun ends the name
            if _known_place(tokens[j], kb):
                break
            if _NISBA.search(word) and _place_prefix(_NISBA.sub("", word.removeprefix("ال")), kb):
                break  # أحمد المصري is a name, but not محمد السعودي قال
            j += 1
            if word.startswith("ال"):
                break
        if j > i + 1:
            if i not in known_people:
                clitic = _clitic_length(tok.folded, stem)
                out.append(_Candidate(i, j - 1, clitic, "PER", None))
            i = j
        else:
            i += 1
    return out


def _common_with_clitic(token: Token) -> bool:
    """A first name behind a clitic where the corpus mostly has a common word (لصالح: "in
    favour of", not ل + the name صالح)."""
    return token.folded[:1] in "وفبلك" and _common_word(token.folded)


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
        or (
            (stem in common or stem in kb.first_tokens or stem in first_names or _possessed(stem))
            and not _whole_word(word, stem)
        )
        for stem in strip_clitics(word)[1:]
    )


def _surname_after(text: str, tokens: list[Token], last: int, kb: KnowledgeBase) -> int:
    """A tagged one-word person followed by a word no list knows is first name + surname
    (جاسبر لولر، غانتر كونيل): transliterated surnames are out of every vocabulary. Not a word
    the corpus reads as a verb or a noun with a pronoun suffix (ميركل شددت، ديشان مطالبته)."""
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
    if not unknown or _possessed(word) or len(word) <= 2 or _verb_or_suffixed(word):
        return last
    return k


def _whole_word(word: str, stem: str) -> bool:
    """The corpus uses ``word`` on its own too often for it to be a clitic + ``stem``: a clitic
    form is a small share of its base's uses (لمصر 249 against مصر 5,030; بجامعة 232 against
    جامعة 1,196), a word of its own is not (بايلي 17 against إيلي 49; فوزي against no وزي)."""
    table = wordstats.shipped_stats()
    whole, alone = table.get(word), table.get(stem)
    if whole is None or whole.bare < wordstats.MIN_ATTESTED or _suffixed(stem):
        return False  # وابنته: "and his daughter" however often the corpus has it
    return alone is None or wordstats.ATTESTED_RATIO * whole.bare >= alone.bare


def _suffixed(word: str) -> bool:
    """A possessive suffix on a base the corpus knows (مطالبته: مطالبة; ابنته: ابنة)."""
    table = wordstats.shipped_stats()
    return any(
        kind == "suffixed"
        and (row := table.get(base)) is not None
        and row.bare >= wordstats.MIN_ATTESTED
        for base, kind in wordstats.readings(word)
    )


def _verb_or_suffixed(word: str) -> bool:
    """The corpus reads ``word`` as a verb or as a noun with a pronoun suffix, which a surname
    is not: a perfect with a subject ending whose stem the corpus also has as an imperfect
    (شددت: شدد، يشدد; أعلنت: يعلن), an imperfect the corpus has with another person prefix
    (تهوي: يهوي), or a possessive suffix on a base the corpus knows (مطالبته: مطالبة;
    بتبرئته: تبرئة)."""
    table = wordstats.shipped_stats()

    def seen(form: str) -> bool:
        row = table.get(form)
        return row is not None and row.bare >= wordstats.MIN_ATTESTED

    forms = [word] + ([word[1:]] if word[:1] in "وفبلك" and len(word) > 4 else [])
    for w in forms:
        if len(w) >= 4 and w.endswith("ت"):
            stem = w[:-1]
            if seen(stem) and (seen("ي" + stem) or (stem[0] == "ا" and seen("ي" + stem[1:]))):
                return True
        imperfect = len(w) >= 4 and w[0] in "يت"
        if imperfect and any(seen(p + w[1:]) for p in "يتن" if p != w[0]):
            return True
        if _suffixed(w):
            return True
    return False


def _possessed(word: str) -> bool:
    """Ends in a possessive pronoun (حربها، قادتهم): a common noun, not a name."""
    return word.endswith(("ها", "هم", "هما", "كم", "نا"))


def _trim(tokens: list[Token], first: int, last: int, kind: str) -> tuple[int, int]:
    """Drop leading titles and common words from a tagged span (but not the definite head of
    an organization or a place: والهيئة المصرية), and trailing common words from a person."""
    common = _vocab("common_words")

    def outside(k: int, leading: bool) -> bool:
        stems = strip_clitics(tokens[k].folded)
        if any(s in _NAME_STOP for s in stems):
            return True
        if leading and kind != "PER" and any(s.startswith("ال") for s in stems):
            return stems[-1] in _TITLES  # والهيئة المصرية العامة للبترول: a definite head stays
        if any(s in common for s in stems):
            return True
        if not leading:
            return False
        return stems[-1] in _TITLES or (
            kind == "PER" and bool(_NISBA.search(stems[-1])) and stems[-1].startswith("ال")
        )

    while first <= last and outside(first, True):
        first += 1
    # Trailing common words only off persons: an organization's or a place's last word is
    # often a common adjective that belongs to it (البنك المركزي الإيراني, منظمة الأسلحة الكيماوية).
    while kind == "PER" and last >= first and outside(last, False):
        last -= 1
    return first, last


def _common_word(folded: str) -> bool:
    """The news corpus mostly uses this word as a common noun or adjective (بري in غزو بري,
    سلامة المدنيين, لصالح): ``services.arabic.wordstats``, counted on unlabelled text."""
    from services.arabic.wordstats import is_common_word

    return is_common_word(folded)


def _weak_person(article: _Article, first: int, last: int) -> bool:
    """A tagged person made only of words the corpus mostly uses as common words (غزو بري،
    سلامة المدنيين), with no first name in it or beside it, and not part of a full name found
    in the article (نبيه بري): not enough evidence for a name. (A full name the KB knows wins
    over the tagger anyway: its match is longer.)"""
    tokens, info = article.tokens, article.info
    if all(tokens[k].folded in article.named for k in range(first, last + 1)):
        return False
    for k in range(max(first - 1, 0), min(last + 2, len(tokens))):
        word = info[k]
        if word is not None and word[2] is not None and not _common_word(tokens[k].folded):
            return False  # a first name next to it or inside it
    return all(_common_word(tokens[k].folded) for k in range(first, last + 1))


def _tagger_candidates(article: _Article) -> list[_Candidate]:
    """The tagger's names, each passed through the enabled rules on tagged names in order."""
    tagger = ner.active_tagger()
    if tagger is None:
        return []
    text, tokens = article.text, article.tokens
    refiners = [r.refine for r in RULES if r.refine is not None and article.on(r.name)]
    out: list[_Candidate] = []
    # Sentence-sized chunks (the model was trained on sentences), decoded in one batch.
    chunks = _chunks(text, tokens)
    tagged = tagger.tag_chunks([t.text for t in tokens], [len(c) for c in chunks])
    for chunk, labels in zip(chunks, tagged, strict=True):
        for span in ner.spans_from_labels(labels):
            name: _Tagged | None = _Tagged(chunk[span.start], chunk[span.end - 1], span.type)
            for refine in refiners:
                if name is None:
                    break
                name = refine(article, name)
            if name is not None:
                out.append(
                    _Candidate(
                        name.first,
                        name.last,
                        name.clitic,
                        name.type,
                        None,
                        TAGGER_RANK,
                        TAGGER_PRIORITY,
                    )
                )
    return out


# Rules on a tagged name (``Refine``): each returns it reshaped, or None to drop it.


def _trimmed(article: _Article, name: _Tagged) -> _Tagged | None:
    first, last = _trim(article.tokens, name.first, name.last, name.type)
    return replace(name, first=first, last=last) if first <= last else None


def _person_cut(article: _Article, name: _Tagged) -> _Tagged | None:
    if name.type != "PER":
        return name
    return replace(name, last=_cut_person(article.tokens, name.first, name.last, article.kb))


def _with_surname(article: _Article, name: _Tagged) -> _Tagged | None:
    if name.type != "PER" or name.last != name.first:
        return name
    last = _surname_after(article.text, article.tokens, name.last, article.kb)
    return replace(name, last=last)


def _word_edges(article: _Article, name: _Tagged) -> _Tagged | None:
    """A name starts and ends on a word or a number, never on punctuation."""
    tokens = article.tokens
    ends = (tokens[name.first], tokens[name.last])
    return name if all(t.is_word or t.text[:1].isdigit() for t in ends) else None


def _without_clitics(article: _Article, name: _Tagged) -> _Tagged | None:
    clitic = _tagged_clitic_length(article.tokens[name.first].folded, article.kb)
    return replace(name, clitic=clitic)


def _not_nationality(article: _Article, name: _Tagged) -> _Tagged | None:
    nationality = _is_nationality(article.tokens, name.first, name.last, name.clitic, article.kb)
    return None if nationality else name


def _not_weak_person(article: _Article, name: _Tagged) -> _Tagged | None:
    if name.type == "PER" and _weak_person(article, name.first, name.last):
        return None
    return name


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
            if _whole_word(folded, stem):
                continue  # فاتو بنسودا, فوزي: the corpus has the whole word on its own
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


def _facility_candidates(article: _Article, found: list[_Candidate]) -> list[_Candidate]:
    """ملعب الأمير فيصل بن فهد، مطار الملك خالد، معبر رفح: a facility named after someone or
    something is a place, its kind word included (the gold convention keeps ملعب)."""
    text, tokens, info, kb = article.text, article.tokens, article.info, article.kb
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
            out.append(_Candidate(i, j - 1, _clitic_length(tok.folded, head), "LOC", None))
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


# --- the rules, by priority ------------------------------------------------------------------

RULES: Final = tuple(
    sorted(
        (
            EntityRule(
                "knowledge-base",
                10,
                "a trusted alias of the knowledge base (curated, countries, large cities) is a "
                "mention, clitics on its first word outside",
                propose=_kb_candidates,
                rank=KB_RANK,
            ),
            EntityRule(
                "descriptors",
                20,
                "a title or kind word before a known name stays out of it "
                "(الملك سلمان -> سلمان), and the name still links",
            ),
            EntityRule(
                "media-quotes",
                30,
                'a quoted name after a media word is an organization (صحيفة "…")',
                propose=_media_candidates,
            ),
            EntityRule(
                "org-heads",
                40,
                "an organization head and its definite complement is an organization (وزارة الصحة)",
                propose=_org_candidates,
            ),
            EntityRule(
                "clubs",
                50,
                "the name after نادي is a club wherever the article uses it, over the gazetteer",
                propose=_club_candidates,
                rank=ARTICLE_RANK,
            ),
            EntityRule(
                "facilities",
                60,
                "a facility word and the name after it is a place (مطار الملك خالد)",
                propose=_facility_candidates,
            ),
            EntityRule(
                "first-names",
                70,
                "a known first name and the name words after it is a person (فهد الغامدي), up "
                "to a verb or a suffixed noun; no first name read inside a whole word (فوزي)",
                propose=_person_candidates,
            ),
            EntityRule(
                "trim",
                110,
                "titles and common words are trimmed off the start of a tagged name (not the "
                "definite head of an organization or place), and common words off the end of a "
                "tagged person (not البنك المركزي الإيراني)",
                refine=_trimmed,
            ),
            EntityRule(
                "cut-person",
                120,
                "a tagged person ends before a word with a clitic or a known place; not a word "
                "the corpus has on its own (نيك بايلي)",
                refine=_person_cut,
            ),
            EntityRule(
                "surname-after",
                130,
                "a one-word tagged person takes the next word no list knows as surname, unless "
                "the corpus reads it as a verb or a suffixed noun (ميركل شددت)",
                refine=_with_surname,
            ),
            EntityRule(
                "word-edges",
                140,
                "a tagged name starts and ends on a word or a number",
                refine=_word_edges,
            ),
            EntityRule(
                "tagged-clitics",
                150,
                "clitics come off a tagged name only with evidence (an article, a known name), "
                "never off a word the corpus has on its own (فاتو بنسودا)",
                refine=_without_clitics,
            ),
            EntityRule(
                "nationality",
                160,
                "a lone tagged adjective of nationality is no entity (الأمريكي)",
                refine=_not_nationality,
            ),
            EntityRule(
                "common-words",
                170,
                "a tagged person of words the corpus mostly uses as common words needs a first "
                "name or a full name in the article (غزو بري); لصالح is no first name",
                refine=_not_weak_person,
            ),
            EntityRule(
                "one-sense",
                210,
                "a name takes, throughout the article, the type most of its mentions got",
            ),
        ),
        key=lambda rule: rule.priority,
    )
)
RULE_NAMES: Final = tuple(rule.name for rule in RULES)


# --- resolving and linking -----------------------------------------------------------------


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates: the article's own evidence (نادي ميلان ... درب ميلان), then
    longest first, KB before patterns before the tagger, then leftmost, then the rule of lower
    priority."""
    ordered = sorted(
        candidates,
        key=lambda c: (c.rank >= 0, -(c.last - c.first), c.rank, c.first, c.priority),
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


def _link(article: _Article, chosen: list[_Candidate]) -> list[EntityMention]:
    text, tokens, kb = article.text, article.tokens, article.kb
    one_sense = article.on("one-sense")
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
            if one_sense:
                cand = replace(cand, type=votes[key].most_common(1)[0][0])
            entry = kb.lookup(key)
            retyped = cand.type in ("PER", "MISC") or cand.rank == ARTICLE_RANK
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
