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
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Final

from services.arabic.normalize import clean_surface, fold
from services.arabic.pagelines import (
    BODY,
    BOILER,
    GLUED,
    LineModel,
    PageLine,
    page_features,
    shipped_model,
)


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
    TEASER = "teaser"  # the lead sentence of another story
    CONTACT = "contact"  # an author's or the outlet's e-mail, phone or SMS line


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


def _is_separator(line: _Line, before_body: bool) -> bool:
    return bool(_SEPARATOR.match(line.text))


def _is_url(line: _Line, before_body: bool) -> bool:
    return bool(_URL_ONLY.match(line.text))


def _is_timestamp_line(line: _Line, before_body: bool) -> bool:
    return is_timestamp(line.key)


def _is_bar_menu(line: _Line, before_body: bool) -> bool:
    return line.text.count("|") >= 2 and line.words <= 8 * (line.text.count("|") + 1)


def _is_widget(line: _Line, before_body: bool) -> bool:
    return bool(_WIDGET_PREFIX.match(line.key) or _DISCLAIMER.search(line.key))


def _is_source_line(line: _Line, before_body: bool) -> bool:
    return line.words <= 8 and ":" in line.text and bool(_SOURCE_PREFIX.match(line.key))


def _is_caption(line: _Line, before_body: bool) -> bool:
    return (
        line.words <= 12
        and not line.is_paragraph
        and (_caption_credit(line) or bool(_CAPTION_PREFIX.match(line.key)))
    )


def _is_share_bar_line(line: _Line, before_body: bool) -> bool:
    return 0 < line.words <= 8 and _is_share_bar(line)


def _head(line: _Line) -> str:
    first_word = _WORD.match(line.key)
    return first_word.group() if first_word else ""


def _is_byline(line: _Line, before_body: bool) -> bool:
    if line.words > 6 or _head(line) not in _LEXICON["byline_prefix"]:
        return False
    return ":" in line.text or before_body


@dataclass(frozen=True, slots=True)
class LineRule:
    """A named test of one line; the first enabled rule (lowest priority) that holds wins."""

    name: str
    priority: int
    kind: BlockKind
    applies: Callable[[_Line, bool], bool]  # (line, before the first paragraph)


LINE_RULES: Final = tuple(
    sorted(
        (
            LineRule("separator", 10, BlockKind.SEPARATOR, _is_separator),
            LineRule("url_only", 20, BlockKind.WIDGET, _is_url),
            LineRule("timestamp", 30, BlockKind.TIMESTAMP, _is_timestamp_line),
            LineRule("bar_menu", 40, BlockKind.MENU, _is_bar_menu),
            LineRule("widget", 50, BlockKind.WIDGET, _is_widget),
            LineRule("source_line", 60, BlockKind.SOURCE_LINE, _is_source_line),
            LineRule("caption", 70, BlockKind.CAPTION, _is_caption),
            LineRule("share_bar", 80, BlockKind.WIDGET, _is_share_bar_line),
            LineRule("byline_prefix", 90, BlockKind.BYLINE, _is_byline),
        ),
        key=lambda rule: rule.priority,
    )
)
# Rules over several lines, applied in this order; each can be switched off like a line rule.
PASS_RULES: Final = (
    "title",  # a short first line with text after it is the title
    "markers",  # a marker line, and the headline list after related/read-also markers
    "glued_article",  # a headline and two paragraphs after a read-also marker: another article
    "menus",  # runs of label-like lines
    "bylines",  # a bare name between the headline and the first paragraph
    "footer",  # short residue after a separator or widget at the very end
)
# Guards on the labeller's decision (see _guard_body), switchable like the rules.
GUARDS: Final = ("lead_kept", "inner_prose_kept")
RULE_NAMES: Final = (*(rule.name for rule in LINE_RULES), *PASS_RULES, *GUARDS)


