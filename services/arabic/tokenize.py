"""Word tokens and sentences with character offsets into the clean text."""

from __future__ import annotations

import re
from typing import NamedTuple

from services.arabic.normalize import fold

# Letters plus Arabic diacritics and tatweel (combining marks are not \w in Python's re), written
# as runs of letters between runs of marks: the same tokens as (?:letter|mark)+, a quarter faster.
_MARK = r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
_LETTERS = rf"(?:{_MARK}*[^\W\d_]+(?:{_MARK}+[^\W\d_]*)*|{_MARK}+)"
_TOKEN = re.compile(rf"\d+(?:[.,٫٬]\d+)*|{_LETTERS}(?:[-']{_LETTERS})*|\S", re.UNICODE)
# A sentence ends at . ! ? ؟ ؛ … (not between digits: 3.5) or at a line break.
_SENTENCE_BREAK = re.compile(r"(?<!\d)[.!?؟؛…]+(?=[\s\"”»)]|$)|(?<=\d)[.!?؟؛…]+(?=\s|$)|\n+")

# Clitics that attach to the front of a word: conjunctions, then prepositions, then the article.
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")


class Token(NamedTuple):
    """A token and its folded form. A named tuple, not a frozen dataclass: articles have
    thousands of tokens, and a frozen dataclass pays ``object.__setattr__`` per field."""

    text: str
    start: int
    end: int
    folded: str
    is_word: bool  # its folded form starts with a letter


def tokenize(text: str) -> list[Token]:
    """Words, numbers and punctuation marks of ``text`` with offsets; folding done once here."""
    out = []
    folds = _FOLDS
    if len(folds) > 200_000:  # bounded on endless streams of new words
        folds.clear()
    for m in _TOKEN.finditer(text):
        word = m.group()
        folded = folds.get(word)
        if folded is None:
            folded = folds[word] = fold(word)
        # a tatweel-only "ـ" (a dash in datelines) folds to nothing and is no word
        out.append(Token(word, m.start(), m.end(), folded, folded[:1].isalpha()))
    return out


_FOLDS: dict[str, str] = {}  # word -> folded: news repeats its words


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences as ``(start, end)`` spans, stripped of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for brk in _SENTENCE_BREAK.finditer(text):
        if brk.group() == "." and _after_initial(text, brk.start()):
            continue  # د. محمد، U.S.: a period after a lone letter abbreviates
        end = brk.end() if brk.group()[0] != "\n" else brk.start()
        _append_stripped(text, start, end, spans)
        start = brk.end()
    _append_stripped(text, start, len(text), spans)
    return spans


def _after_initial(text: str, period: int) -> bool:
    """The character before ``period`` is a letter standing alone (an initial)."""
    return (
        period >= 1
        and text[period - 1].isalpha()
        and (period < 2 or not text[period - 2].isalpha())
    )


def _append_stripped(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def strip_clitics(folded_word: str) -> list[str]:
    """Candidate stems of a folded word, longest first: وبالبيت -> [وبالبيت, بالبيت, البيت, ...].

    Only prefixes are stripped, and a stem keeps at least two letters; ``لل`` restores the
    article's alef (للبيت -> البيت) because ل + ال is written without it.
    """
    candidates = [folded_word]
    word = folded_word
    if len(word) > 3 and word[0] in _CONJUNCTIONS:
        word = word[1:]
        candidates.append(word)
    if len(word) > 3 and word.startswith("لل"):
        candidates.append("ا" + word[1:])
        candidates.append(word[2:])
    elif len(word) > 3 and word[0] in _PREPOSITIONS:
        candidates.append(word[1:])
    return candidates
