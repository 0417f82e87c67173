"""Split a scraped article into its own title and body, removed boilerplate, and glued articles.

The unit of decision is the line: scrapers flatten pages into lines, and boilerplate (related
headlines, timestamps, read-also markers, widgets, captions, bylines) comes as whole lines. Each
line gets features (its folded form, word count, punctuation, whether it is a timestamp or a
marker), then a small state machine walks the lines: a related-links or read-also marker opens a
list whose short headline-like lines and timestamps are removed, and a read-also marker followed
by a headline and real paragraphs opens an *appended* article instead, kept apart from the body.

Offsets in ``Block`` and ``Appended`` refer to ``Segmented.source``, the surface-normalized input.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Final

from services.arabic.normalize import clean_surface, fold


class BlockKind(StrEnum):
    RELATED_LINKS = "related_links"
    READ_ALSO = "read_also"
    TIMESTAMP = "timestamp"
    CAPTION = "caption"
    BYLINE = "byline"
    SOURCE_LINE = "source_line"
    WIDGET = "widget"
    SEPARATOR = "separator"


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Appended:
    title: str | None
    text: str
    marker: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segmented:
    source: str
    title: str | None
    text: str
    paragraphs: list[tuple[int, int]]
    removed: list[Block] = field(default_factory=list)
    appended: list[Appended] = field(default_factory=list)


def _load_lexicon() -> dict[str, tuple[str, ...]]:
    raw = json.loads(
        resources.files("services.arabic.resources").joinpath("boilerplate.json").read_text("utf-8")
    )
    return {
        kind: tuple(sorted({fold(m) for m in markers}, key=len, reverse=True))
        for kind, markers in raw.items()
        if not kind.startswith("_")
    }


_LEXICON: Final = _load_lexicon()
_MARKER_KINDS: Final = (BlockKind.READ_ALSO, BlockKind.RELATED_LINKS, BlockKind.WIDGET)

_PUNCT_EDGES = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!؟?…:\"”»)]$")
_BULLET = re.compile(r"^\s*(?:[•·▪►▶◄●○■□◆◇\-–—*]|\d{1,2}[.)-])\s+")
_SEPARATOR = re.compile(r"^[\s\-–—_=*~.•·]{3,}$")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)

_MONTHS = (
    "يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر "
    "كانون الثاني شباط اذار نيسان ايار حزيران تموز اب ايلول تشرين الاول "
    "jan feb mar apr may jun jul aug sep oct nov dec january february march april june july "
    "august september october november december"
)
_WEEKDAYS = (
    "السبت الاحد الاثنين الإثنين الثلاثاء الاربعاء الخميس الجمعه "
    "sat sun mon tue wed thu fri saturday sunday monday tuesday wednesday thursday friday"
)
_TIME_WORDS = (
    "ص م صباحا مساء مساءا am pm gmt utc بتوقيت مكه غرينتش جرينتش اخر تحديث تحديث نشر في "
    "منذ ساعه ساعات ساعتين دقيقه دقائق دقيقتين يوم ايام يومين ثانيه ثوان اسبوع امس اليوم "
    "الساعه تاريخ النشر"
)
_DATE_TOKENS: Final = frozenset(
    fold(w) for w in (_MONTHS + " " + _WEEKDAYS + " " + _TIME_WORDS).split()
)
_DATE_SPLIT = re.compile(r"[\s,،/:\-–()+.|]+")


def is_timestamp(folded_line: str) -> bool:
    """A line made only of dates, times, weekday/month names and "X hours ago" words."""
    tokens = [t for t in _DATE_SPLIT.split(folded_line) if t]
    if not tokens or len(tokens) > 12:
        return False
    has_anchor = False
    for token in tokens:
        if token.isdigit():
            has_anchor = True
        elif token in _DATE_TOKENS:
            has_anchor = has_anchor or token == "منذ"
        else:
            return False
    return has_anchor


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    start: int
    end: int
    key: str  # folded, punctuation stripped at the edges
    words: int

    @property
    def is_blank(self) -> bool:
        return not self.text

    @property
    def is_paragraph(self) -> bool:
        """Looks like running prose rather than a headline or a label."""
        return self.words >= 25 or (self.words >= 12 and bool(_SENTENCE_END.search(self.text)))

    @property
    def is_headline_like(self) -> bool:
        return 0 < self.words <= 30 and not (self.words >= 12 and self.text.endswith("."))


def _split_lines(source: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for raw in source.split("\n"):
        folded = fold(raw)  # no diacritics, which \w would split words on
        key = _PUNCT_EDGES.sub("", folded)
        lines.append(_Line(raw, offset, offset + len(raw), key, len(_WORD.findall(folded))))
        offset += len(raw) + 1
    return lines


def _marker_kind(line: _Line) -> tuple[BlockKind, bool] | None:
    """Kind of marker this line is, and whether it carries content after the marker."""
    for kind in _MARKER_KINDS:
        for marker in _LEXICON[kind.value]:
            if line.key == marker:
                return kind, False
            if line.key.startswith(marker) and line.words <= len(marker.split()) + 25:
                rest = (
                    fold(line.text)[len(marker) :].lstrip()
                    if fold(line.text).startswith(marker)
                    else ""
                )
                if rest[:1] in (":", "|", "-", "–") or (
                    kind is BlockKind.WIDGET and line.words <= len(marker.split()) + 2
                ):
                    return kind, bool(rest.strip(" :|-–"))
    return None


def _line_kind(line: _Line, before_body: bool) -> BlockKind | None:
    """Kind of a standalone boilerplate line, or None for body text."""
    if _SEPARATOR.match(line.text):
        return BlockKind.SEPARATOR
    if _URL_ONLY.match(line.text):
        return BlockKind.WIDGET
    if is_timestamp(line.key):
        return BlockKind.TIMESTAMP
    head = line.key.split(" ", 1)[0] if line.key else ""
    if (
        line.words <= 8
        and any(line.key.startswith(p) for p in _LEXICON["source_line"])
        and ":" in line.text
    ):
        return BlockKind.SOURCE_LINE
    if line.words <= 12 and not line.is_paragraph:
        tail = line.key.rsplit("-", 1)[-1].strip() if "-" in line.key else ""
        paren = re.search(r"\(([^)]*)\)\s*$", fold(line.text))
        credit = paren.group(1).strip() if paren else tail
        if credit and credit in _LEXICON["caption_suffix"]:
            return BlockKind.CAPTION
    if before_body and line.words <= 6 and head in _LEXICON["byline_prefix"]:
        return BlockKind.BYLINE
    if before_body and 2 <= line.words <= 5 and not re.search(r"[.،,:؟?!\"“”«»]", line.text):
        return BlockKind.BYLINE
    return None


def segment(content: str, title: str | None = None) -> Segmented:
    """Separate ``content`` into title, body paragraphs, removed blocks and appended articles."""
    source = clean_surface(content)
    lines = _split_lines(source)
    removed: list[Block] = []
    appended: list[Appended] = []
    body: list[_Line] = []

    index = _skip_blank(lines, 0)
    if title is None and index < len(lines) and _looks_like_title(lines, index):
        title = lines[index].text
        index += 1
    elif (
        title is not None
        and index < len(lines)
        and lines[index].key == _PUNCT_EDGES.sub("", fold(title))
    ):
        index += 1

    while index < len(lines):
        line = lines[index]
        if line.is_blank:
            index += 1
            continue
        marker = _marker_kind(line)
        if marker is not None:
            kind, inline = marker
            removed.append(Block(kind, line.text, line.start, line.end))
            index += 1
            if kind is BlockKind.WIDGET and not _followed_by_list(lines, index):
                continue
            glued = (
                _glued_article(lines, index) if kind is BlockKind.READ_ALSO and not inline else None
            )
            if glued is not None:
                appended.append(_make_appended(lines, index, glued, line.text))
                index = glued
                continue
            index = _consume_list(lines, index, removed)
            continue
        kind_of_line = _line_kind(line, before_body=not any(b.is_paragraph for b in body))
        if kind_of_line is not None:
            removed.append(Block(kind_of_line, line.text, line.start, line.end))
        else:
            body.append(line)
        index += 1

    text, paragraphs = _join(body)
    return Segmented(source, title, text, paragraphs, removed, appended)


def _skip_blank(lines: list[_Line], index: int) -> int:
    while index < len(lines) and lines[index].is_blank:
        index += 1
    return index


def _looks_like_title(lines: list[_Line], index: int) -> bool:
    first = lines[index]
    return first.is_headline_like and _marker_kind(first) is None and not is_timestamp(first.key)


def _followed_by_list(lines: list[_Line], index: int) -> bool:
    nxt = _skip_blank(lines, index)
    return nxt < len(lines) and bool(_BULLET.match(lines[nxt].text))


def _consume_list(lines: list[_Line], index: int, removed: list[Block]) -> int:
    """Remove the headline list that follows a marker; stop at the first real paragraph."""
    while index < len(lines):
        line = lines[index]
        if line.is_blank:
            index += 1
            continue
        if _marker_kind(line) is not None:
            return index
        if is_timestamp(line.key):
            removed.append(Block(BlockKind.TIMESTAMP, line.text, line.start, line.end))
        elif _BULLET.match(line.text) or (line.is_headline_like and not line.is_paragraph):
            removed.append(Block(BlockKind.RELATED_LINKS, line.text, line.start, line.end))
        else:
            return index
        index += 1
    return index


def _glued_article(lines: list[_Line], index: int) -> int | None:
    """End index of an article glued after a read-also marker, or None when only links follow.

    A glued article is a headline followed by at least two prose paragraphs; it runs until the
    next marker line or the end of the input.
    """
    start = _skip_blank(lines, index)
    paragraphs_from = start if start >= len(lines) or lines[start].is_paragraph else start + 1
    prose = 0
    end = paragraphs_from
    while end < len(lines):
        line = lines[end]
        if not line.is_blank and _marker_kind(line) is not None:
            break
        prose += line.is_paragraph
        end += 1
    return end if prose >= 2 else None


def _make_appended(lines: list[_Line], index: int, end: int, marker: str) -> Appended:
    start = _skip_blank(lines, index)
    own = [line for line in lines[start:end] if not line.is_blank]
    heading = own[0].text if own and not own[0].is_paragraph else None
    body_lines = own[1:] if heading is not None else own
    text, _ = _join(body_lines)
    return Appended(
        heading,
        text,
        marker,
        own[0].start if own else lines[index].start,
        own[-1].end if own else lines[index].start,
    )


def _join(body: list[_Line]) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    paragraphs: list[tuple[int, int]] = []
    offset = 0
    for line in body:
        paragraphs.append((offset, offset + len(line.text)))
        parts.append(line.text)
        offset += len(line.text) + 1
    return "\n".join(parts), paragraphs