def _line_kind(line: _Line, before_body: bool, disabled: frozenset[str]) -> BlockKind | None:
    """Kind of a standalone boilerplate line, or None for body text."""
    for rule in LINE_RULES:
        if rule.name not in disabled and rule.applies(line, before_body):
            return rule.kind
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


_labeller_on = True  # set once per process from settings (RASD_CLEAN_LABELLER) by use_labeller


def use_labeller(on: bool) -> None:
    """Whether cleaning uses the shipped line labeller in this process: the worker and the CLI
    pass ``Settings.clean_labeller``; text processing itself reads no configuration."""
    global _labeller_on
    _labeller_on = on


def segment(
    content: str,
    title: str | None = None,
    *,
    disabled: frozenset[str] = frozenset(),
    use_model: bool = True,
    model: LineModel | None = None,
) -> Segmented:
    """Separate ``content`` into title, body paragraphs, removed blocks and appended articles.

    The rules (``LINE_RULES``, ``PASS_RULES``; any can be ``disabled``) label lines; the shipped
    line labeller, when present and ``use_model`` holds, takes their verdicts as features and
    makes the final decision; ``model`` replaces the shipped one (for evaluation).
    """
    source = clean_surface(content)
    lines = _split_lines(source)
    page = _apply_rules(lines, title, disabled)
    if use_model and (_labeller_on or model is not None):
        model = model or shipped_model()
        if model is not None:
            labelled = _apply_model(lines, page, model, disabled)
            # never empty an article the rules kept: no body at all is a dead letter downstream
            if _has_body(lines, labelled) or not _has_body(lines, page):
                page = labelled

    removed = [
        Block(kind, lines[i].text, lines[i].start, lines[i].end)
        for i, kind in enumerate(page.labels)
        if kind is not None
    ]
    glued_lines = {i for start, end, _ in page.glued for i in range(start, end)}
    body = [
        line
        for i, line in enumerate(lines)
        if page.labels[i] is None
        and i != page.title_index
        and i not in glued_lines
        and not line.is_blank
    ]
    text, paragraphs = _join(body)
    appended = [
        _make_appended(lines, start, end, marker, page.labels) for start, end, marker in page.glued
    ]
    return Segmented(source, page.title, text, paragraphs, removed, appended)


def _has_body(lines: list[_Line], page: _Page) -> bool:
    claimed = page.claimed()
    return any(
        not line.is_blank and page.labels[i] is None and not claimed[i]
        for i, line in enumerate(lines)
    ) or bool(page.glued)


@dataclass(slots=True)
class _Page:
    """Decisions about the lines of one page."""

    title: str | None
    title_index: int | None  # the line that is the title, when it is one of the lines
    labels: list[BlockKind | None]  # removed lines, by kind
    glued: list[tuple[int, int, str | None]]  # appended articles: line range and marker

    def claimed(self) -> list[bool]:
        """Lines that belong to the title or an appended article."""
        out = [False] * len(self.labels)
        if self.title_index is not None:
            out[self.title_index] = True
        for start, end, _ in self.glued:
            for i in range(start, end):
                out[i] = True
        return out


