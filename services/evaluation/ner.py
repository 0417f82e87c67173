"""NER quality: conlleval-style scores on CoNLL files and entity-pair scores on gold articles.

* ``score_sequences``: exact-span entity matching over BIO label sequences (as conlleval: a stray
  I- opens an entity), precision/recall/F1 per type and micro over all types.
* ``evaluate_articles``: per article, the distinct ``(surface, type)`` pairs found in the title
  and body against the gold pairs (``../shared/data/dev/README.md``), surfaces compared in
  matching form (alef/ya/ta marbuta variants and diacritics folded), types PER/ORG/LOC.
* ``ablate_each``: the same with each entity rule (``services.arabic.entities.RULES``) off in
  turn, per subset of the gold (held-out, development): what each rule is worth.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from services.arabic.ner import TYPES, Tagger, spans_from_labels
from services.arabic.normalize import fold
from services.evaluation.gold import GoldArticle
from services.evaluation.scores import f1, ratio

ARTICLE_TYPES = ("PER", "ORG", "LOC")


@dataclass
class NerScores:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    tokens: int = 0
    sentences: int = 0

    def add(self, gold: set[tuple[object, ...]], pred: set[tuple[object, ...]]) -> None:
        """Add one unit's entities; the last element of each tuple is its type."""
        for item in pred & gold:
            self.tp[str(item[-1])] += 1
        for item in pred - gold:
            self.fp[str(item[-1])] += 1
        for item in gold - pred:
            self.fn[str(item[-1])] += 1

    def prf(self, kind: str | None = None) -> tuple[float, float, float]:
        if kind is None:
            tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        else:
            tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
        p = ratio(tp, tp + fp, empty=0.0)
        r = ratio(tp, tp + fn, empty=0.0)
        return p, r, f1(p, r)

    @property
    def micro_f1(self) -> float:
        return self.prf()[2]

    def as_dict(self, types: Sequence[str] = TYPES) -> dict[str, dict[str, float]]:
        out = {}
        for kind in [*types, None]:
            p, r, f = self.prf(kind)
            out[kind or "micro"] = {
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f, 4),
            }
        return out


def normalize_label(label: str) -> str:
    """PERS -> PER; anything outside PER/LOC/ORG/MISC becomes O."""
    bio, _, kind = label.strip().partition("-")
    kind = {"PERS": "PER"}.get(kind, kind)
    if kind.startswith("MIS"):
        kind = "MISC"
    return f"{bio}-{kind}" if bio in ("B", "I") and kind in TYPES else "O"


def score_sequences(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]) -> NerScores:
    scores = NerScores()
    for g, p in zip(gold, predicted, strict=True):
        scores.tokens += len(g)
        scores.sentences += 1
        gold_spans = {
            (s.start, s.end, s.type) for s in spans_from_labels(list(map(normalize_label, g)))
        }
        pred_spans = {
            (s.start, s.end, s.type) for s in spans_from_labels(list(map(normalize_label, p)))
        }
        scores.add(gold_spans, pred_spans)  # type: ignore[arg-type]
    return scores


def evaluate_sentences(
    sentences: Iterable[tuple[list[str], list[str]]], tagger: Tagger
) -> NerScores:
    gold: list[list[str]] = []
    pred: list[list[str]] = []
    for words, labels in sentences:
        gold.append(labels)
        pred.append(tagger.tag(words))
    return score_sequences(gold, pred)


def evaluate_extract_stage(sentences: Iterable[tuple[list[str], list[str]]]) -> NerScores:
    """The whole entity stage (tagger, knowledge base, patterns, linking) on CoNLL sentences,
    joined with spaces: exact token spans of PER, LOC and ORG (MISC is not extracted)."""
    from services.arabic.entities import find_entities
    from services.arabic.tokenize import tokenize

    scores = NerScores()
    for words, labels in sentences:
        text = " ".join(words)
        starts = list(itertools.accumulate((len(w) + 1 for w in words[:-1]), initial=0))
        gold: set[tuple[object, ...]] = {
            (s.start, s.end, s.type) for s in spans_from_labels(labels) if s.type != "MISC"
        }
        found: set[tuple[object, ...]] = set()
        for mention in find_entities(text, tokenize(text)):
            first = bisect_right(starts, mention.start) - 1
            end = bisect_left(starts, mention.end)  # tokens starting before the mention ends
            found.add((first, end, mention.entry.type))
        scores.add(gold, found)
        scores.tokens += len(words)
        scores.sentences += 1
    return scores


