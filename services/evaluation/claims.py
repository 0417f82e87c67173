"""Claim quality: detection precision/recall/F1 per kind, speaker, cue and quantity accuracy.

A predicted claim matches a gold claim of the same article when their content spans overlap in
the clean text (gold content is located in the text by its folded form, or, failing that, by the
sentence sharing most of its words); each claim matches at most once. Speaker and cue are
compared on folded forms without leading conjunctions, and a speaker counts as right when one
name contains the other (أنتوني بلينكن ~ بلينكن). Quantity accuracy is the share of gold values
found exactly among the matched claim's values.

Beside it, over the same gold quantities, the system quantity with the gold's value (none: wrong)
is checked for its unit, its counted noun and all at once. The gold has no unit field: a
quantity's unit (gold or system) is "%" when the unit is % or ``what`` has % or opens with نسبة,
a currency when ``what`` opens with one (دولار، ريال ...), else none (``quantity_unit``). The
noun matches when the gold ``what``'s first word equals the system's first word after folding
and clitic stripping (``same_noun``): the gold may normalise nouns (قتيل where the text says
شخص), and such a noun counts as a miss. "Fully exact" is value + approximate flag (any
qualifier but exact is approximate) + unit + noun.

Beside these lenient scores: a strict match (the content has the gold's words, no more, no less)
and a strict speaker (the same words as the gold's, so «الرئيس يوم الاثنين» is not «الرئيس»).
Every error carries a family (missed statement, speaker with junk attached, ...) so that
``--errors`` can group them; ``evaluate_folds`` scores each outlet apart (folds from
``services.evaluation.cleaning.outlet_folds``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from services.arabic import speakers as speaker_ranking
from services.arabic.normalize import fold, matching_form
from services.arabic.tokenize import strip_clitics
from services.contracts.events import Claim, CleanArticle, Qualifier, RawArticle
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


@dataclass(frozen=True, slots=True)
class ClaimError:
    family: str  # one of ERROR_FAMILIES
    label: str  # the article file
    detail: str

    def __str__(self) -> str:
        return f"{self.label} {self.detail}"


# Families of errors, in the order ``--errors`` lists them (the error families).
ERROR_FAMILIES: Final = (
    "missed statement",
    "missed numeric",
    "spurious statement",
    "spurious numeric",
    "kind",
    "speaker missing",
    "speaker not in gold",
    "speaker is another party",
    "speaker with words attached",
    "speaker part of the name",
    "cue",
    "according_to",
    "quantity",
    "content span",
)


@dataclass
class ClaimReport:
    detection: Counts = field(default_factory=Counts)
    per_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    speaker: Ratio = field(default_factory=Ratio)
    cue: Ratio = field(default_factory=Ratio)
    according_to: Ratio = field(default_factory=Ratio)
    quantity_values: Ratio = field(default_factory=Ratio)
    quantity_units: Ratio = field(default_factory=Ratio)  # the same-valued quantity's unit
    quantity_nouns: Ratio = field(default_factory=Ratio)  # its counted noun (first word)
    quantity_full: Ratio = field(default_factory=Ratio)  # value + approx + unit + noun
    kind: Ratio = field(default_factory=Ratio)
    by_confidence: dict[float, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    strict: Counts = field(default_factory=Counts)  # content with exactly the gold's words
    speaker_strict: Ratio = field(default_factory=Ratio)  # the gold's words, no more
    errors: list[str] = field(default_factory=list)  # one line per error (file, detail)
    error_items: list[ClaimError] = field(default_factory=list)  # the same, with their family

    def add(self, other: ClaimReport) -> None:
        """Pool ``other`` into this report (micro-averaging over folds)."""
        for mine, theirs in (
            (self.detection, other.detection),
            (self.strict, other.strict),
            *((self.per_kind[k], c) for k, c in other.per_kind.items()),
        ):
            mine.gold += theirs.gold
            mine.predicted += theirs.predicted
            mine.matched += theirs.matched
        for share, more in (
            (self.speaker, other.speaker),
            (self.speaker_strict, other.speaker_strict),
            (self.cue, other.cue),
            (self.according_to, other.according_to),
            (self.quantity_values, other.quantity_values),
            (self.quantity_units, other.quantity_units),
            (self.quantity_nouns, other.quantity_nouns),
            (self.quantity_full, other.quantity_full),
            (self.kind, other.kind),
            *((self.by_confidence[k], r) for k, r in other.by_confidence.items()),
        ):
            share.right += more.right
            share.total += more.total
        self.errors += other.errors
        self.error_items += other.error_items

    def by_family(self) -> dict[str, list[ClaimError]]:
        grouped: dict[str, list[ClaimError]] = {family: [] for family in ERROR_FAMILIES}
        for error in self.error_items:
            grouped.setdefault(error.family, []).append(error)
        return {family: errors for family, errors in grouped.items() if errors}


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


def same_party_strictly(gold: str | None, predicted: str | None) -> bool:
    """The same words up to a leading clitic: «الرئيس يوم الاثنين» is not «الرئيس»."""
    return _bare(gold) == _bare(predicted)


def _speaker_family(gold: str | None, predicted: str | None) -> str:
    g, p = _bare(gold), _bare(predicted)
    if not p:
        return "speaker missing"
    if not g:
        return "speaker not in gold"
    if g in p:
        return "speaker with words attached"
    if p in g:
        return "speaker part of the name"
    return "speaker is another party"


def same_words(a: str, b: str) -> bool:
    """The same folded words, punctuation and quotes aside."""
    return _WORD.findall(fold(a)) == _WORD.findall(fold(b))


def same_cue(gold: str | None, predicted: str | None) -> bool:
    """Same first word up to clitics: وفقا ~ ووفقا, بحسب ~ وبحسب (a word may itself start with
    و or ب, so every clitic reading of each side is compared)."""
    g, p = _WORD.findall(fold(gold or "")), _WORD.findall(fold(predicted or ""))
    if not g or not p:
        return not g and not p
    return bool(set(strip_clitics(g[0])) & set(strip_clitics(p[0])))


_CURRENCIES: Final = frozenset(
    fold(w)
    for w in (
        "دولار", "يورو", "ريال", "جنيه", "درهم", "دينار", "ليرة", "شيكل", "روبل", "يوان", "ين",
        "استرليني", "فرنك",
    )
)  # fmt: skip


def _first_stems(what: str | None) -> set[str]:
    words = _WORD.findall(fold(what or ""))
    return set(strip_clitics(words[0])) if words else set()


def quantity_unit(unit: str | None, what: str | None) -> str | None:
    """The unit of a quantity: "%" (the unit, a % in ``what``, or ``what`` opening with نسبة),
    the currency ``what`` opens with (folded, clitics stripped), else None."""
    stems = _first_stems(what)
    if unit == "%" or "%" in (what or "") or stems & {fold("نسبة"), fold("بالمئة")}:
        return "%"
    return min(stems & _CURRENCIES, default=None)


def same_noun(gold: str | None, predicted: str | None) -> bool:
    """The gold ``what``'s first word equals the system's first word after folding and clitic
    stripping (قتيل ~ وقتيل); a gold noun normalised away from the text (قتيل for شخص) does not
    match. No gold noun matches anything."""
    g = _first_stems(gold)
    return not g or bool(g & _first_stems(predicted))


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


def matched_claims(
    text: str,
    sentences: list[tuple[int, int]],
    gold: list[dict[str, Any]],
    predicted: list[Claim],
) -> list[tuple[dict[str, Any], Claim | None]]:
    """Each gold claim with the predicted claim it matches (content spans overlap, same kind
    first, each predicted claim used once), or None."""
    used: set[int] = set()
    pairs: list[tuple[dict[str, Any], Claim | None]] = []
    for g in gold:
        span = locate(text, g["content"], sentences)
        candidates = [
            (i, c)
            for i, c in enumerate(predicted)
            if span and i not in used and _overlaps(span, (c.content_start, c.content_end))
        ]
        if not candidates:
            pairs.append((g, None))
            continue
        candidates.sort(key=lambda ic: ic[1].kind != g["kind"])  # same kind first
        i, claim = candidates[0]
        used.add(i)
        pairs.append((g, claim))
    return pairs


def _score_text(
    report: ClaimReport,
    label: str,
    text: str,
    sentences: list[tuple[int, int]],
    gold: list[dict[str, Any]],
    predicted: list[Claim],
) -> None:
    def error(family: str, detail: str) -> None:
        report.error_items.append(ClaimError(family, label, detail))
        report.errors.append(str(report.error_items[-1]))

    report.detection.gold += len(gold)
    report.detection.predicted += len(predicted)
    report.strict.gold += len(gold)
    report.strict.predicted += len(predicted)
    for each in predicted:
        report.per_kind[each.kind].predicted += 1
    matched_ids: set[str] = set()
    for g, claim in matched_claims(text, sentences, gold, predicted):
        report.per_kind[g["kind"]].gold += 1
        if claim is None:
            error(f"missed {g['kind']}", f"missed {g['kind']}: {_snippet(g['content'])}")
            continue
        matched_ids.add(claim.claim_id)
        report.detection.matched += 1
        content = text[claim.content_start : claim.content_end]
        if same_words(content, g["content"]):
            report.strict.matched += 1
        else:
            error("content span", f"content {_snippet(content)!r}, gold {_snippet(g['content'])!r}")
        report.kind.add(claim.kind == g["kind"])
        if claim.kind == g["kind"]:
            report.per_kind[g["kind"]].matched += 1
        else:
            error("kind", f"kind {claim.kind}, gold {g['kind']}: {_snippet(g['content'])}")
        speaker = claim.speaker.text if claim.speaker else None
        report.speaker.add(same_party(g.get("speaker"), speaker))
        report.speaker_strict.add(same_party_strictly(g.get("speaker"), speaker))
        if not same_party_strictly(g.get("speaker"), speaker):
            error(
                _speaker_family(g.get("speaker"), speaker),
                f"speaker {speaker!r}, gold {g.get('speaker')!r}",
            )
        report.cue.add(same_cue(g.get("cue"), claim.cue))
        if not same_cue(g.get("cue"), claim.cue):
            error("cue", f"cue {claim.cue!r}, gold {g.get('cue')!r}")
        if g.get("according_to") or claim.according_to:
            source = claim.according_to.text if claim.according_to else None
            report.according_to.add(same_party(g.get("according_to"), source))
            if not same_party(g.get("according_to"), source):
                error("according_to", f"according_to {source!r}, gold {g.get('according_to')!r}")
        values = {q.value for q in claim.quantities}
        for q in g.get("quantities", []):
            report.quantity_values.add(float(q["value"]) in values)
            same = next((p for p in claim.quantities if p.value == float(q["value"])), None)
            unit = noun = approx = False
            if same is not None:
                unit = quantity_unit(None, q.get("what")) == quantity_unit(same.unit, same.what)
                noun = same_noun(q.get("what"), same.what)
                approx = bool(q.get("approx")) == (same.qualifier != Qualifier.EXACT)
            report.quantity_units.add(unit)
            report.quantity_nouns.add(noun)
            report.quantity_full.add(unit and noun and approx)
            if float(q["value"]) not in values:
                error(
                    "quantity",
                    f"quantity {sorted(values)}, gold {q['value']} in {_snippet(g['content'])}",
                )
    for claim in predicted:
        report.by_confidence[round(claim.confidence, 2)].add(claim.claim_id in matched_ids)
        if claim.claim_id not in matched_ids:
            error(
                f"spurious {claim.kind}",
                f"spurious {claim.kind} ({claim.confidence}): "
                f"{_snippet(text[claim.content_start : claim.content_end])}",
            )


def _pieces(article: GoldArticle) -> list[tuple[CleanArticle, list[dict[str, Any]]]]:
    """The article's clean text with its gold claims, and its glued second article's."""
    raw = RawArticle(
        id=article.file.replace(".", "_"), source=article.outlet, content=article.text()
    )
    clean = clean_article(raw)
    pieces = [(clean, article.data.get("claims", []))]
    glued = appended_articles(clean)
    if glued and article.data.get("appended_claims") is not None:
        pieces.append((clean_article(glued[0]), article.data["appended_claims"]))
    return pieces


def evaluate_claims(
    articles: Iterable[GoldArticle], speakers: speaker_ranking.Model | str | None = None
) -> ClaimReport:
    """Scores of the shipped extractor; ``speakers`` picks the speaker resolver ("rules",
    "ranker") or a ranking model in place of the shipped one."""
    report = ClaimReport()
    if isinstance(speakers, speaker_ranking.Model):
        scope = speaker_ranking.using(resolver="ranker", model=speakers)
    else:
        scope = speaker_ranking.using(resolver=speakers)
    with scope:
        for article in articles:
            for n, (piece, gold) in enumerate(_pieces(article)):
                enriched = enrich_article(piece)
                sentences = [(s.start, s.end) for s in piece.sentences]
                label = article.file + (" (appended)" if n else "")
                _score_text(report, label, piece.text, sentences, gold, enriched.claims)
    return report


def evaluate_folds(
    articles: Iterable[GoldArticle],
    speakers: Callable[[list[GoldArticle]], speaker_ranking.Model | str | None] | None = None,
) -> dict[str, ClaimReport]:
    """One report per outlet fold (``outlet_folds``): how the numbers vary from one outlet to
    another. The rules and the cue lexicon were not fitted on any fold; the speaker ranker is,
    so ``speakers(held)`` gives the resolver or model to score a fold with (a model fitted
    without the fold's articles: ``speaker_models_without``)."""
    from services.evaluation.cleaning import outlet_folds

    return {
        name: evaluate_claims(held, speakers(held) if speakers else None)
        for name, held in outlet_folds(articles).items()
    }


def speaker_groups(articles: Iterable[GoldArticle]) -> list[speaker_ranking.Group]:
    """Training data of the speaker ranker: for every gold claim the extractor finds, the
    candidates it considered, labelled 1 where a candidate is the gold speaker (the same words;
    failing that, one name containing the other; "nobody" when the gold has no speaker)."""
    groups: list[speaker_ranking.Group] = []
    for article in articles:
        for piece, gold in _pieces(article):
            record: list[tuple[int, list[speaker_ranking.Candidate]]] = []
            with speaker_ranking.using(resolver="rules", record=record):
                enriched = enrich_article(piece)
            by_start = dict(record)
            sentences = [(s.start, s.end) for s in piece.sentences]
            for g, claim in matched_claims(piece.text, sentences, gold, enriched.claims):
                found = by_start.get(claim.content_start) if claim is not None else None
                if not found:
                    continue
                texts = [c.party.text if c.party else None for c in found]
                labels = [int(same_party_strictly(g.get("speaker"), t)) for t in texts]
                if not any(labels):  # the lenient match closest in length to the gold's
                    close = [
                        abs(len(_bare(t)) - len(_bare(g.get("speaker"))))
                        if same_party(g.get("speaker"), t)
                        else None
                        for t in texts
                    ]
                    best = min((d for d in close if d is not None), default=None)
                    labels = [int(d is not None and d == best) for d in close]
                groups.append(speaker_ranking.Group(article.file, article.outlet, found, labels))
    return groups


def speaker_models_without(
    groups: list[speaker_ranking.Group], l2: float = speaker_ranking.DEFAULT_L2
) -> Callable[[list[GoldArticle]], speaker_ranking.Model]:
    """For ``evaluate_folds``: a ranker fitted on the groups of every article but the fold's."""

    def fitted(held: list[GoldArticle]) -> speaker_ranking.Model:
        files = {a.file for a in held}
        return speaker_ranking.fit([g for g in groups if g.file not in files], l2=l2)

    return fitted


def pooled(reports: Iterable[ClaimReport]) -> ClaimReport:
    total = ClaimReport()
    for report in reports:
        total.add(report)
    return total


def format_folds(folds: dict[str, ClaimReport]) -> list[str]:
    """Per fold: statements P/R, numeric P/R, detection F1 (lenient, strict), speaker (lenient,
    strict), quantities (value; unit, noun, fully exact as in ``format_claims``); then all
    folds pooled and the mean over folds."""
    header = (
        f"{'outlet fold':<22} {'claims':>6} {'stmt P':>6} {'stmt R':>6} {'num P':>6} {'num R':>6} "
        f"{'F1':>6} {'strict':>6} {'spkr':>6} {'strict':>6} {'qty':>6} {'unit':>6} {'noun':>6} "
        f"{'qfull':>6}"
    )

    def numbers(r: ClaimReport) -> list[float]:
        s, n = r.per_kind["statement"], r.per_kind["numeric"]
        return [
            s.precision,
            s.recall,
            n.precision,
            n.recall,
            r.detection.f1,
            r.strict.f1,
            r.speaker.value,
            r.speaker_strict.value,
            r.quantity_values.value,
            r.quantity_units.value,
            r.quantity_nouns.value,
            r.quantity_full.value,
        ]

    def row(name: str, gold: int | str, values: list[float]) -> str:
        return f"{name:<22} {gold!s:>6} " + " ".join(f"{v:>6.3f}" for v in values)

    lines = [header]
    table = {name: numbers(r) for name, r in folds.items()}
    lines += [row(name, folds[name].detection.gold, v) for name, v in table.items()]
    everything = pooled(folds.values())
    lines.append(row("all folds (micro)", everything.detection.gold, numbers(everything)))
    mean = [sum(column) / len(column) for column in zip(*table.values(), strict=True)]
    lines.append(row("mean over folds", "", mean))
    return lines


def format_errors(report: ClaimReport) -> list[str]:
    lines = [f"errors ({len(report.error_items)}), by family:"]
    for family, errors in report.by_family().items():
        lines.append(f"{family} ({len(errors)}):")
        lines += [f"  {e}" for e in errors]
    return lines


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
    lines.append(row("strict span (any kind)", report.strict))
    for name, share in (
        ("kind accuracy", report.kind),
        ("speaker accuracy", report.speaker),
        ("speaker strict", report.speaker_strict),
        ("cue accuracy", report.cue),
        ("according_to accuracy", report.according_to),
        ("quantity values exact", report.quantity_values),
        ("  + same unit", report.quantity_units),
        ("  + same noun (what)", report.quantity_nouns),
        ("  fully exact", report.quantity_full),
    ):
        lines.append(f"{name:<22} {share.value:>9.3f}   ({share.right}/{share.total} matched)")
    lines.append(
        "  (unit, noun, fully exact: of the system quantity with the gold's value; unit is % or a"
        " currency, from the unit or the first word of what; noun: gold what's first word equals"
        " the system's after folding and clitic stripping; fully exact = value + approx + unit +"
        " noun)"
    )
    lines.append("precision by confidence (should rise with it):")
    for level, share in sorted(report.by_confidence.items(), reverse=True):
        lines.append(
            f"  confidence {level:<10} {share.value:>9.3f}   ({share.right}/{share.total})"
        )
    return lines