def _apply_rules(lines: list[_Line], title: str | None, disabled: frozenset[str]) -> _Page:
    labels: list[BlockKind | None] = [None] * len(lines)
    page = _Page(title, None, labels, [])

    index = _skip_blank(lines, 0)
    if index < len(lines):
        if title is None and "title" not in disabled and _looks_like_title(lines, index):
            page.title, page.title_index = lines[index].text, index
            index += 1
        elif title is not None and lines[index].key == _key(title):
            page.title_index = index
            index += 1

    seen_body = False
    while index < len(lines):
        line = lines[index]
        if line.is_blank:
            index += 1
            continue
        marker = _marker_kind(line) if "markers" not in disabled else None
        if marker is not None:
            kind, inline = marker
            labels[index] = kind
            index += 1
            if kind is BlockKind.WIDGET and not _followed_by_list(lines, index):
                continue
            glued = (
                _glued_article(lines, index)
                if kind is BlockKind.READ_ALSO and not inline and "glued_article" not in disabled
                else None
            )
            if glued is not None:
                page.glued.append((_skip_blank(lines, index), glued, line.text))
                index = glued
                continue
            index = _consume_list(lines, index, labels)
            continue
        labels[index] = _line_kind(line, not seen_body, disabled)
        seen_body = seen_body or (labels[index] is None and line.is_paragraph)
        index += 1

    # Removing a byline can complete a menu run and the other way round: repeat to a fixed point
    # (labels are only ever added, so this ends), which also makes cleaning idempotent.
    claimed = page.claimed()
    while True:
        before = labels.copy()
        if "menus" not in disabled:
            _label_menus(lines, labels, claimed)
        if "bylines" not in disabled:
            _label_bylines(lines, labels, claimed)
        if labels == before:
            break
    if "footer" not in disabled:
        _label_footer(lines, labels, claimed)
    return page


# A line leaves the body only when the labeller gives it at most this probability of being body:
# losing body is the worst error, so the bar sits far under an even split. Measured on the outlet
# folds of dev (body kept / boilerplate removed) and, as pages from outlets and genres the
# labeller never saw, on 1,000 SaudiNewsNet articles (share of tokens kept; their texts are mostly
# bodies, with some boilerplate):
#   0.5: 0.9991 / 97.0%        0.3: 0.9999 / 96.1%, 0.9851      0.15: 0.9999 / 95.7%, 0.9919
#   0.1: 0.9999 / 95.7%, 0.9930      0.05: 0.9999 / 89.8%, 0.9945      (rules alone: 0.9990)
BODY_FLOOR: Final = 0.1
# The labeller overrules a rule's removal only when it gives the line at least this probability
# of being body (a read-also marker alone is not evidence of a new article; a list is).
OVERRULE: Final = 0.5
_CONTACT = re.compile(r"@\w|\d{5,}")


@dataclass(frozen=True, slots=True)
class LabellerInput:
    """The page as the line labeller reads it: its non-blank lines other than the title."""

    index: list[int]  # positions of those lines among the page's lines
    lines: list[PageLine]
    title: str | None


def labeller_input(
    content: str, title: str | None = None, disabled: frozenset[str] = frozenset()
) -> LabellerInput:
    """What the labeller reads of a page (for training: positions index ``content``'s lines)."""
    lines = _split_lines(clean_surface(content))
    return _labeller_input(lines, _apply_rules(lines, title, disabled))


def _labeller_input(lines: list[_Line], rules: _Page) -> LabellerInput:
    glued = {i for start, end, _ in rules.glued for i in range(start, end)}
    order = [i for i, line in enumerate(lines) if not line.is_blank and i != rules.title_index]
    views = [
        PageLine(
            lines[i].text,
            lines[i].key,
            lines[i].words,
            _rule_tag(rules.labels[i], i in glued),
            i > 0 and lines[i - 1].is_blank,
        )
        for i in order
    ]
    return LabellerInput(order, views, rules.title)


def _apply_model(
    lines: list[_Line], rules: _Page, model: LineModel, disabled: frozenset[str]
) -> _Page:
    """The labeller's decision over the rules' verdicts (which it reads as features)."""
    read = _labeller_input(lines, rules)
    probabilities = model.marginals(page_features(read.lines, read.title))
    labels: list[BlockKind | None] = [None] * len(lines)
    glued_candidates: list[int] = []
    for i, p in zip(read.index, probabilities, strict=True):
        if p.get(BODY, 0.0) > BODY_FLOOR:
            # Unsure either way: a rule's removal stands unless the labeller holds it is body.
            if p.get(BODY, 0.0) < OVERRULE and rules.labels[i] is not None:
                labels[i] = rules.labels[i]
            continue
        if p.get(GLUED, 0.0) > p.get(BOILER, 0.0):
            glued_candidates.append(i)
        else:
            labels[i] = rules.labels[i] or _guess_kind(lines[i])
    glued = _glued_runs(lines, read.index, labels, glued_candidates, rules.labels)
    _guard_body(lines, read.index, labels, rules.labels, disabled)
    return _Page(rules.title, rules.title_index, labels, glued)


