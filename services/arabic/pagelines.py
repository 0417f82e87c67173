"""A learned labeller for the lines of a scraped page: body, boilerplate, or a glued article.

The rules of ``segment`` see one line and a marker at a time; what they miss is shape over a
page: a run of self-contained lead sentences about other stories at the end of an article, a
read-also marker after which the article simply goes on. A linear-chain CRF over the page's
non-blank lines reads the rules' verdicts as features, together with features that hold across
outlets (length, punctuation, position, date shape, lead-sentence shape, and how many of the
line's content words the title and the rest of the page share), and the labels of neighbouring
lines through its transitions. It is trained by ``rasd train clean`` on synthetic pages made
from the corpus (``pagesynth``) and on the development gold; model card: ``resources/pagelines.md``.

This module only computes features and decodes; it reads nothing but the shipped model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Final

import pycrfsuite

BODY: Final = "body"
BOILER: Final = "boiler"
GLUED: Final = "glued"
LABELS: Final = (BODY, BOILER, GLUED)

MODEL_FILE: Final = "pagelines.crfsuite"


@dataclass(frozen=True, slots=True)
class PageLine:
    """What the labeller reads of one non-blank line."""

    text: str  # the line as delivered
    key: str  # folded, punctuation stripped at the edges
    words: int
    rule: str  # the rules' verdict: a block kind, "glued", "title", or "" for body
    blank_before: bool


_WORD = re.compile(r"\w+")
_WEEKDAY_LEAD = re.compile(
    r"^[^.!؟?]{0,160}،\s*(?:يوم\s+|مساء\s+|صباح\s+|ليل\s+)?"
    r"(?:ال)?(?:سبت|احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه)\s*،"
)
_DATELINE = re.compile(r"^[^.]{0,80}(?:\((?:[^)]{1,30})\)\s*[-–—]|\s[-–—]{1,2}\s)")
_EMAIL_OR_URL = re.compile(r"@\w|https?://|www\.", re.IGNORECASE)
_LONG_NUMBER = re.compile(r"\d{5,}")
_CALL_TO_ACTION = re.compile(
    r"^(?:للاطلاع|لمتابعه|لقراءه|شاهد|تعرف علي|تابعونا|تابعوا|حمل|للمزيد)|اضغط هنا|انقر هنا"
)
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_BULLET = re.compile(r"^\s*(?:[•·▪►▶◄●○■□◆◇\-–—*]|\d{1,2}[.)-])\s")
_SENTENCE_BREAK = re.compile(r"[.!؟?]\s+\S")
_STOP: Final = frozenset(
    [
        "في",
        "من",
        "علي",
        "الى",
        "عن",
        "ان",
        "او",
        "ما",
        "لا",
        "لم",
        "لن",
        "مع",
        "هذا",
        "هذه",
        "ذلك",
        "تلك",
        "التي",
        "الذي",
        "الذين",
        "كان",
        "كانت",
        "قد",
        "بعد",
        "قبل",
        "عند",
        "حتي",
        "بين",
        "كل",
        "اي",
        "غير",
        "منذ",
        "خلال",
        "حيث",
        "لها",
        "له",
        "هو",
        "هي",
        "هم",
        "انه",
        "انها",
        "ذلك",
        "وقال",
        "قال",
        "اليوم",
        "امس",
    ]
)


def _bucket(value: float, edges: Sequence[float]) -> int:
    for n, edge in enumerate(edges):
        if value < edge:
            return n
    return len(edges)


@lru_cache(maxsize=100_000)  # bounded: an endless stream brings endless new words
def _content(word: str) -> str | None:
    """A comparable content word: clitic و and the article stripped, stop words dropped."""
    if word.startswith("و") and len(word) > 4:
        word = word[1:]
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
    if len(word) < 3 or word in _STOP or word.isdigit():
        return None
    return word


def _content_words(key: str) -> set[str]:
    return {c for w in _WORD.findall(key) if (c := _content(w)) is not None}


def _share(words: set[str], other: Counter[str] | set[str]) -> float:
    if not words:
        return -1.0
    return sum(1 for w in words if w in other) / len(words)


def _share_elsewhere(words: set[str], page: Counter[str]) -> float:
    """Share of the line's words that other lines of the page use too."""
    if not words:
        return -1.0
    return sum(1 for w in words if page[w] > 1) / len(words)


def _end_class(text: str) -> str:
    last = text.rstrip()[-1:] if text.strip() else ""
    if last in ".!":
        return "stop"
    if last in "؟?":
        return "question"
    if last == ":":
        return "colon"
    if last in "\"”»)'":
        return "quote"
    if last in "|-–—":
        return "bar"
    return "none"


def _shape(line: PageLine, head: str) -> dict[str, str]:
    text = line.text
    return {
        "w": str(_bucket(line.words, (2, 4, 7, 12, 20, 35, 60))),
        "end": _end_class(text),
        "rule": line.rule or "-",
        "conn": str(head.startswith(("و", "ف")) and len(head) > 3),
        "sents": str(min(len(_SENTENCE_BREAK.findall(text)) + 1, 3)),
    }


