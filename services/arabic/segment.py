"""Split a scraped article into its own title and body, removed boilerplate, and glued articles.

The unit of decision is the line: scrapers flatten pages into lines, and boilerplate (related
headlines, timestamps, read-also markers, widgets, menus, captions, bylines) comes as whole lines.
Each line gets features (folded form, word count, punctuation, whether it is a timestamp or a
marker). A first pass walks the lines: a related-links or read-also marker opens a list whose
short headline-like lines and timestamps are removed, and a read-also marker followed by a
headline and real paragraphs opens an *appended* article, kept apart from the body. Later passes
look at shape rather than words: runs of very short lines (menus) and short residue after a
separator or widget at the very end (footers).

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
    MENU = "menu"
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
    data = (
        resources.files("services.arabic.resources").joinpath("boilerplate.json").read_text("utf-8")
    )
    return {
        kind: tuple(sorted({fold(m) for m in markers}, key=len, reverse=True))
        for kind, markers in json.loads(data).items()
        if not kind.startswith("_")
    }


_LEXICON: Final = _load_lexicon()
_MARKER_KINDS: Final = (BlockKind.READ_ALSO, BlockKind.RELATED_LINKS, BlockKind.WIDGET)
# One anchored alternation per kind (longest marker first): group 1 the marker, group 2 the rest.
_MARKER_PATTERNS: Final = tuple(
    (kind, re.compile("^(" + "|".join(map(re.escape, _LEXICON[kind.value])) + ")(.*)$"))
    for kind in _MARKER_KINDS
)
_WIDGET_PREFIX: Final = re.compile(
    "^(?:" + "|".join(map(re.escape, _LEXICON["widget_prefixes"])) + ")"
)
_DISCLAIMER: Final = re.compile("|".join(map(re.escape, _LEXICON["disclaimer_phrases"])))
_SOURCE_PREFIX: Final = re.compile("^(?:" + "|".join(map(re.escape, _LEXICON["source_line"])) + ")")
_CAPTION_PREFIX: Final = re.compile(
    "^(?:" + "|".join(map(re.escape, _LEXICON["caption_prefixes"])) + r")\s*:"
)
_SOCIAL: Final = frozenset(w for phrase in _LEXICON["social"] for w in phrase.split())
_CREDITS: Final = frozenset(re.sub(r"[\s.]", "", c) for c in _LEXICON["caption_suffix"])

# From the first to the last word character: the line without punctuation at its edges. (A
# ``[\W_]+$`` alternative would be retried at every position of every line.)
_CORE = re.compile(r"[^\W_](?:.*[^\W_])?", re.DOTALL)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!؟?…:\"”»)]$")
_INNER_PUNCT = re.compile(r"[.،,:؛؟?!\"“”«»]")
_BULLET = re.compile(r"^\s*(?:[•·▪►▶◄●○■□◆◇\-–—*]|\d{1,2}[.)-])\s+")
_SEPARATOR = re.compile(r"^[\s\-–—_=*~.•·]{3,}$")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_CREDIT_IN_PARENS = re.compile(r"\(([^)]*)\)\s*$")

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

MENU_RUN: Final = 3  # consecutive very short lines that make a menu


def is_timestamp(folded_line: str) -> bool:
    """A line made only of dates, times, weekday/month names and "X hours ago" words."""
    if len(folded_line) > 100:  # twelve date tokens never take that much: skip prose quickly
        return False
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
    key: str  # folded (ASCII lower-cased), punctuation stripped at the edges
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

    @property
    def is_label(self) -> bool:
        """A very short line without sentence punctuation: menu item, section name, label."""
        return 0 < self.words <= 3 and not _INNER_PUNCT.search(self.text.rstrip(":"))


def _strip_edges(text: str) -> str:
    core = _CORE.search(text)
    return core.group() if core else ""


def _split_lines(source: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    # Folding keeps every newline, so the folded lines pair up with the source lines. Folded
    # text has no diacritics, which \w would split words on.
    for raw, folded in zip(source.split("\n"), fold(source).split("\n"), strict=True):
        key = _strip_edges(folded)
        lines.append(_Line(raw, offset, offset + len(raw), key, len(_WORD.findall(folded))))
        offset += len(raw) + 1
    return lines


def _marker_kind(line: _Line) -> tuple[BlockKind, bool] | None:
    """Kind of marker this line is, and whether it carries content after the marker."""
    if line.is_blank or line.words > 30:
        return None
    for kind, pattern in _MARKER_PATTERNS:
        found = pattern.match(line.key)
        if found is None:
            continue
        marker, after = found.groups()
        if not after:
            return kind, False
        if after[:1] in (":", "|", "-", "–", ".", "»", "<"):
            return kind, bool(after.strip(" :|-–.»<"))
        few_more_words = line.words <= len(marker.split()) + 2
        if kind is BlockKind.WIDGET and few_more_words and after[:1] == " ":
            return kind, False
    return None


def _line_kind(line: _Line, before_body: bool) -> BlockKind | None:
    """Kind of a standalone boilerplate line, or None for body text."""
    if _SEPARATOR.match(line.text):
        return BlockKind.SEPARATOR
    if _URL_ONLY.match(line.text):
        return BlockKind.WIDGET
    if is_timestamp(line.key):
        return BlockKind.TIMESTAMP
    if line.text.count("|") >= 2 and line.words <= 8 * (line.text.count("|") + 1):
        return BlockKind.MENU
    if _WIDGET_PREFIX.match(line.key) or _DISCLAIMER.search(line.key):
        return BlockKind.WIDGET
    if line.words <= 8 and ":" in line.text and _SOURCE_PREFIX.match(line.key):
        return BlockKind.SOURCE_LINE
    if (
        line.words <= 12
        and not line.is_paragraph
        and (_caption_credit(line) or _CAPTION_PREFIX.match(line.key))
    ):
        return BlockKind.CAPTION
    if 0 < line.words <= 8 and _is_share_bar(line):
        return BlockKind.WIDGET
    first_word = _WORD.match(line.key)
    head = first_word.group() if first_word else ""
    if line.words <= 6 and head in _LEXICON["byline_prefix"] and ":" in line.text:
        return BlockKind.BYLINE
    if before_body and line.words <= 6 and head in _LEXICON["byline_prefix"]:
        return BlockKind.BYLINE
    return None


def _bare_name(line: _Line) -> bool:
    return 2 <= line.words <= 4 and not _INNER_PUNCT.search(line.text)


def _caption_credit(line: _Line) -> bool:
    """The line ends with a photo credit: ``- أرشيفية``, ``(رويترز)``."""
    paren = _CREDIT_IN_PARENS.search(fold(line.text))
    credit = paren.group(1).strip() if paren else ""
    if not credit and "-" in line.key:
        credit = line.key.rsplit("-", 1)[-1].strip()
    return bool(credit) and re.sub(r"[\s.]", "", credit) in _CREDITS


def _is_share_bar(line: _Line) -> bool:
    """Most words are social networks or share actions: فيسبوك تويتر واتساب."""
    words = _WORD.findall(line.key)
    return sum(w in _SOCIAL for w in words) * 10 >= len(words) * 6


def segment(content: str, title: str | None = None) -> Segmented:
    """Separate ``content`` into title, body paragraphs, removed blocks and appended articles."""
    source = clean_surface(content)
    lines = _split_lines(source)
    labels: list[BlockKind | None] = [None] * len(lines)
    appended: list[Appended] = []
    claimed = [False] * len(lines)  # lines that belong to the title or an appended article

    index = _skip_blank(lines, 0)
    if title is None and index < len(lines) and _looks_like_title(lines, index):
        title = lines[index].text
        claimed[index] = True
        index += 1
    elif title is not None and index < len(lines) and lines[index].key == _key(title):
        claimed[index] = True
        index += 1

    seen_body = False
    while index < len(lines):
        line = lines[index]
        if line.is_blank:
            index += 1
            continue
        marker = _marker_kind(line)
        if marker is not None:
            kind, inline = marker
            labels[index] = kind
            index += 1
            if kind is BlockKind.WIDGET and not _followed_by_list(lines, index):
                continue
            glued = (
                _glued_article(lines, index) if kind is BlockKind.READ_ALSO and not inline else None
            )
            if glued is not None:
                appended.append(_make_appended(lines, index, glued, line.text))
                for i in range(index, glued):
                    claimed[i] = True
                index = glued
                continue
            index = _consume_list(lines, index, labels)
            continue
        labels[index] = _line_kind(line, before_body=not seen_body)
        seen_body = seen_body or (labels[index] is None and line.is_paragraph)
        index += 1

    # Removing a byline can complete a menu run and the other way round: repeat to a fixed point
    # (labels are only ever added, so this ends), which also makes cleaning idempotent.
    while True:
        before = labels.copy()
        _label_menus(lines, labels, claimed)
        _label_bylines(lines, labels, claimed)
        if labels == before:
            break
    _label_footer(lines, labels, claimed)

    removed = [
        Block(kind, lines[i].text, lines[i].start, lines[i].end)
        for i, kind in enumerate(labels)
        if kind is not None
    ]
    body = [
        line
        for i, line in enumerate(lines)
        if labels[i] is None and not claimed[i] and not line.is_blank
    ]
    text, paragraphs = _join(body)
    return Segmented(source, title, text, paragraphs, removed, appended)


def _key(text: str) -> str:
    return _strip_edges(fold(text))


def _skip_blank(lines: list[_Line], index: int) -> int:
    while index < len(lines) and lines[index].is_blank:
        index += 1
    return index


def _looks_like_title(lines: list[_Line], index: int) -> bool:
    """A short first line with more text after it (a one-line article is its own body)."""
    first = lines[index]
    return (
        _skip_blank(lines, index + 1) < len(lines)
        and first.is_headline_like
        and _marker_kind(first) is None
        and not is_timestamp(first.key)
        and not _URL_ONLY.match(first.text)
    )


def _followed_by_list(lines: list[_Line], index: int) -> bool:
    nxt = _skip_blank(lines, index)
    return nxt < len(lines) and bool(_BULLET.match(lines[nxt].text))


def _consume_list(lines: list[_Line], index: int, labels: list[BlockKind | None]) -> int:
    """Label the headline list that follows a marker; stop at the first real paragraph."""
    while index < len(lines):
        line = lines[index]
        if line.is_blank:
            index += 1
            continue
        if _marker_kind(line) is not None:
            return index
        if is_timestamp(line.key):
            labels[index] = BlockKind.TIMESTAMP
        elif _BULLET.match(line.text) or (line.is_headline_like and not line.is_paragraph):
            labels[index] = BlockKind.RELATED_LINKS
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
        if _marker_kind(line) is not None:
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
    first = own[0].start if own else lines[index].start
    return Appended(heading, text, marker, first, own[-1].end if own else first)


def _label_bylines(lines: list[_Line], labels: list[BlockKind | None], claimed: list[bool]) -> None:
    """A bare name between the headline and the first paragraph (جاسر الضبع) is a byline.

    Kickers and subtitles are longer or punctuated, and a name is followed by the article itself
    (or by another such line). Decided on the lines still kept, so cleaning again changes nothing.
    """
    kept = [
        i
        for i, line in enumerate(lines)
        if not line.is_blank and labels[i] is None and not claimed[i]
    ]
    for n, i in enumerate(kept):
        if lines[i].is_paragraph:
            return
        following = lines[kept[n + 1]] if n + 1 < len(kept) else None
        if (
            _bare_name(lines[i])
            and following is not None
            and (following.is_paragraph or _bare_name(following))
        ):
            labels[i] = BlockKind.BYLINE


def _label_menus(lines: list[_Line], labels: list[BlockKind | None], claimed: list[bool]) -> None:
    """Runs of at least MENU_RUN label-like lines are navigation menus.

    Lines already removed for another reason, or moved to an appended article, do not break a
    run, so cleaning a cleaned text finds the same menus (idempotence).
    """
    run: list[int] = []
    for i, line in enumerate(lines):
        removed = labels[i] is not None and not (labels[i] is BlockKind.BYLINE and line.is_label)
        if line.is_blank or removed or claimed[i]:
            continue
        if line.is_label:
            run.append(i)
            continue
        _mark_menu(run, labels)
        run = []
    _mark_menu(run, labels)


def _mark_menu(run: list[int], labels: list[BlockKind | None]) -> None:
    if len(run) >= MENU_RUN:
        for i in run:
            labels[i] = BlockKind.MENU


def _label_footer(lines: list[_Line], labels: list[BlockKind | None], claimed: list[bool]) -> None:
    """Short residue at the very end (after a separator or removed block) is page footer."""
    content = [i for i, line in enumerate(lines) if not line.is_blank and not claimed[i]]
    tail: list[int] = []
    for i in reversed(content):
        if labels[i] is not None:
            break
        tail.append(i)
    else:
        return
    if not tail or len(tail) > 3:
        return
    boundary = labels[content[len(content) - len(tail) - 1]]
    short = all(lines[i].words <= 6 and not lines[i].is_paragraph for i in tail)
    if boundary is BlockKind.SEPARATOR or (
        short and boundary in (BlockKind.WIDGET, BlockKind.MENU)
    ):
        for i in tail:
            labels[i] = BlockKind.WIDGET


def _join(body: list[_Line]) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    paragraphs: list[tuple[int, int]] = []
    offset = 0
    for line in body:
        paragraphs.append((offset, offset + len(line.text)))
        parts.append(line.text)
        offset += len(line.text) + 1
    return "\n".join(parts), paragraphs
