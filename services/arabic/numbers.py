"""Arabic quantities: digits (Western and Arabic-Indic), number words and scales, qualifiers.

``find_quantities`` works on the folded text (digits already Western, alef/ta marbuta folded) and
returns offsets in that folded text; callers map them back with ``MatchingText``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Final

from services.arabic.normalize import fold

_UNITS: Final = {
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "ثلاث": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسه": 5,
    "ست": 6,
    "سته": 6,
    "سبع": 7,
    "سبعه": 7,
    "ثماني": 8,
    "ثمان": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعه": 9,
    "عشر": 10,
    "عشره": 10,
    "عشرون": 20,
    "عشرين": 20,
    "ثلاثون": 30,
    "ثلاثين": 30,
    "اربعون": 40,
    "اربعين": 40,
    "خمسون": 50,
    "خمسين": 50,
    "ستون": 60,
    "ستين": 60,
    "سبعون": 70,
    "سبعين": 70,
    "ثمانون": 80,
    "ثمانين": 80,
    "تسعون": 90,
    "تسعين": 90,
    "مئه": 100,
    "مائه": 100,
    "مئتان": 200,
    "مئتين": 200,
    "مائتين": 200,
    "مائتان": 200,
    "نصف": 0.5,
    "ربع": 0.25,
    "ثلث": 1 / 3,
    "عشرات": 10,
    "مئات": 100,
}
_SCALES: Final = {
    "الف": 1_000,
    "الفا": 1_000,
    "الاف": 1_000,
    "الفين": 2_000,
    "الفان": 2_000,
    "مليون": 1_000_000,
    "ملايين": 1_000_000,
    "مليونا": 1_000_000,
    "مليونين": 2_000_000,
    "مليار": 1_000_000_000,
    "مليارات": 1_000_000_000,
    "مليارا": 1_000_000_000,
    "بليون": 1_000_000_000,
    "تريليون": 1_000_000_000_000,
}
_QUALIFIERS: Final = {
    "نحو": "approximate",
    "حوالي": "approximate",
    "قرابه": "approximate",
    "زهاء": "approximate",
    "ما يقارب": "approximate",
    "ما يقرب من": "approximate",
    "تقريبا": "approximate",
    "اكثر من": "at_least",
    "ما يزيد عن": "at_least",
    "ما يزيد علي": "at_least",
    "ما لا يقل عن": "at_least",
    "يزيد عن": "at_least",
    "يزيد علي": "at_least",
    "تزيد عن": "at_least",
    "تزيد علي": "at_least",
    "ما يربو علي": "at_least",
    "يتجاوز": "at_least",
    "تتجاوز": "at_least",
    "ما يناهز": "approximate",
    "يناهز": "approximate",
    "ما يصل الي": "at_most",
    "اقل من": "at_most",
    "ما لا يزيد عن": "at_most",
    "لا يزيد عن": "at_most",
    "حتي": "at_most",
}
MONTHS: Final = frozenset(
    fold(m)
    for m in (
        *("يناير", "فبراير", "مارس", "أبريل", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس"),
        *("سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار"),
        *("حزيران", "تموز", "آب", "أيلول", "تشرين"),
    )
)

_NUM = r"\d+(?:[.,]\d+)*"


def _literal_union(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first, as a trie (اثن(?:ان|ين|تان|تين)): Python's
    re tries a flat alternation one word at a time at every position."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


_WORD_NUMBER = _literal_union(_UNITS)
_SCALE = _literal_union(_SCALES)
_QUAL = _literal_union(_QUALIFIERS)
_CLITICS = r"(?<![^\W\d_])(?:و?[بل]?)"  # وبخمس، لثلاثة: conjunction and preposition glued on
_QUANTITY = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?P<sign>(?:(?<=\sو)|(?<!\w))-)?"  # -3,5% and و-3,5%
    rf"(?:(?P<digits>{_NUM})"
    rf"|{_CLITICS}(?P<word>{_WORD_NUMBER})(?![^\W\d_])(?:\s+(?P<teen>عشر|عشره)(?![^\W\d_]))?"
    rf"|{_CLITICS}(?P<bare>{_SCALE})(?![^\W\d_]))"
    # 118 ألف و118, 405 ملايين و24 ألف
    rf"(?:\s+(?P<scale>{_SCALE})(?![^\W\d_])"
    rf"(?:\s+و(?P<plus>\d+)(?![\d.,])(?:\s+(?P<plus_scale>{_SCALE})(?![^\W\d_]))?)?)?"
    rf"(?:\s*(?P<percent>[%٪]|في المئه|في المائه|بالمئه|بالمائه))?"
    # 28 عاما, 28عاما, 110 #تلميذات_مفقودات
    rf"(?:(?:\s+#?|(?<=\d)(?=[^\W\d_]{{2}}))(?P<what>[^\W\d_]+))?",
)
_PLURAL_SCALES: Final = frozenset({"الاف", "ملايين", "مليارات"})
# Where a quantity can start its number: _QUANTITY tried at every character of an article costs
# more than everything else in the claims stage, so it is tried only at these anchors (and at a
# qualifier right before one), which finds the same matches.
_ANCHOR = re.compile(rf"-?(?:\d|{_CLITICS}(?:{_WORD_NUMBER}|{_SCALE})(?![^\W\d_]))")
_QUAL_BEFORE = re.compile(rf"(?:{_QUAL})\s+\Z")
_QUAL_REACH: Final = 24  # characters: the longest qualifier and its spaces


@dataclass(frozen=True, slots=True)
class FoundQuantity:
    value: float
    qualifier: str
    unit: str | None
    what: tuple[int, int] | None  # span of the counted noun
    start: int
    end: int
    # Implied by a word (دورتين، دورة واحدة) or left vague (آلاف المهاجرين، مليارات الدولارات):
    # on its own it makes no numeric claim, since such counts are mostly turns of phrase (حل
    # الدولتين، في وقت واحد) or not checkable.
    weak: bool = False


# A noun counted by its form: a dual (دورتين = 2 courses) or a noun followed by واحد (= 1).
# Feminine duals (-تين/-تان) are regular; a masculine dual is told apart from a sound plural only
# for nouns whose plural is broken (جنديين is a dual; مسلحين is a plural).
_MASCULINE_DUAL_STEMS: Final = tuple(
    fold(w)
    for w in (
        *("شخص", "جندي", "طفل", "رجل", "شقيق", "قتيل", "جريح", "أسير", "صاروخ", "هدف"),
        *("مقعد", "قرار", "حزب", "بلد", "ولد", "مبنى", "منزل", "بيت", "قارب", "مركب"),
    )
)
_DUAL = re.compile(
    r"(?<![^\W\d_])(?=[^\W\d_]*(?:ين|ان)(?![^\W\d_]))"  # only words ending like a dual
    r"(?:و?[بل]?)"
    r"(?P<dual>(?!ال)[^\W\d_]{2,}ت(?:ين|ان)"
    rf"|{_literal_union(_MASCULINE_DUAL_STEMS)}(?:ين|ان))(?![^\W\d_])"
)
_ONE = re.compile(r"(?<![^\W\d_])(?:و?[بل]?)(?P<one>[^\W\d_]{2,})\s+واحده?(?![^\W\d_])")
_NOT_COUNTED_BY_ONE: Final = frozenset({"ان", "وقت", "صف", "صوت", "يد", "ال", "من", "تعد", "يعد"})


def _implied_quantities(folded: str) -> list[FoundQuantity]:
    found: list[FoundQuantity] = []
    matches = list(_DUAL.finditer(folded))
    if "واحد" in folded:
        matches = sorted([*matches, *_ONE.finditer(folded)], key=lambda m: m.start())
    for m in matches:
        group = "dual" if m.re is _DUAL else "one"
        words = {folded[m.start() : m.end(group)], m.group(group)}  # with and without و
        if group == "one" and (words & _NOT_COUNTED_BY_ONE or words & _NOT_COUNTED):
            continue
        if found and not folded[found[-1].end : m.start()].strip():
            continue  # the adjective agreeing with the counted noun: دورتين تدريبيتين
        if group == "dual" and m.group(group).endswith("ستان"):
            continue  # أفغانستان، كردستان: -stan names, not duals
        value = 2.0 if group == "dual" else 1.0
        what = (m.start(group), m.end(group))
        found.append(FoundQuantity(value, "exact", None, what, what[0], m.end(), weak=True))
    return found


def parse_number(digits: str, *, percent: bool = False) -> float:
    """``32``, ``1,200``, ``3.5``, ``1.200.000``, ``700.000`` (thousands), ``3,43%`` (decimal).

    A single separator followed by exactly three digits groups thousands, except in a
    percentage, where ``2,758%`` is a decimal comma.
    """
    separators = [c for c in digits if c in ".,"]
    if not separators:
        return float(digits)
    if len(set(separators)) == 2:  # 1,234.5 or 1.234,5: the last one is the decimal point
        decimal = separators[-1]
        grouping = "," if decimal == "." else "."
        return float(digits.replace(grouping, "").replace(decimal, "."))
    sep = separators[0]
    groups = digits.split(sep)
    thousands = all(len(g) == 3 for g in groups[1:]) and not (percent and len(groups) == 2)
    if len(groups) > 2 or thousands:
        return float("".join(groups))
    return float(digits.replace(sep, "."))


def find_quantities(folded: str) -> list[FoundQuantity]:
    """Quantities in folded text, skipping dates and years; offsets index ``folded``."""
    matches = list(_quantity_matches(folded))
    labels = _chained_labels(folded, matches)
    counted_nouns = _counted_nouns(folded, matches)
    found: list[FoundQuantity] = []
    for i, (m, label, counted) in enumerate(zip(matches, labels, counted_nouns, strict=True)):
        digits, word, bare = m.group("digits"), m.group("word"), m.group("bare")
        scale, percent = m.group("scale"), bool(m.group("percent"))
        shared = _range_end(folded, matches, i)
        if (
            shared is not None
            and scale is None
            and bare is None
            and counted == counted_nouns[i + 1]
        ):
            # 2.5-3 ملايين، بين خمسة وسبعة مليارات، بين 5 و7 بالمئة: the range's end has the
            # scale or percent sign for both ends
            scale = scale or shared.group("scale")
            percent = percent or bool(shared.group("percent"))
        if label:
            continue
        alone = scale is None and m.group("what") is None and not percent
        if (word is not None or bare is not None) and alone:
            continue  # a number word alone ("ثلاث", "ألف") is rarely a claimed quantity
        if digits is not None:
            value = parse_number(digits, percent=percent)
        elif word is not None:
            value = float(_UNITS[word]) + (10 if m.group("teen") else 0)  # خمسة عشر = 15
        else:
            value = 1.0
        value *= _SCALES[scale] if scale else _SCALES.get(bare or "", 1)
        if m.group("plus") and scale:
            plus = int(m.group("plus")) * _SCALES.get(m.group("plus_scale") or "", 1)
            if plus < _SCALES[scale]:
                value += plus  # 118 ألف و118 = 118,118; 405 ملايين و24 ألف = 405,024,000
        if m.group("sign"):
            value = -value
        qualifier = _QUALIFIERS.get(m.group("qual") or "", "exact")
        vague = word in ("عشرات", "مئات") or bare in _PLURAL_SCALES
        if vague:
            qualifier = "at_least"
        if percent:
            counted = None
        end = _number_end(m)
        if counted and not folded[end : counted[0]].strip(" \t#"):
            end = counted[1]  # the noun right after the number (not one after من or a bracket)
        if qualifier == "exact":
            qualifier = _qualifier_after(folded, end)
        found.append(
            FoundQuantity(
                value, qualifier, "%" if percent else None, counted, m.start(), end, weak=vague
            )
        )
    for implied in _implied_quantities(folded):
        if not any(q.start < implied.end and implied.start < q.end for q in found):
            found.append(implied)
    return _join_fractions(folded, sorted(found, key=lambda q: q.start))


def _number_start(m: re.Match[str]) -> int:
    """Where the number itself starts (after a qualifier or a sign)."""
    for group in ("digits", "word", "bare"):
        if m.group(group):
            return m.start(group)
    return m.start()


def _number_end(m: re.Match[str]) -> int:
    """Where the number ends, with its scale, added part and percent sign."""
    for group in ("percent", "plus_scale", "plus", "scale", "teen", "digits", "word", "bare"):
        if m.group(group):
            return m.end(group)
    return m.end()


# Numbers joined into a list or range share what they count and what they are: 21 و17 و16
# نقطة (three scores of points), بين 18 و29 عاما (two ages), في الدقائق 45 و60 و75 (three
# minutes), 400 أو 500 شخص, من 15 إلى 30 مترا.
_JOINER = re.compile(r"\s*(?:و|او\s+|الي\s+|-\s*)")


def _joined(folded: str, m: re.Match[str], following: re.Match[str]) -> bool:
    """Whether ``following`` continues ``m``'s list or range (و، أو، إلى، a dash between)."""
    if m.group("percent") or m.group("scale"):
        return False
    gap = _JOINER.fullmatch(folded, _number_end(m), following.start())
    return gap is not None and following.start() == _number_start(following)


