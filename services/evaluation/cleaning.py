"""Cleaning quality: token precision, recall and F1 of the kept text against gold body lines.

Gold marks whole lines as boilerplate; everything else is body (title included). Kept text is
what the clean stage delivers: title, body and appended articles (with their titles). Tokens are
folded words and numbers, compared as multisets per article and summed over articles (micro).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from services.arabic.analyze import clean
from services.arabic.normalize import clean_surface, fold
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


def kept_text(content: str, html: bool) -> str:
    result = clean(content, html=html)
    seg = result.segmented
    parts = [result.title or "", seg.text]
    for appended in seg.appended:
        parts += [appended.title or "", appended.text]
    return "\n".join(parts)


def score_article(
    content: str, boilerplate_lines: Iterable[str], *, html_page: str | None = None
) -> tuple[Score, Score]:
    """Score of our cleaning and of the keep-everything baseline for one article.

    With ``html_page`` the page is cleaned instead of ``content`` (its plain-text dump), and
    scored against the same gold lines.
    """
    boiler = {line.strip() for line in boilerplate_lines}
    gold_body: Counter[str] = Counter()
    gold_boiler: Counter[str] = Counter()
    for line in content.splitlines():
        (gold_boiler if line.strip() in boiler else gold_body).update(tokens(line))
    kept = tokens(
        kept_text(html_page, True) if html_page is not None else kept_text(content, False)
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


def evaluate_cleaning(articles: Iterable[GoldArticle], *, prefer_html: bool = False) -> CleanReport:
    """Scores per file, outlet and overall; with ``prefer_html`` an ``X.html`` beside a gold
    ``X.txt`` is cleaned instead (HTML extraction + cleaning, scored on the same gold)."""
    report = CleanReport()
    for article in articles:
        page = article.path.with_suffix(".html")
        html = page.read_text("utf-8") if prefer_html and page.is_file() else None
        ours, baseline = score_article(
            article.text(), article.data.get("boilerplate_lines", []), html_page=html
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