def evaluate_conll(path: Path, tagger: Tagger) -> NerScores:
    from services.arabic.ner_train import read_conll

    return evaluate_sentences(read_conll(path), tagger)


def format_scores(scores: NerScores, types: Sequence[str] = TYPES) -> list[str]:
    """conlleval-like table: per type and micro precision, recall, F1 and counts."""
    lines = [
        f"processed {scores.tokens} tokens in {scores.sentences} sentences; "
        f"found {sum(scores.tp.values()) + sum(scores.fp.values())} entities; "
        f"gold {sum(scores.tp.values()) + sum(scores.fn.values())}; "
        f"correct {sum(scores.tp.values())}",
        f"{'type':<8} {'precision':>9} {'recall':>9} {'F1':>9} {'found':>7} {'gold':>7}",
    ]
    for kind in [*types, None]:
        p, r, f = scores.prf(kind)
        if kind is None:
            found = sum(scores.tp.values()) + sum(scores.fp.values())
            gold = sum(scores.tp.values()) + sum(scores.fn.values())
        else:
            found, gold = scores.tp[kind] + scores.fp[kind], scores.tp[kind] + scores.fn[kind]
        lines.append(f"{kind or 'micro':<8} {p:>9.4f} {r:>9.4f} {f:>9.4f} {found:>7} {gold:>7}")
    return lines


# --- articles ------------------------------------------------------------------------------


@dataclass
class ArticleReport:
    overall: NerScores = field(default_factory=NerScores)
    per_file: dict[str, NerScores] = field(default_factory=dict)
    errors: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = field(
        default_factory=dict
    )  # file -> (missed, spurious)


def article_texts(content: str, *, html: bool) -> tuple[str, str]:
    """The title and body our cleaner extracts from an article page."""
    from services.arabic.analyze import clean

    result = clean(content, html=html)
    return result.title or "", result.segmented.text


def text_pairs(
    texts: Iterable[str], *, disabled: Collection[str] | None = None, tagger: bool = True
) -> set[tuple[str, str]]:
    """Distinct (surface, type) pairs our extract stage finds in the texts (title and body), with
    the entity rules ``disabled`` off (default: those of ``disable_rules``)."""
    from services.arabic.entities import find_entities
    from services.arabic.tokenize import tokenize

    pairs: set[tuple[str, str]] = set()
    for text in texts:
        for m in find_entities(text, tokenize(text), tagger=tagger, disabled=disabled):
            if m.entry.type in ARTICLE_TYPES:
                surface = m.text
                if surface[:1] == "ل" and text[m.start - 1 : m.start] == "ل":
                    surface = "ا" + surface  # للأمم المتحدة: span لأمم المتحدة, name الأمم …
                pairs.add((surface, m.entry.type))
    return pairs


def article_pairs(content: str, *, html: bool) -> set[tuple[str, str]]:
    """Distinct (surface, type) pairs our extract stage finds in an article's title and body."""
    return text_pairs(article_texts(content, html=html))


def _is_html(article: GoldArticle) -> bool:
    return article.path.suffix.lower() in (".html", ".htm")


def _gold_pairs(article: GoldArticle) -> set[tuple[str, str]]:
    return {
        (e["text"], e["type"])
        for e in article.data.get("entities", [])
        if e.get("type") in ARTICLE_TYPES
    }


def _add_article(
    report: ArticleReport, file: str, gold: set[tuple[str, str]], found: set[tuple[str, str]]
) -> None:
    fg = {(fold(t), k): (t, k) for t, k in gold}
    fp = {(fold(t), k): (t, k) for t, k in found}
    scores = NerScores()
    scores.add(set(fg), set(fp))
    report.per_file[file] = scores
    report.errors[file] = (
        sorted(fg[k] for k in set(fg) - set(fp)),
        sorted(fp[k] for k in set(fp) - set(fg)),
    )
    for kind in ARTICLE_TYPES:
        report.overall.tp[kind] += scores.tp[kind]
        report.overall.fp[kind] += scores.fp[kind]
        report.overall.fn[kind] += scores.fn[kind]