def _chained_labels(folded: str, matches: list[re.Match[str]]) -> list[bool]:
    """Whether each match is a label or a date; a label opens a list that the numbers joined
    to it continue (في الدقيقتين 45 و60, القرارين 2216 و2231)."""
    labels: list[bool] = []
    years: list[bool] = []
    for i, m in enumerate(matches):
        start = _number_start(m)
        digits, what = m.group("digits"), m.group("what")
        date = _is_date(folded, start, digits, what)
        years.append(date and (what is None or what in _NOT_COUNTED or what in _ERA_MARKS))
        label = (
            date
            or _is_label(folded, start, what)
            or (digits is not None and _is_version(digits))
            or (digits is not None and _glued_to_a_name(folded, m))
            or (digits is not None and _inside(_SCORE_OR_TIME, folded, start))  # فاز 2-1
            or (digits is not None and _is_clock(folded, m))
            or (m.group("word") in ("عشر", "عشره") and _after_definite(folded, start))
            or (digits is not None and _bracketed_alone(folded, m))
            or (digits is not None and _name_number(folded, m))
        )
        if not label and i and labels[-1] and _joined(folded, matches[i - 1], m):
            label = True
        labels.append(label)
    for i in range(len(matches) - 2, -1, -1):
        if years[i + 1] and not labels[i] and _joined(folded, matches[i], matches[i + 1]):
            labels[i] = years[i] = True  # 1420 - 1423هـ، 94 - 1995م: the start of a span of years
    return labels


