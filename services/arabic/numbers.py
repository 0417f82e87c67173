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
    rf"(?:\s*(?P<percent>%|في المئه|في المائه|بالمئه|بالمائه))?"
    rf"(?:\s+(?P<what>[^\W\d_]+))?",
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
_NOT_COUNTED_BY_ONE: Final = frozenset({"ان", "وقت", "صف", "صوت", "يد", "ال", "من"})


def _implied_quantities(folded: str) -> list[FoundQuantity]:
    found: list[FoundQuantity] = []
    matches = list(_DUAL.finditer(folded))
    if "واحد" in folded:
        matches = sorted([*matches, *_ONE.finditer(folded)], key=lambda m: m.start())
    for m in matches:
        group = "dual" if m.re is _DUAL else "one"
        words = {folded[m.start() : m.end(group)], m.group(group)}  # with and without و
        if group == "one" and words & _NOT_COUNTED_BY_ONE:
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
    found: list[FoundQuantity] = []
    for m in _quantity_matches(folded):
        digits, word, bare = m.group("digits"), m.group("word"), m.group("bare")
        scale, what, percent = m.group("scale"), m.group("what"), bool(m.group("percent"))
        number_start = m.start("digits") if digits else m.start("word") if word else m.start("bare")
        if _is_date(folded, number_start, digits, what) or _is_label(folded, number_start, what):
            continue
        if digits is not None and _inside(_SCORE_OR_TIME, folded, number_start):
            continue  # فاز 2-1، الساعة 20:10: a score or a clock time counts nothing
        if word in ("عشر", "عشره") and _after_definite(folded, number_start):
            continue  # القرن التاسع عشر: part of an ordinal
        if (word is not None or bare is not None) and scale is None and what is None:
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
        counted = None if percent or what is None else (m.start("what"), m.end("what"))
        end = (
            m.end("what")
            if counted
            else m.end("percent")
            if percent
            else m.end("scale" if scale else "digits" if digits else "word" if word else "bare")
        )
        found.append(
            FoundQuantity(
                value, qualifier, "%" if percent else None, counted, m.start(), end, weak=vague
            )
        )
    for implied in _implied_quantities(folded):
        if not any(q.start < implied.end and implied.start < q.end for q in found):
            found.append(implied)
    return _join_fractions(folded, sorted(found, key=lambda q: q.start))


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
    | {"الدقيقه", "بالدقيقه", "د"}  # match minutes: في الدقيقة 45، (د 90)
)
# A score or a clock time: two small numbers joined by a dash or colon (فاز 2-1، 3 - 0، 20:10).
# A range with a scale (3-4 آلاف جندي) is a quantity.
_SCORE_OR_TIME = re.compile(
    rf"(?<![\d.,])\d{{1,2}}\s*[-–:]\s*\d{{1,2}}(?![\d.,%])(?!\s*(?:{_SCALE})(?![^\W\d_]))"
)
# A date written with slashes (27/7/2015، 1436/10/12) or an archive line's بتاريخ.
_SLASH_DATE = re.compile(r"\d{1,4}/\d{1,2}(?:/\d{1,4})?")
_DATE_WORDS: Final = frozenset({"عام", "العام", "سنه", "بتاريخ", "تاريخ", "التاريخ"})
_HIJRI: Final = frozenset({"ه", "هـ"})
_RESOLUTION = re.compile(r"(?<![^\W\d_])و?(?:ال)?قرار\s+(?:مجلس\s+الامن|الدولي|الاممي)\s+\Z")
_UNIT_EXPONENT = re.compile(r"(?<![^\W\d_])(?:كم|م|سم|مم)$")  # كم2، م3
_LIST_ITEM = re.compile(r"(?:^|\n)[ \t]*$")


def _is_label(folded: str, start: int, what: str | None) -> bool:
    """A number used as a name, not a count: الدور الـ32 (after a bare article), القرار رقم
    1701، الساعة 9 and 10 بتوقيت مكة (times of day), كم2 (an exponent), ربع النهائي, and a
    list item number at the start of a line followed by a dash or bracket."""
    before = folded[max(0, start - 8) : start]
    last = _word_before(folded, start, 8)
    naming = last in _NAMING_WORDS or (last[:1] == "و" and last[1:] in _NAMING_WORDS)
    if naming or what in ("النهائي", "نهائي", "بتوقيت"):
        return True
    if _RESOLUTION.search(folded, max(0, start - 32), start):
        return True  # قرار مجلس الأمن 1701، القرار الدولي 242
    if _UNIT_EXPONENT.search(before):
        return True
    after = folded[start : start + 12].lstrip("0123456789")
    return bool(_LIST_ITEM.search(before)) and after.lstrip()[:1] in ("-", ")", "–")


def _after_definite(folded: str, start: int) -> bool:
    return _word_before(folded, start, 10).startswith("ال")


def _word_before(folded: str, start: int, reach: int) -> str:
    """The (possibly cut) word ending within ``reach`` characters before ``start``, or ""."""
    words = folded[max(0, start - reach) : start].split()
    return words[-1] if words else ""


def _is_date(folded: str, start: int, digits: str | None, what: str | None) -> bool:
    """Dates and years: a month after the number or before it, a year (Gregorian, or Hijri
    with هـ), a date written with slashes, a number after عام or بتاريخ (archive lines: العدد
    الصادر بتاريخ 12 ...)."""
    if what is not None and what in MONTHS:
        return True
    if digits is not None and len(digits) == 4 and digits.isdigit():
        year = int(digits)
        if 1900 <= year <= 2100 or (1300 <= year <= 1500 and _hijri_after(folded, start + 4)):
            return True
    if digits is not None and _inside(_SLASH_DATE, folded, start):
        return True
    before = _word_before(folded, start, 12)
    return before in MONTHS or before in _DATE_WORDS


def _hijri_after(folded: str, end: int) -> bool:
    after = folded[end : end + 3].lstrip()
    return after[:1] in _HIJRI and not after[1:2].isalpha()


def _inside(pattern: re.Pattern[str], folded: str, start: int) -> bool:
    """Whether a match of ``pattern`` near ``start`` covers it."""
    lo = max(0, start - 8)
    return any(m.start() <= start < m.end() for m in pattern.finditer(folded, lo, start + 12))
