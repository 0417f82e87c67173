"""Arabic normalization: a faithful display form and a matching form that maps back to it.

Two forms serve two purposes. ``clean_surface`` produces the text we deliver: Unicode compatibility
forms folded (presentation forms, ligatures), tatweel and invisible marks removed, whitespace
tidied, but hamzas, ta marbuta, diacritics and punctuation kept, so quotes stay verbatim.
``matching_form`` folds everything that varies between outlets (alef variants, alef maksura,
ta marbuta, diacritics, Arabic-Indic digits) so lexicons and gazetteers match; it keeps a map
back to offsets in the delivered text.

All tables are built once at import time; the per-call work is ``str.translate`` and one regex.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from camel_tools.utils.charsets import AR_DIAC_CHARSET
from camel_tools.utils.normalize import normalize_unicode

TATWEEL = "\u0640"
# Zero-width and directional marks that scrapers leave behind; they carry no text.
_INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\ufeff\u061c\u00ad"
    "\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\u180e\u034f"
)
# Control characters carry no text either (tab and line breaks are whitespace, kept).
_CONTROLS = "".join(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))
_C1_CONTROLS = "".join(chr(c) for c in range(0x80, 0xA0))
# Runs that need rewriting: two or more spaces, or any other horizontal space. (Matching every
# single space too would rewrite a page's hundreds of spaces to themselves.)
_HORIZONTAL_SPACE = re.compile(
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*| {2,}"
)
# Arabic presentation forms and ligatures: rare in scraped text, and the only input that needs
# camel-tools' (slow, per-character) compatibility normalization; everything else skips it.
_NEEDS_COMPAT_FOLD = re.compile(r"[\ufb50-\ufdff\ufe70-\ufefe]")

# Few characters are ever removed from the surface: a regex scan beats a per-character table.
_SURFACE_DELETE = re.compile(
    "[" + re.escape(_INVISIBLE + TATWEEL + _CONTROLS + _C1_CONTROLS) + "]+"
)

_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_FOLDS: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",  # Persian yeh, common in copy-pasted text
    "ک": "ك",  # Persian kaf
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "٫": ".",
    "٬": ",",
}
for _i, (_a, _p) in enumerate(zip(_ARABIC_INDIC_DIGITS, _PERSIAN_DIGITS, strict=True)):
    _FOLDS[_a] = str(_i)
    _FOLDS[_p] = str(_i)
# ASCII only: str.lower() can change the length of other scripts' text and break offsets.
_FOLDS.update({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})

_DELETED_IN_MATCHING = "".join(sorted(AR_DIAC_CHARSET)) + TATWEEL + _INVISIBLE


def _list_table(mapping: dict[int, str | int | None]) -> list[str | None]:
    """A translation table indexed by code point: str.translate reads a list about twice as fast
    as a dict. Code points past its end raise IndexError, which translate treats as unchanged."""
    table: list[str | None] = [chr(i) for i in range(max(mapping) + 1)]
    for code, target in mapping.items():
        table[code] = chr(target) if isinstance(target, int) else target
    return table


_MATCHING_TABLE = _list_table(str.maketrans({**_FOLDS, **dict.fromkeys(_DELETED_IN_MATCHING)}))
_DELETED_RUN = re.compile("[" + re.escape(_DELETED_IN_MATCHING) + "]+")


def clean_surface(text: str) -> str:
    """Return the deliverable form of ``text``: compatibility-folded, no tatweel or invisibles.

    Line structure is kept (``\\r\\n`` becomes ``\\n``); runs of horizontal space become one space
    and lines are stripped, so block detection downstream sees tidy lines.
    """
    if _NEEDS_COMPAT_FOLD.search(text):
        text = normalize_unicode(text)
    # Remove tatweel and invisibles first: that can bring combining marks together, and NFC
    # must then put them in canonical order (or cleaning would not be idempotent).
    text = _SURFACE_DELETE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = unicodedata.normalize("NFC", text) if not text.isascii() else text
    text = _HORIZONTAL_SPACE.sub(" ", text)  # one pass over the page, not one per line
    return text.replace(" \n", "\n").replace("\n ", "\n").strip(" ")


def fold(text: str) -> str:
    """Matching form of ``text`` without an offset map (for lexicon keys and quick tests)."""
    return text.translate(_MATCHING_TABLE)


@dataclass(frozen=True, slots=True)
class MatchingText:
    """A folded copy of a text and the way back to the original offsets.

    ``runs`` holds, for every stretch that survived folding unchanged in length, its start in the
    folded text and in the source; deleted characters (diacritics, tatweel) sit between runs.
    """

    source: str
    folded: str
    _folded_starts: tuple[int, ...]
    _source_starts: tuple[int, ...]

    def to_source(self, folded_index: int) -> int:
        """Offset in ``source`` of the character at ``folded_index`` (or end for len(folded))."""
        if not self._folded_starts:
            return folded_index
        run = bisect_right(self._folded_starts, folded_index) - 1
        return self._source_starts[run] + folded_index - self._folded_starts[run]

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering the folded span ``[start, end)``."""
        if end <= start:
            source_start = self.to_source(start)
            return source_start, source_start
        return self.to_source(start), self.to_source(end - 1) + 1


def matching_form(text: str) -> MatchingText:
    """Fold ``text`` for matching and keep a map from folded offsets back to ``text`` offsets."""
    folded = text.translate(_MATCHING_TABLE)
    if len(folded) == len(text):
        return MatchingText(text, folded, (), ())
    folded_starts: list[int] = [0]
    source_starts: list[int] = [0]
    removed = 0
    for deleted in _DELETED_RUN.finditer(text):
        removed += deleted.end() - deleted.start()
        folded_starts.append(deleted.end() - removed)
        source_starts.append(deleted.end())
    return MatchingText(text, folded, tuple(folded_starts), tuple(source_starts))