_ERA_MARKS: Final = frozenset({"م", "ه", "هـ"})


def _is_version(digits: str) -> bool:
    """2.18.61، 10.0.1: more than one dot or comma and groups that are not thousands."""
    for separator in ".,":
        groups = digits.split(separator)
        if len(groups) > 2 and any(len(g) != 3 for g in groups[1:]):
            return True
    return False


_GLUED_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]{3,}$")
_NOT_A_NAME: Final = frozenset(fold(w) for w in ("نحو", "حوالي", "قرابة", "زهاء", "أكثر", "أقل"))


def _glued_to_a_name(folded: str, m: re.Match[str]) -> bool:
    """فرانس24، رياضة24: a number glued to a word, counting nothing, is part of a name (but
    في528 صفحة and نحو60 بالمئة count)."""
    what = m.group("what")
    if (what and what not in _NOT_COUNTED) or m.group("percent") or m.group("scale"):
        return False
    start = _number_start(m)
    glued = _GLUED_WORD.search(folded, max(0, start - 16), start)
    if glued is None:
        return False
    word = glued.group()
    bare = word[1:] if word[:1] in "وبل" else word
    return not ({word, bare} & (_NOT_COUNTED | _NOT_A_NAME))


def _counted_nouns(folded: str, matches: list[re.Match[str]]) -> list[tuple[int, int] | None]:
    """The span of each match's counted noun: the word after the number unless it is a function
    word (14 من، 60 في، 2900 الذين); after a partitive من the noun it picks from (اثنين من
    الإرهابيين); after a bracketed number the word after the bracket ((158) دورة); and for
    numbers joined into a list, the noun of the list's last number (21 و17 و16 نقطة)."""
    nouns: list[tuple[int, int] | None] = []
    for m in matches:
        what = m.group("what")
        span = (m.start("what"), m.end("what")) if what else None
        if what in _NOT_COUNTED:
            span = _partitive(folded, m.end("what")) if what == "من" else None
        elif what is None and m.group("digits") and _bracketed(folded, m):
            span = _word_after(folded, _number_end(m) + 1)
            if span and folded[span[0] : span[1]] in _NOT_COUNTED:
                span = None
        nouns.append(span)
    for i in range(len(matches) - 2, -1, -1):
        m, following = matches[i], matches[i + 1]
        if m.group("what") in (None, "و", "او", "الي") and _joined(folded, m, following):
            nouns[i] = nouns[i + 1]
        elif m.group("what") == "من" and _out_of(folded, m, following):
            nouns[i] = nouns[i + 1]  # 14 من أصل 15 دولة، 14 من مجموعة 100 امرأة
    return nouns


