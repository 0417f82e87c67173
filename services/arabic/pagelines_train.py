"""Training data and training of the line labeller (``rasd train clean``).

Stories come from the ANT corpus (``../shared/data/corpus/ant.jsonl.xz``; its licence allows
shipping what is trained on it). Their own lines are cleaned before use: a line that is another
article's lead sentence (outlets insert teasers into the scraped text), a line that recurs across
articles (site templates), and a line the rules remove are dropped, so bodies are bodies.
Synthetic pages (``pagesynth``) are made from these stories, and the development gold adds real
pages, labelled from its ``boilerplate_lines``.
"""

from __future__ import annotations

import lzma
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pycrfsuite

from services.arabic.normalize import fold
from services.arabic.pagelines import BODY, BOILER, GLUED, page_features
from services.arabic.pagesynth import TITLE, Story, SyntheticPage, synthesize
from services.arabic.segment import labeller_input, segment

_DATELINE = re.compile(r"^.{0,80}?\((?:CNN|BBC|[^)]{1,20})\)\s*[-–—]+\s*")
_NON_WORD = re.compile(r"\W+")


@dataclass(frozen=True, slots=True)
class LabelledPage:
    """One page as training data: features and labels of its non-blank, non-title lines."""

    features: list[list[str]]
    labels: list[str]
    group: str  # the outlet, for folds


def _line_key(line: str) -> str:
    return _NON_WORD.sub(" ", fold(_DATELINE.sub("", line))).strip()[:100]


def read_corpus(path: Path, limit: int | None = None) -> list[dict[str, str]]:
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        rows = []
        for line in handle:
            rows.append(orjson.loads(line))
            if limit is not None and len(rows) >= limit:
                break
        return rows


def clean_stories(rows: list[dict[str, str]], progress: Callable[[str], None]) -> list[Story]:
    """Each article's title and its own body lines (teasers, templates and rule hits dropped)."""
    leads: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    split = []
    for row in rows:
        lines = [x.strip() for x in row.get("text", "").split("\n") if x.strip()]
        split.append(lines)
        if lines:
            leads[_line_key(lines[0])] += 1
        seen.update({_line_key(x) for x in lines})
    stories = []
    for n, (row, lines) in enumerate(zip(rows, split, strict=True)):
        if n % 5000 == 0:
            progress(f"cleaning stories: {n}/{len(rows)}")
        own = [
            line
            for i, line in enumerate(lines)
            if seen[_line_key(line)] < 3 and (i == 0 or leads[_line_key(line)] == 0)
        ]
        if len(own) < 2 or not row.get("title"):
            continue
        kept = segment("\n".join(own), row["title"], use_model=False)
        body = [x for x in kept.text.split("\n") if x.strip()]
        if len(body) >= 2:
            stories.append(Story(row["title"].strip(), tuple(body)))
    return stories


def synthetic_pages(stories: list[Story], count: int, seed: int) -> Iterator[SyntheticPage]:
    rng = random.Random(seed)
    topics = _TopicIndex(stories)
    for _ in range(count):
        story = rng.choice(stories)
        yield synthesize(story, stories, rng, topics.related(story))


class _TopicIndex:
    """Stories that share a not-too-common title word with a given story."""

    def __init__(self, stories: list[Story]) -> None:
        self.stories = stories
        self.by_word: dict[str, list[int]] = {}
        for n, story in enumerate(stories):
            for word in _title_words(story.title):
                self.by_word.setdefault(word, []).append(n)

    def related(self, story: Story) -> list[Story]:
        found: set[int] = set()
        for word in _title_words(story.title):
            ids = self.by_word.get(word, [])
            if 2 <= len(ids) <= 300:
                found.update(ids)
        return [self.stories[n] for n in sorted(found) if self.stories[n] is not story]


def _title_words(title: str) -> set[str]:
    return {w for w in _NON_WORD.split(fold(title)) if len(w) >= 4}


def page_sequence(text: str, title: str | None, line_labels: list[str], group: str) -> LabelledPage:
    """Features of a page and the labels of the lines the labeller reads."""
    read = labeller_input(text, title)
    labels = []
    for i in read.index:
        label = line_labels[i]
        labels.append(BODY if label == TITLE else label)
    return LabelledPage(page_features(read.lines, read.title), labels, group)


def synthetic_sequence(page: SyntheticPage) -> LabelledPage:
    return page_sequence(page.text, page.title, page.labels, "synthetic")


def gold_line_labels(text: str, data: dict[str, Any]) -> list[str]:
    """Labels of a dev article's lines from its gold: boilerplate lines, the glued article."""
    boiler = {str(x).strip() for x in data.get("boilerplate_lines", [])}
    glued_first = str(data.get("appended_article_first_line") or "").strip()
    labels = []
    in_glued = False
    for line in text.split("\n"):
        stripped = line.strip()
        if glued_first and stripped == glued_first and not in_glued:
            in_glued = True
            labels.append(GLUED)
            continue
        if stripped in boiler:
            labels.append(BOILER)
            in_glued = False
            continue
        labels.append(GLUED if in_glued else BODY)
    return labels


def train(
    sequences: Iterable[LabelledPage],
    out: Path,
    *,
    c1: float = 0.05,
    c2: float = 0.01,
    max_iterations: int = 150,
) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for seq in sequences:
        trainer.append(seq.features, seq.labels)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(out))
