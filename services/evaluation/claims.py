"""Claim quality: detection precision/recall/F1 per kind, speaker, cue and quantity accuracy.

A predicted claim matches a gold claim of the same article when their content spans overlap in
the clean text (gold content is located in the text by its folded form, or, failing that, by the
sentence sharing most of its words); each claim matches at most once. Speaker and cue are
compared on folded forms without leading conjunctions, and a speaker counts as right when one
name contains the other (أنتوني بلينكن ~ بلينكن). Quantity accuracy is the share of gold values
found exactly among the matched claim's values.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from services.arabic.normalize import fold, matching_form
from services.arabic.tokenize import strip_clitics
from services.contracts.events import Claim, RawArticle
from services.enricher.pipeline import appended_articles, clean_article, enrich_article
from services.evaluation.gold import GoldArticle
from services.evaluation.scores import f1, ratio

_WORD = re.compile(r"\w+")


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return ratio(self.matched, self.predicted, empty=0.0)

    @property
    def recall(self) -> float:
        return ratio(self.matched, self.gold, empty=0.0)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def value(self) -> float:
        return ratio(self.right, self.total, empty=0.0)


@dataclass
class ClaimReport:
    detection: Counts = field(default_factory=Counts)
    per_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    speaker: Ratio = field(default_factory=Ratio)
    cue: Ratio = field(default_factory=Ratio)
    according_to: Ratio = field(default_factory=Ratio)
    quantity_values: Ratio = field(default_factory=Ratio)
    kind: Ratio = field(default_factory=Ratio)
    by_confidence: dict[float, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    errors: list[str] = field(default_factory=list)


def _bare(text: str | None) -> str:
    """Folded words without a leading conjunction or preposition clitic (وقال -> قال)."""
    words = _WORD.findall(fold(text or ""))
    if words and len(words[0]) > 3 and words[0][0] in "وفبل":
        words[0] = words[0][1:]
    return " ".join(words)


def same_party(gold: str | None, predicted: str | None) -> bool:
    g, p = _bare(gold), _bare(predicted)
    if not g or not p:
        return not g and not p
    return g in p or p in g


def same_cue(gold: str | None, predicted: str | None) -> bool:
    """Same first word up to clitics: وفقا ~ ووفقا, بحسب ~ وبحسب (a word may itself start with
    و or ب, so every clitic reading of each side is compared)."""
    g, p = _WORD.findall(fold(gold or "")), _WORD.findall(fold(predicted or ""))
    if not g or not p:
        return not g and not p
    return bool(set(strip_clitics(g[0])) & set(strip_clitics(p[0])))


def locate(text: str, content: str, sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Span of gold ``content`` in ``text``: exact on folded forms, else the best sentence."""
    matching = matching_form(text)
    needle = " ".join(_WORD.findall(fold(content)))
    haystack_words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(matching.folded)]
    joined = " ".join(w for _, _, w in haystack_words)
    at = joined.find(needle) if needle else -1
    if at >= 0:
        first = joined[:at].count(" ")
        last = first + needle.count(" ")
        start = haystack_words[first][0]
        end = haystack_words[last][1]
        return matching.span_to_source(start, end)
    gold_words = set(needle.split())
    best, best_overlap = None, 0.0
    for s, e in sentences:
        words = set(_WORD.findall(fold(text[s:e])))
        overlap = len(words & gold_words) / max(1, len(gold_words))
        if overlap > best_overlap:
            best, best_overlap = (s, e), overlap
    return best if best_overlap >= 0.5 else None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _snippet(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _score_text(
    report: ClaimReport,
    label: str,
    text: str,
    sentences: list[tuple[int, int]],
    gold: list[dict[str, Any]],
    predicted: list[Claim],
) -> None:
    report.detection.gold += len(gold)
    report.detection.predicted += len(predicted)
    for claim in predicted:
        report.per_kind[claim.kind].predicted += 1
    used: set[int] = set()
    matched_ids: set[str] = set()
    for g in gold:
        report.per_kind[g["kind"]].gold += 1
        span = locate(text, g["content"], sentences)
        candidates = [
            (i, c)
            for i, c in enumerate(predicted)
            if span and i not in used and _overlaps(span, (c.content_start, c.content_end))
        ]
        if not candidates:
            report.errors.append(f"{label} missed {g['kind']}: {_snippet(g['content'])}")
            continue
        candidates.sort(key=lambda ic: ic[1].kind != g["kind"])  # same kind first
        i, claim = candidates[0]
        used.add(i)
        matched_ids.add(claim.claim_id)
        report.detection.matched += 1
        report.kind.add(claim.kind == g["kind"])
        if claim.kind == g["kind"]:
            report.per_kind[g["kind"]].matched += 1
        speaker = claim.speaker.text if claim.speaker else None
        report.speaker.add(same_party(g.get("speaker"), speaker))
        if not same_party(g.get("speaker"), speaker):
            report.errors.append(f"{label} speaker {speaker!r}, gold {g.get('speaker')!r}")
        report.cue.add(same_cue(g.get("cue"), claim.cue))
        if not same_cue(g.get("cue"), claim.cue):
            report.errors.append(f"{label} cue {claim.cue!r}, gold {g.get('cue')!r}")
        if g.get("according_to") or claim.according_to:
            source = claim.according_to.text if claim.according_to else None
            report.according_to.add(same_party(g.get("according_to"), source))
            if not same_party(g.get("according_to"), source):
                report.errors.append(
                    f"{label} according_to {source!r}, gold {g.get('according_to')!r}"
                )
        values = {q.value for q in claim.quantities}
        for q in g.get("quantities", []):
            report.quantity_values.add(float(q["value"]) in values)
            if float(q["value"]) not in values:
                report.errors.append(
                    f"{label} quantity {sorted(values)}, gold {q['value']} in "
                    f"{_snippet(g['content'])}"
                )
    for claim in predicted:
        report.by_confidence[round(claim.confidence, 2)].add(claim.claim_id in matched_ids)
        if claim.claim_id not in matched_ids:
            report.errors.append(
                f"{label} spurious {claim.kind} ({claim.confidence}): "
                f"{_snippet(text[claim.content_start : claim.content_end])}"
            )


def evaluate_claims(articles: Iterable[GoldArticle]) -> ClaimReport:
    report = ClaimReport()
    for article in articles:
        raw = RawArticle(
            id=article.file.replace(".", "_"), source=article.outlet, content=article.text()
        )
        clean = clean_article(raw)
        pieces = [(clean, article.data.get("claims", []))]
        glued = appended_articles(clean)
        if glued and article.data.get("appended_claims") is not None:
            pieces.append((clean_article(glued[0]), article.data["appended_claims"]))
        for n, (piece, gold) in enumerate(pieces):
            enriched = enrich_article(piece)
            sentences = [(s.start, s.end) for s in piece.sentences]
            label = article.file + (" (appended)" if n else "")
            _score_text(report, label, piece.text, sentences, gold, enriched.claims)
    return report


def format_claims(report: ClaimReport) -> list[str]:
    def row(name: str, c: Counts) -> str:
        return (
            f"{name:<22} {c.precision:>9.3f} {c.recall:>9.3f} {c.f1:>9.3f} "
            f"{c.gold:>6} {c.predicted:>6} {c.matched:>6}"
        )

    lines = [
        f"{'claims':<22} {'precision':>9} {'recall':>9} {'F1':>9} {'gold':>6} {'pred':>6} "
        f"{'match':>6}"
    ]
    lines.append(row("all (any kind)", report.detection))
    lines += [row(f"  {kind}", counts) for kind, counts in sorted(report.per_kind.items())]
    for name, share in (
        ("kind accuracy", report.kind),
        ("speaker accuracy", report.speaker),
        ("cue accuracy", report.cue),
        ("according_to accuracy", report.according_to),
        ("quantity values exact", report.quantity_values),
    ):
        lines.append(f"{name:<22} {share.value:>9.3f}   ({share.right}/{share.total} matched)")
    lines.append("precision by confidence (should rise with it):")
    for level, share in sorted(report.by_confidence.items(), reverse=True):
        lines.append(
            f"  confidence {level:<10} {share.value:>9.3f}   ({share.right}/{share.total})"
        )
    return lines