# A part out of a whole: 14 من أصل 15، 14 من مجموعة 100، 4 من بين كل 10، 89 من 100.
_OUT_OF = re.compile(r"\s*من\s+(?:(?:اصل|مجموع|مجموعه|بين(?:\s+كل)?|كل)\s+)?")


def _out_of(folded: str, m: re.Match[str], following: re.Match[str]) -> bool:
    if m.group("percent") or following.start() != _number_start(following):
        return False
    return _OUT_OF.fullmatch(folded, _number_end(m), following.start()) is not None


# Words that follow a number without being what it counts: prepositions, relatives,
# conjunctions, pronouns (14 من أصل 15، 60 في باتو، 2900 الذين جندوا، 15 منهم، 300 إلى).
_NOT_COUNTED: Final = frozenset(
    fold(w)
    for w in (
        *("و", "أو", "من", "في", "عن", "إلى", "على", "مع", "بين", "حتى", "منذ", "بعد", "قبل"),
        *("خلال", "ضمن", "عند", "لدى", "مقابل", "نحو", "حين", "حيث", "بشكل", "ثم", "كما"),
        *("الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي", "منهم", "منها", "منهما"),
        *("هو", "هي", "هم", "وهو", "وهي", "وهم", "أن", "إن", "لا", "ما", "قد", "لم", "لن"),
        *("أنه", "إنه", "أنها", "إنها", "أنهم", "إنهم", "بأن", "لأن"),
        *("فقط", "أيضا", "تقريبا", "بالمئة", "بالمائة", "هذه", "هذا", "تلك", "ذلك", "كل"),
        # time words after a number: 15 ألفا العام الماضي، في 2 الشهر الجاري
        *("العام", "الشهر", "الأسبوع", "اليوم", "أمس", "الماضي", "الجاري", "المقبل"),
    )
)