def _first_word(key: str) -> str:
    first = _WORD.match(key)
    return first.group() if first else ""


def page_features(lines: Sequence[PageLine], title: str | None) -> list[list[str]]:
    """CRF features of each line (``name=value`` strings), neighbours included."""
    if not lines:
        return []
    contents = [_content_words(line.key) for line in lines]
    title_words = _content_words(title or "")
    page: Counter[str] = Counter()
    for words in contents:
        page.update(words)
    heads = [_first_word(line.key) for line in lines]
    shapes = [_shape(line, head) for line, head in zip(lines, heads, strict=True)]
    shape_strings = [[f"{k}={v}" for k, v in shape.items()] for shape in shapes]
    run_features = _glued_run_features(lines, contents, shapes)
    before: set[str] = set()
    out: list[list[str]] = []
    n = len(lines)
    for i, line in enumerate(lines):
        words = contents[i]
        text = line.text
        chars = max(len(text), 1)
        feats = [
            "bias",
            *shape_strings[i],
            f"w0={heads[i]}",
            f"pos={min(i, 3)}",
            f"from_end={min(n - 1 - i, 3)}",
            f"rel={_bucket(i / n, (0.2, 0.5, 0.8))}",
            f"ov_title={_bucket(_share(words, title_words), (0, 0.01, 0.2, 0.5))}",
            f"ov_page={_bucket(_share_elsewhere(words, page), (0, 0.01, 0.2, 0.4, 0.6))}",
            f"ov_before={_bucket(_share(words, before), (0, 0.01, 0.2, 0.4, 0.6))}",
            f"blank_before={line.blank_before}",
            f"lead_day={bool(_WEEKDAY_LEAD.match(line.key))}",
            f"dateline={bool(_DATELINE.match(text))}",
            f"contact={bool(_EMAIL_OR_URL.search(text) or _LONG_NUMBER.search(text))}",
            f"latin={_bucket(len(_LATIN.findall(text)) / chars, (0.05, 0.3, 0.7))}",
            f"digits={_bucket(len(_DIGIT.findall(text)) / chars, (0.02, 0.1, 0.3))}",
            f"pipe={'|' in text}",
            f"cta={bool(_CALL_TO_ACTION.search(line.key))}",
            f"bullet={bool(_BULLET.match(text))}",
            f"colon_head={':' in ' '.join(text.split(None, 6)[:6]) and shapes[i]['end'] != 'stop'}",
        ]
        feats += run_features.get(i, [])
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                feats += [f"{offset}:{s}" for s in shape_strings[j]]
                feats.append(f"{offset}:rule|rule={shapes[j]['rule']}|{shapes[i]['rule']}")
            else:
                feats.append(f"{offset}:edge")
        out.append(feats)
        before |= words
    return out


def _glued_run_features(
    lines: Sequence[PageLine], contents: list[set[str]], shapes: list[dict[str, str]]
) -> dict[int, list[str]]:
    """Whether the text after a read-also marker changes topic, for every line of the run the
    rules took as a glued article: a new article's first paragraph is a lead (no connective) and
    its paragraphs repeat its headline; a continued article goes on with و and its own words."""
    out: dict[int, list[str]] = {}
    i = 0
    while i < len(lines):
        if lines[i].rule != "glued":
            i += 1
            continue
        run = [i]
        while run[-1] + 1 < len(lines) and lines[run[-1] + 1].rule == "glued":
            run.append(run[-1] + 1)
        heading = run[0] if lines[run[0]].words < 25 else None
        paragraphs = [j for j in run if j != heading]
        own_before: set[str] = set()
        for j in range(run[0]):
            if not lines[j].rule:
                own_before |= contents[j]
        words: set[str] = set()
        for j in paragraphs:
            words |= contents[j]
        head_words = contents[heading] if heading is not None else set()
        feats = [
            f"run_conn={bool(paragraphs) and shapes[paragraphs[0]]['conn']}",
            f"run_ov_before={_bucket(_share(words, own_before), (0.01, 0.3, 0.5, 0.7))}",
            f"run_ov_head={_bucket(_share(head_words, words), (0.01, 0.3, 0.6))}",
        ]
        for j in run:
            out[j] = feats
        i = run[-1] + 1
    return out


class LineModel:
    """The trained labeller: marginal probabilities of each label for each line."""

    def __init__(self, path: str) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(path)
        self.labels = tuple(self._tagger.labels())

    def marginals(self, features: list[list[str]]) -> list[dict[str, float]]:
        if not features:
            return []
        self._tagger.set(features)
        return [
            {label: self._tagger.marginal(label, t) for label in self.labels}
            for t in range(len(features))
        ]


def shipped_model_path() -> Path:
    return Path(str(resources.files("services.arabic.resources").joinpath(MODEL_FILE)))


@cache
def shipped_model() -> LineModel | None:
    """The model in ``resources/``, or None when it has not been trained yet."""
    path = shipped_model_path()
    return LineModel(str(path)) if path.is_file() else None
