"""Cleaning quality: token precision, recall and F1 of the kept text against gold body lines.

Gold marks whole lines as boilerplate and the first line of a glued second article; everything
else is body (title included). Kept text is the article the clean stage delivers: its title and
body. A glued article is scored apart: its lines count neither as body nor as boilerplate, so
body moved into ``appended`` is body lost. Tokens are folded words and numbers, compared as
multisets per article and summed over articles (micro).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from services.arabic.analyze import clean
from services.arabic.normalize import clean_surface, fold
from services.arabic.pagelines import BODY, BOILER, LineModel
from services.arabic.pagelines_train import gold_line_labels
from services.arabic.pagesynth import TITLE, SyntheticPage
from services.evaluation.gold import GoldArticle
from services.evaluation.scores import f1, ratio

_WORD = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(_WORD.findall(fold(clean_surface(text))))


@dataclass
class Score:
    kept: int = 0  # tokens we kept
    body: int = 0  # gold body tokens
    overlap: int = 0  # kept ∩ body
    boilerplate: int = 0  # gold boilerplate tokens
    boilerplate_kept: int = 0

    def add(self, other: Score) -> None:
        self.kept += other.kept
        self.body += other.body
        self.overlap += other.overlap
        self.boilerplate += other.boilerplate
        self.boilerplate_kept += other.boilerplate_kept

    @property
    def precision(self) -> float:
        return ratio(self.overlap, self.kept, empty=1.0)

    @property
    def recall(self) -> float:
        return ratio(self.overlap, self.body, empty=1.0)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    @property
    def boilerplate_removed(self) -> float:
        return 1 - ratio(self.boilerplate_kept, self.boilerplate, empty=0.0)


@dataclass
class CleanReport:
    overall: Score = field(default_factory=Score)
    per_outlet: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    per_file: dict[str, Score] = field(default_factory=dict)
    baseline: Score = field(default_factory=Score)  # keep everything


def kept_text(
    content: str,
    html: bool,
    *,
    model: LineModel | None = None,
    use_model: bool = True,
    disabled: frozenset[str] = frozenset(),
) -> str:
    result = clean(content, html=html, model=model, use_model=use_model, disabled=disabled)
    return "\n".join([result.title or "", result.segmented.text])


def score_article(
    content: str,
    gold: dict[str, Any],
    *,
    html_page: str | None = None,
    model: LineModel | None = None,
    use_model: bool = True,
    disabled: frozenset[str] = frozenset(),
) -> tuple[Score, Score]:
    """Score of our cleaning and of the keep-everything baseline for one article.

    With ``html_page`` the page is cleaned instead of ``content`` (its plain-text dump), and
    scored against the same gold lines.
    """
    gold_body: Counter[str] = Counter()
    gold_boiler: Counter[str] = Counter()
    for line, label in zip(content.split("\n"), gold_line_labels(content, gold), strict=True):
        if label == BOILER:
            gold_boiler.update(tokens(line))
        elif label == BODY:
            gold_body.update(tokens(line))
    page = html_page if html_page is not None else content
    kept = tokens(
        kept_text(page, html_page is not None, model=model, use_model=use_model, disabled=disabled)
    )
    ours = Score(
        kept=sum(kept.values()),
        body=sum(gold_body.values()),
        overlap=sum((kept & gold_body).values()),
        boilerplate=sum(gold_boiler.values()),
        boilerplate_kept=sum(((kept - gold_body) & gold_boiler).values()),
    )
    everything = gold_body + gold_boiler
    baseline = Score(
        kept=sum(everything.values()),
        body=ours.body,
        overlap=ours.body,
        boilerplate=ours.boilerplate,
        boilerplate_kept=ours.boilerplate,
    )
    return ours, baseline


def evaluate_cleaning(
    articles: Iterable[GoldArticle],
    *,
    prefer_html: bool = False,
    model: LineModel | None = None,
    use_model: bool = True,
    disabled: frozenset[str] = frozenset(),
) -> CleanReport:
    """Scores per file, outlet and overall; with ``prefer_html`` an ``X.html`` beside a gold
    ``X.txt`` is cleaned instead (HTML extraction + cleaning, scored on the same gold)."""
    report = CleanReport()
    for article in articles:
        page = article.path.with_suffix(".html")
        html = page.read_text("utf-8") if prefer_html and page.is_file() else None
        ours, baseline = score_article(
            article.text(),
            article.data,
            html_page=html,
            model=model,
            use_model=use_model,
            disabled=disabled,
        )
        report.per_file[article.file] = ours
        report.per_outlet[article.outlet].add(ours)
        report.overall.add(ours)
        report.baseline.add(baseline)
    return report


def format_report(report: CleanReport) -> list[str]:
    def row(name: str, s: Score) -> str:
        return (
            f"{name:<34} {s.precision:>9.4f} {s.recall:>9.4f} {s.f1:>9.4f} "
            f"{s.boilerplate_removed:>11.1%} {s.body:>7}"
        )

    lines = [f"{'':<34} {'precision':>9} {'recall':>9} {'F1':>9} {'boiler-out':>11} {'tokens':>7}"]
    lines.append(row("overall (micro)", report.overall))
    lines.append(row("baseline: keep everything", report.baseline))
    lines.append("per outlet:")
    lines += [row(f"  {name}", s) for name, s in sorted(report.per_outlet.items())]
    lines.append("per file:")
    lines += [row(f"  {name}", s) for name, s in report.per_file.items()]
    return lines


def outlet_folds(
    articles: Iterable[GoldArticle], min_size: int = 2
) -> dict[str, list[GoldArticle]]:
    """Articles grouped by outlet for cross-validation: variants of one outlet («BBC Arabic
    (crawl)») together, and outlets with fewer than ``min_size`` articles in one fold."""
    by_family: dict[str, list[GoldArticle]] = defaultdict(list)
    for article in articles:
        by_family[article.outlet.split(" (")[0]].append(article)
    folds: dict[str, list[GoldArticle]] = defaultdict(list)
    for family, members in sorted(by_family.items()):
        folds[family if len(members) >= min_size else "one-article outlets"].extend(members)
    return dict(folds)


@dataclass
class FoldReport:
    """Leave-one-outlet-out: each fold scored by a labeller trained without it."""

    folds: dict[str, tuple[Score, Score]] = field(default_factory=dict)  # (labeller, rules only)
    overall: Score = field(default_factory=Score)
    rules_only: Score = field(default_factory=Score)
    baseline: Score = field(default_factory=Score)


def cross_outlet(
    folds: dict[str, list[GoldArticle]], train_without: Callable[[str], LineModel]
) -> FoldReport:
    """Score each fold with the model ``train_without(fold)`` returns, beside the rules alone."""
    report = FoldReport()
    for name, held in folds.items():
        model = train_without(name)
        ours = evaluate_cleaning(held, model=model)
        rules = evaluate_cleaning(held, use_model=False)
        report.folds[name] = (ours.overall, rules.overall)
        report.overall.add(ours.overall)
        report.rules_only.add(rules.overall)
        report.baseline.add(ours.baseline)
    return report


def format_folds(report: FoldReport) -> list[str]:
    lines = [f"{'held-out fold':<24} {'body kept':>9} {'boiler-out':>10} {'F1':>7}   rules only"]
    for name, (ours, rules) in report.folds.items():
        lines.append(
            f"{name:<24} {ours.recall:>9.4f} {ours.boilerplate_removed:>10.1%} {ours.f1:>7.4f}"
            f"   {rules.recall:.4f} / {rules.boilerplate_removed:.1%}"
        )
    o, r = report.overall, report.rules_only
    lines.append(
        f"{'all folds (micro)':<24} {o.recall:>9.4f} {o.boilerplate_removed:>10.1%} {o.f1:>7.4f}"
        f"   {r.recall:.4f} / {r.boilerplate_removed:.1%}"
    )
    lines.append(f"{'keep everything':<24} {1.0:>9.4f} {0.0:>10.1%} {report.baseline.f1:>7.4f}")
    return lines


def score_synthetic(pages: Iterable[SyntheticPage], model: LineModel | None = None) -> Score:
    """Body kept and boilerplate removed on synthetic pages (exact labels; glued lines apart)."""
    total = Score()
    for page in pages:
        gold_body: Counter[str] = Counter()
        gold_boiler: Counter[str] = Counter()
        if page.title is not None:
            gold_body.update(tokens(page.title))
        for line, label in zip(page.lines, page.labels, strict=True):
            if label == BOILER:
                gold_boiler.update(tokens(line))
            elif label in (BODY, TITLE):
                gold_body.update(tokens(line))
        result = clean(page.text, title=page.title, model=model)
        kept = tokens("\n".join([result.title or "", result.segmented.text]))
        total.add(
            Score(
                kept=sum(kept.values()),
                body=sum(gold_body.values()),
                overlap=sum((kept & gold_body).values()),
                boilerplate=sum(gold_boiler.values()),
                boilerplate_kept=sum(((kept - gold_body) & gold_boiler).values()),
            )
        )
    return total