_NOT_PICKED: Final = frozenset(fold(w) for w in ("أصل", "كل", "جراء", "أجل", "بين", "أي", "غير"))


def _partitive(folded: str, at: int) -> tuple[int, int] | None:
    """The noun after a partitive من (700 ألف من الروهينغا، 46 من جنوده), not after من أصل
    or من جراء."""
    span = _word_after(folded, at)
    if span is None:
        return None
    noun = folded[span[0] : span[1]]
    return None if noun in _NOT_COUNTED or noun in _NOT_PICKED else span


def _range_end(folded: str, matches: list[re.Match[str]], i: int) -> re.Match[str] | None:
    """The next match when match ``i`` opens a range or list with it and is smaller than it
    (so 300 إلى 3 آلاف keeps 300 as is)."""
    if i + 1 >= len(matches) or matches[i].group("what") not in (None, "و", "او", "الي"):
        return None
    m, following = matches[i], matches[i + 1]
    if not _joined(folded, m, following):
        return None
    if not (following.group("scale") or following.group("percent")):
        return None
    low, high = _plain_number(m), _plain_number(following)
    return following if low is not None and high is not None and low < high else None


def _plain_number(m: re.Match[str]) -> float | None:
    if m.group("digits"):
        return parse_number(m.group("digits"))
    if m.group("word"):
        return float(_UNITS[m.group("word")]) + (10 if m.group("teen") else 0)
    return None