def evaluate_articles(
    articles: Iterable[GoldArticle],
    *,
    disabled: Collection[str] | None = None,
    tagger: bool = True,
) -> ArticleReport:
    """Pairs found against gold pairs per article, with the entity rules ``disabled`` off."""
    report = ArticleReport()
    for article in articles:
        texts = article_texts(article.text(), html=_is_html(article))
        found = text_pairs(texts, disabled=disabled, tagger=tagger)
        _add_article(report, article.file, _gold_pairs(article), found)
    return report


# --- ablation ------------------------------------------------------------------------------

ALL_ON = "(all rules on)"
TAGGER_OFF = "(tagger off)"


@dataclass(frozen=True)
class AblationRow:
    """Scores per subset with one rule off (or, for ``ALL_ON``/``TAGGER_OFF``, none)."""

    rule: str
    scores: dict[str, NerScores]


def ablate_each(
    subsets: Mapping[str, Sequence[GoldArticle]], rules: Sequence[str]
) -> list[AblationRow]:
    """Every rule switched off in turn, scored on every subset: first all rules on, then the
    rules alone (tagger off), then one row per rule. Each page is cleaned once."""
    pages = {
        name: [
            (a.file, article_texts(a.text(), html=_is_html(a)), _gold_pairs(a)) for a in articles
        ]
        for name, articles in subsets.items()
    }
    settings = [(ALL_ON, frozenset[str](), True), (TAGGER_OFF, frozenset[str](), False)]
    settings += [(rule, frozenset({rule}), True) for rule in rules]
    rows = []
    for label, disabled, tagger in settings:
        scores = {}
        for name, read in pages.items():
            report = ArticleReport()
            for file, texts, gold in read:
                found = text_pairs(texts, disabled=disabled, tagger=tagger)
                _add_article(report, file, gold, found)
            scores[name] = report.overall
        rows.append(AblationRow(label, scores))
    return rows


def format_ablation(rows: Sequence[AblationRow], sizes: Mapping[str, int]) -> list[str]:
    """One line per row: per subset micro F1, its change from all rules on, and F1 per type."""
    base = next(row for row in rows if row.rule == ALL_ON)
    width = max(len(row.rule) for row in rows) + 2
    cell = 40  # 36 characters of scores and a gap before the next subset
    heads = f"{'micro':>7} {'change':>7}" + "".join(f" {k:>6}" for k in ARTICLE_TYPES)
    lines = [
        "F1 of distinct (surface, type) pairs with the rule off; change = micro F1 minus all on",
        f"{'':<{width}}"
        + "".join(f"{f'{name} ({sizes[name]} articles)':<{cell}}" for name in sizes).rstrip(),
        f"{'rule off':<{width}}" + "".join(f"{heads:<{cell}}" for _ in sizes).rstrip(),
    ]
    for row in rows:
        cells = []
        for name in sizes:
            scores = row.scores[name]
            change = scores.micro_f1 - base.scores[name].micro_f1
            per_type = "".join(f" {scores.prf(k)[2]:>6.3f}" for k in ARTICLE_TYPES)
            cells.append(f"{f'{scores.micro_f1:>7.4f} {change:>+7.4f}{per_type}':<{cell}}")
        lines.append(f"{row.rule:<{width}}" + "".join(cells).rstrip())
    return lines


def format_article_report(report: ArticleReport, *, errors: bool = False) -> list[str]:
    lines = ["distinct (surface, type) pairs per article, micro over articles"]
    lines += format_scores(report.overall, ARTICLE_TYPES)[1:]
    lines.append(f"{'per file':<28} {'precision':>9} {'recall':>9} {'F1':>9}")
    for name, s in report.per_file.items():
        p, r, f = s.prf()
        lines.append(f"  {name:<26} {p:>9.4f} {r:>9.4f} {f:>9.4f}")
        if errors:
            missed, spurious = report.errors[name]
            lines += [f"      missed   {t} {k}" for t, k in missed]
            lines += [f"      spurious {t} {k}" for t, k in spurious]
    return lines
