"""Arabic quantities: digits (Western and Arabic-Indic), number words and scales, qualifiers.

``find_quantities`` works on the folded text (digits already Western, alef/ta marbuta folded) and
returns offsets in that folded text; callers map them back with ``MatchingText``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from services.arabic.normalize import fold

_UNITS: Final = {
    "واحد": 1,
    "واحده": 1,
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
_MONTHS: Final = frozenset(
    fold(m)
    for m in (
        *("يناير", "فبراير", "مارس", "أبريل", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس"),
        *("سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار"),
        *("حزيران", "تموز", "آب", "أيلول", "تشرين"),
    )
)

_NUM = r"\d+(?:[.,]\d+)*"
_WORD_NUMBER = "|".join(sorted((re.escape(w) for w in _UNITS), key=len, reverse=True))
_SCALE = "|".join(sorted((re.escape(w) for w in _SCALES), key=len, reverse=True))
_QUAL = "|".join(sorted((re.escape(w) for w in _QUALIFIERS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:(?P<digits>{_NUM})|(?<![^\W\d_])(?:[وب])?(?P<word>{_WORD_NUMBER})(?![^\W\d_]))"
    rf"(?:\s+(?P<scale>{_SCALE})(?![^\W\d_]))?"
    rf"(?:\s*(?P<percent>%|في المئه|في المائه|بالمئه|بالمائه))?"
    rf"(?:\s+(?P<what>[^\W\d_]+))?",
)


@dataclass(frozen=True, slots=True)
class FoundQuantity:
    value: float
    qualifier: str
    unit: str | None
    what: str | None
    start: int
    end: int


def parse_number(digits: str) -> float:
    """``32``, ``1,200``, ``3.5``, ``1.200.000`` -> float. Grouping commas are dropped."""
    if "," in digits and "." not in digits:
        parts = digits.split(",")
        if all(len(p) == 3 for p in parts[1:]):
            return float("".join(parts))
        return float(digits.replace(",", "."))
    if digits.count(".") > 1:
        return float(digits.replace(".", ""))
    return float(digits.replace(",", ""))


def find_quantities(folded: str) -> list[FoundQuantity]:
    """Quantities in folded text, skipping dates and years."""
    found: list[FoundQuantity] = []
    for m in _QUANTITY.finditer(folded):
        digits, word, scale, what = (
            m.group("digits"),
            m.group("word"),
            m.group("scale"),
            m.group("what"),
        )
        if digits is None and word is None:
            continue
        if _is_date(folded, m.start("digits") if digits else m.start("word"), digits, what):
            continue
        if word is not None and scale is None and what is None:
            continue
        base = parse_number(digits) if digits is not None else float(_UNITS[word])
        value = base * _SCALES[scale] if scale else base
        if word is not None and word in ("عشرات", "مئات") and scale:
            value = _SCALES[scale] * _UNITS[word]
        unit = "%" if m.group("percent") else None
        qualifier = _QUALIFIERS.get(m.group("qual") or "", "exact")
        if word in ("عشرات", "مئات"):
            qualifier = "at_least"
        end = m.end("what") if what is not None and not m.group("percent") else m.end()
        counted = None if m.group("percent") else what
        found.append(FoundQuantity(value, qualifier, unit, counted, m.start(), end))
    return found


def _is_date(folded: str, start: int, digits: str | None, what: str | None) -> bool:
    if what is not None and what in _MONTHS:
        return True
    if digits is not None and len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2100:
        return True
    before = folded[max(0, start - 12) : start].split()
    return bool(before) and (before[-1] in _MONTHS or before[-1] in ("عام", "العام", "سنه"))