_WORD_AFTER = re.compile(r"[ \t]*([^\W\d_]+)")


def _word_after(folded: str, at: int) -> tuple[int, int] | None:
    m = _WORD_AFTER.match(folded, at)
    return (m.start(1), m.end(1)) if m else None


_ENCLOSING: Final = {"(": ")", '"': '"', "«": "»", "“": "”"}


def _bracketed(folded: str, m: re.Match[str]) -> bool:
    """A number alone between brackets or quotes: (11), (+6), (-3), (158), «200»; not (24
    بالمئة)."""
    if m.group("percent") or m.group("scale"):
        return False
    start, end = _number_start(m), _number_end(m)
    before = folded[max(0, start - 2) : start].lstrip("+-")
    if m.group("sign") or folded[start - 1 : start] == "+":
        before = folded[max(0, start - 2) : start - 1]
    opening = before[-1:]
    return opening in _ENCLOSING and folded[end : end + 1] == _ENCLOSING[opening]


def _bracketed_alone(folded: str, m: re.Match[str]) -> bool:
    """A number alone between brackets or quotes with no noun after them is a label: a
    player's goal minute (لوكاس فاسكيز (11) والبرازيلي كاسيميرو (29))، a ranking's change
    (+6)، a list or note number, a model (جهاز "3310"); (158) دورة and «200» متر count the
    noun after."""
    if m.group("what") or not _bracketed(folded, m):
        return False
    span = _word_after(folded, _number_end(m) + 1)
    if span is None:
        return True
    noun = folded[span[0] : span[1]]
    return noun in _NOT_COUNTED or (noun[:1] == "و" and len(noun) > 3)


def _name_number(folded: str, m: re.Match[str]) -> bool:
    """A bare 1 in digits with nothing counted names rather than counts (فورمولا 1، إذاعة
    أوروبا 1)."""
    what = m.group("what")
    if (what and what not in _NOT_COUNTED) or m.group("percent") or m.group("scale"):
        return False
    if m.group("qual"):
        return False
    return m.group("digits") == "1" and not m.group("sign")


# A clock time in agency style: الساعة 11,00 ت غ (GMT), 19,46 ت.غ.
_GMT_AFTER = re.compile(r"\s*ت\s*\.?\s*غ(?![^\W\d_])")


def _is_clock(folded: str, m: re.Match[str]) -> bool:
    return _GMT_AFTER.match(folded, _number_end(m)) is not None


# A qualifier after the counted noun: قتل 14 شخصا على الأقل، 500 متر تقريبا.
_QUALIFIER_AFTER = re.compile(r"[ \t]*(?:(?P<least>علي الاقل)|(?P<about>تقريبا))(?![^\W\d_])")


def _qualifier_after(folded: str, end: int) -> str:
    m = _QUALIFIER_AFTER.match(folded, end)
    if m is None:
        return "exact"
    return "at_least" if m.group("least") else "approximate"


_FRACTIONS: Final = frozenset({0.5, 0.25, 1 / 3})


def _join_fractions(folded: str, found: list[FoundQuantity]) -> list[FoundQuantity]:
    """ساعتين ونصف = 2.5, ثلاثة ملايين ونصف = 3.5 million: a و + fraction right after a
    quantity adds to it rather than being a quantity of its own."""
    out: list[FoundQuantity] = []
    for q in found:
        previous = out[-1] if out else None
        # 5 أشخاص ونصف المصابين: after a counted noun the fraction starts a new phrase
        bare_number = previous is not None and (
            previous.what is None or (previous.weak and previous.what[1] >= previous.end)
        )
        joined = (
            previous is not None
            and bare_number
            and q.value in _FRACTIONS
            and folded[q.start : q.start + 1] == "و"
            and not folded[previous.end : q.start].strip()
        )
        if previous is not None and joined:
            scale = _SCALES.get(folded[previous.start : previous.end].split()[-1], 1)
            out[-1] = replace(previous, value=previous.value + q.value * scale, end=q.end)
        else:
            out.append(q)
    return out