TEASER_WORDS: Final = 8


def _guard_body(
    lines: list[_Line],
    order: list[int],
    labels: list[BlockKind | None],
    rule_labels: list[BlockKind | None],
    disabled: frozenset[str],
) -> None:
    """Prose the labeller alone removed stays body unless it sits in a block of removed lines
    that a rule opened (a read-also marker and its items) or that runs to the end of the page
    (teaser lists come after the article). Opinion columns and essays have paragraphs that read
    like leads of other stories; inside the article they are its own. The first paragraph the
    rules kept is the article's lead, never another story's teaser: a one-paragraph article
    keeps its paragraph."""
    lead = next(
        (i for i in order if rule_labels[i] is None and lines[i].words >= TEASER_WORDS), None
    )
    if lead is not None and labels[lead] is not None and "lead_kept" not in disabled:
        labels[lead] = None
    if "inner_prose_kept" in disabled:
        return
    block: list[int] = []
    for i in [*order, -1]:
        if i >= 0 and labels[i] is not None:
            block.append(i)
            continue
        at_end = i < 0
        if block and not at_end and not any(rule_labels[j] is not None for j in block):
            for j in block:
                if rule_labels[j] is None and lines[j].words >= TEASER_WORDS:
                    labels[j] = None
        block = []


def _rule_tag(kind: BlockKind | None, glued: bool) -> str:
    if glued:
        return "glued"
    return kind.value if kind is not None else ""


def _guess_kind(line: _Line) -> BlockKind:
    """Kind of a line the labeller removed without a rule's verdict."""
    if is_timestamp(line.key):
        return BlockKind.TIMESTAMP
    if _CONTACT.search(line.text):
        return BlockKind.CONTACT
    if line.words >= 12:
        return BlockKind.TEASER
    return BlockKind.RELATED_LINKS


def _glued_runs(
    lines: list[_Line],
    order: list[int],
    labels: list[BlockKind | None],
    candidates: list[int],
    rule_labels: list[BlockKind | None],
) -> list[tuple[int, int, str | None]]:
    """The glued article: consecutive candidate lines up to the next boilerplate line, with
    nothing but boilerplate after them and at least two paragraphs. Candidates past that
    boilerplate are boilerplate too; a run that fails stays body, since losing body is worse."""
    if not candidates:
        return []
    chosen = set(candidates)
    after = [i for i in order if i >= candidates[0]]
    run: list[int] = []
    for i in after:
        if labels[i] is not None:
            break
        run.append(i)
    rest = after[len(run) :]
    if any(i not in chosen for i in run) or any(
        labels[i] is None and i not in chosen for i in rest
    ):
        return []
    if sum(lines[i].is_paragraph for i in run) < 2:
        return []
    for i in rest:
        if labels[i] is None:
            labels[i] = rule_labels[i] or _guess_kind(lines[i])
    previous = [i for i in order if i < run[0]]
    marker = (
        lines[previous[-1]].text
        if previous and labels[previous[-1]] is BlockKind.READ_ALSO
        else None
    )
    return [(run[0], run[-1] + 1, marker)]


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


def _make_appended(
    lines: list[_Line],
    start: int,
    end: int,
    marker: str | None,
    labels: list[BlockKind | None],
) -> Appended:
    own = [
        line
        for i, line in enumerate(lines[start:end], start=start)
        if not line.is_blank and labels[i] is None
    ]
    heading = own[0].text if own and not own[0].is_paragraph else None
    body_lines = own[1:] if heading is not None else own
    text, _ = _join(body_lines)
    first = own[0].start if own else lines[start].start
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