def _quantity_matches(folded: str) -> Iterator[re.Match[str]]:
    """The matches of ``_QUANTITY.finditer(folded)``, trying the pattern only at anchors."""
    done = 0
    for anchor in _ANCHOR.finditer(folded):
        at = anchor.start()
        if at < done:
            continue
        m = None
        qualifier = _QUAL_BEFORE.search(folded, max(done, at - _QUAL_REACH), at)
        if qualifier is not None:
            m = _QUANTITY.match(folded, qualifier.start())
        if m is None:
            m = _QUANTITY.match(folded, at)
        if m is None and folded[at] == "-":
            m = _QUANTITY.match(folded, at + 1)
        if m is not None and m.end() > m.start():
            done = m.end()
            yield m


_NAMING_WORDS: Final = frozenset(
    {"ال", "رقم", "الرقم", "برقم", "الساعه", "ساعه", "القرار", "قرار", "الماده", "البند"}
    | {"القرارين", "القرارات", "طراز", "هاتف", "الهاتف", "جوال", "الجوال", "فاكس"}
    # match minutes: في الدقيقة 45، (د 90)، في الدقائق 45 و60
    | {"الدقيقه", "بالدقيقه", "د", "الدقائق", "الدقيقتين"}
    | {"الصفحه", "الاصدار", "الاصدارات"}
)
# Ranks and issues name a number unless a counted noun follows it: المركز 57 ضمن القائمة،
# المرتبة 62 في التقرير، العدد 16234 (but المركز 17 حالة انتهاك: the centre counted 17 cases).
_RANK_WORDS: Final = frozenset(
    {"المركز", "بالمركز", "المرتبه", "بالمرتبه", "الجوله", "العدد", "النسخه", "الطبعه", "الحلقه"}
)
# A score or a clock time: two small numbers joined by a dash or colon (فاز 2-1، 3 - 0، 20:10).
# A range with a scale (3-4 آلاف جندي) is a quantity.
_SCORE_OR_TIME = re.compile(
    rf"(?<![\d.,])\d{{1,2}}\s*[-–:]\s*\d{{1,2}}(?![\d%]|[.,]\d)(?!\s*(?:{_SCALE})(?![^\W\d_]))"
    r"|(?<![\d.,])\d{1,2}\s*[-–]\s*صفر(?![^\W\d_])"  # فاز 3-صفر
    r"|(?<![^\W\d_])صفر\s*[-–]\s*\d{1,2}(?![\d%]|[.,]\d)"  # خسر صفر-2
)
# A date written with slashes (27/7/2015، 1436/10/12) or an archive line's بتاريخ.
_SLASH_DATE = re.compile(r"\d{1,4}\s*/\s*\d{1,2}(?:\s*/\s*\d{1,4})?")  # also 26 /11 /1436
_DATE_WORDS: Final = frozenset({"عام", "العام", "سنه", "بتاريخ", "تاريخ", "التاريخ"})
_HIJRI: Final = frozenset({"ه", "هـ"})
_RESOLUTION = re.compile(r"(?<![^\W\d_])و?(?:ال)?قرار\s+(?:مجلس\s+الامن|الدولي|الاممي)\s+\Z")
_UNIT_EXPONENT = re.compile(r"(?<![^\W\d_])(?:كم|م|سم|مم)$")  # كم2، م3
# A list item's number: at the start of a line or right after a sentence (... بذلك. 2 - الموافقة)
_LIST_ITEM = re.compile(r"(?:^|\n|[.:؛]\s)[ \t]*$")
_ITEM_MARK = re.compile(r"\d*\s*[-)–]\s*[^\W\d_]")
# A formula, not a count: مجموعة 5+1
_FORMULA = re.compile(r"\d+\s*\+\s*\d")
# A name the number is glued to: Latin letters (iOS9، G20), a word joined by a dash that is more
# than clitics (إف-16، هواسونغ-14; not و-3), letters after a dot (إيه.إس350); not an Arabic word
# glued by a missing space (نحو60، في528).
_GLUED_NAME = re.compile(
    r"(?:[A-Za-z]+|(?<![^\W\d_])(?![وفبلك]+-$)[^\W\d_]+-|[^\W\d_]+\.[^\W\d_]+)$"
)


def _is_label(folded: str, start: int, what: str | None) -> bool:
    """A number used as a name, not a count: الدور الـ32 (after a bare article), القرار رقم
    1701، الساعة 9 and 10 بتوقيت مكة (times of day), كم2 (an exponent), ربع النهائي, a rank
    (المركز 57 ضمن), a phone number (0555...), a model (إف-16، iOS9), a formula (5+1), and a
    list item number at the start of a line or after a sentence, followed by a dash or bracket."""
    before = folded[max(0, start - 8) : start]
    last = _word_before(folded, start, 16)
    naming = last in _NAMING_WORDS or (last[:1] == "و" and last[1:] in _NAMING_WORDS)
    if naming or what in ("النهائي", "نهائي", "النهائيه", "نهائيه", "بتوقيت"):
        return True
    ranked = last in _RANK_WORDS or (last[:1] == "و" and last[1:] in _RANK_WORDS)
    if ranked and (what is None or what in _NOT_COUNTED):
        return True
    if folded[start : start + 1] == "0" and folded[start + 1 : start + 2].isdigit():
        return True  # 0555855864، 0112345678: a phone number, not a count
    if _RESOLUTION.search(folded, max(0, start - 32), start):
        return True  # قرار مجلس الأمن 1701، القرار الدولي 242
    if _UNIT_EXPONENT.search(before):
        return True
    if _GLUED_NAME.search(before) or before.rsplit("(", 1)[-1] in _NAMING_WORDS:
        return True  # إف-16، (iOS9)، (د4)، إيه.إس350: a number glued to a name is part of it
    if _FORMULA.match(folded, start) or _FORMULA.search(folded[max(0, start - 4) : start + 1]):
        return True
    return bool(_LIST_ITEM.search(before)) and _ITEM_MARK.match(folded, start) is not None


def _after_definite(folded: str, start: int) -> bool:
    return _word_before(folded, start, 10).startswith("ال")


def _word_before(folded: str, start: int, reach: int) -> str:
    """The (possibly cut) word ending within ``reach`` characters before ``start``, or ""."""
    words = [w.strip("\"«»“”'()[]") for w in folded[max(0, start - reach) : start].split()]
    words = [w for w in words if w]
    return words[-1] if words else ""


def _is_date(folded: str, start: int, digits: str | None, what: str | None) -> bool:
    """Dates and years: a month after the number or before it, a year (Gregorian, or Hijri
    with هـ), a date written with slashes, a number after عام or بتاريخ (archive lines: العدد
    الصادر بتاريخ 12 ...)."""
    if what is not None and what in MONTHS:
        return True
    if what == "من" and _month_after(folded, start):
        return True  # 22 من أغسطس
    if what == "الشهر" and digits is not None and digits.isdigit() and int(digits) <= 31:
        return True  # في 2 الشهر الجاري
    if digits is not None and len(digits) == 4 and digits.isdigit():
        year = int(digits)
        if 1900 <= year <= 2100 or (1300 <= year <= 1500 and _hijri_after(folded, start + 4)):
            return True
    if digits is not None and _inside(_SLASH_DATE, folded, start):
        return True
    before = _word_before(folded, start, 12)
    return before in MONTHS or before in _DATE_WORDS


def _month_after(folded: str, start: int) -> bool:
    words = folded[start : start + 24].split()
    return len(words) > 2 and words[2] in MONTHS


def _hijri_after(folded: str, end: int) -> bool:
    after = folded[end : end + 3].lstrip()
    return after[:1] in _HIJRI and not after[1:2].isalpha()


def _inside(pattern: re.Pattern[str], folded: str, start: int) -> bool:
    """Whether a match of ``pattern`` near ``start`` covers it."""
    lo = max(0, start - 8)
    return any(m.start() <= start < m.end() for m in pattern.finditer(folded, lo, start + 12))
