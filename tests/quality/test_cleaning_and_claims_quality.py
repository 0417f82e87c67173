"""Quality floors measured on articles the rules were not written from (regressions fail CI).

Reads ../shared/data/dev (the articles belong to their publishers and are not copied here);
skips with a message when that folder is absent. Claim floors are set on the held-out part of
dev (files listed in SOURCES.tsv, added after the claim rules were written), a little under the
level measured there; the full-dev numbers are reported beside them by ``rasd eval``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from services.checkworthy_cli import DEFAULT_LABELS
from services.evaluation.checkworthy import cross_validate, labelled_claims, read_labels
from services.evaluation.claims import (
    evaluate_claims,
    evaluate_folds,
    pooled,
    speaker_groups,
    speaker_models_without,
)
from services.evaluation.cleaning import evaluate_cleaning
from services.evaluation.gold import held_out, read_gold

GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dev" / "gold.jsonl"

pytestmark = pytest.mark.skipif(
    not GOLD.is_file(), reason=f"development gold not found at {GOLD} (../shared/data/dev)"
)


CORPUS = GOLD.parents[1] / "corpus" / "ant.jsonl.xz"


@pytest.mark.timeout(900)
def test_cleaning_holds_on_outlets_its_labeller_was_not_trained_on() -> None:
    """Leave one outlet out: each outlet is cleaned by a labeller trained without it.

    A smaller training set than the shipped model's keeps this to about two minutes: stories
    from the first 10,000 corpus articles and 3,000 synthetic pages measured body kept 0.9995,
    boilerplate removed 90.0%; the full set (``rasd eval clean GOLD --folds``) 0.9999 and 95.7%.
    (With 2,000 articles and 1,500 pages body kept fell to 0.978: the labeller needs the data.)
    """
    if not CORPUS.is_file():
        pytest.skip(f"corpus not found at {CORPUS}")
    from services.clean_cli import cross_outlet_report
    from services.evaluation.cleaning import FoldReport

    report = cross_outlet_report(GOLD, None, CORPUS, 3000, 10_000, 3, echo=False)
    assert isinstance(report, FoldReport)
    assert len(report.folds) >= 6
    assert report.overall.recall >= 0.995
    assert report.overall.boilerplate_removed >= 0.85
    assert report.overall.f1 > report.baseline.f1 + 0.02
    assert report.overall.boilerplate_removed > report.rules_only.boilerplate_removed


def test_shipped_cleaner_on_the_whole_dev_set() -> None:
    """Not held out (the labeller trained on these pages): a regression floor only."""
    report = evaluate_cleaning(read_gold(GOLD))
    assert report.overall.recall >= 0.998
    assert report.overall.boilerplate_removed >= 0.95


def test_claims_on_the_held_out_articles() -> None:
    """Files 101-130: no rule was written from their errors (the cue lexicon is mined from the
    ANT corpus, the rules developed on the other dev articles). Same numbers as ``rasd eval
    claims GOLD --subset held-out``."""
    articles = held_out(list(read_gold(GOLD)), GOLD)
    assert len(articles) >= 25
    report = evaluate_claims(articles)
    statements = report.per_kind["statement"]
    # measured 2026-12-02 (issue 12, item 4: quotations over sentences, relayed statements,
    # حسبما قال, linkers): statements P 0.910 R 0.789, detection F1 0.873 (strict span 0.546),
    # numeric P 0.854, speaker 0.790 (strict 0.653), quantities 0.890; issue 12 item 3 (labels,
    # scores, minutes, ranks, dates, models and list numbers are no quantity): numeric P 0.889
    assert statements.precision >= 0.89
    assert statements.recall >= 0.78
    assert report.detection.f1 >= 0.86
    assert report.strict.f1 >= 0.53
    assert report.per_kind["numeric"].precision >= 0.88
    assert report.speaker.value >= 0.78
    assert report.speaker_strict.value >= 0.64
    assert report.quantity_values.value >= 0.87


def test_speaker_ranker_across_outlets_on_the_held_out_articles() -> None:
    """Each held-out outlet's speakers ranked by weights fitted without that outlet's articles
    (``rasd eval claims GOLD --subset held-out --folds --speakers ranker``). The ranker is not
    the default (it ties the rules there); this floor keeps it from falling behind them."""
    everything = list(read_gold(GOLD))
    refit = speaker_models_without(speaker_groups(everything))
    folds = evaluate_folds(held_out(everything, GOLD), refit)
    report = pooled(folds.values())
    statements = report.per_kind["statement"]
    # measured 2026-12-02 (issue 12, item 4): speaker 0.785 (strict 0.653), the rules 0.790
    # (0.653); statements P 0.910 R 0.789 with either resolver
    assert report.speaker.value >= 0.77
    assert report.speaker_strict.value >= 0.64
    assert statements.precision >= 0.89
    assert statements.recall >= 0.78


def test_check_worthiness_ranks_held_out_articles_claims() -> None:
    """Scored by weights fitted without the claim's own article, on the articles labelled."""
    labels = read_labels(DEFAULT_LABELS)
    labelled_files = {file for file, _ in labels}
    articles = [a for a in read_gold(GOLD) if a.file in labelled_files]
    data = labelled_claims(articles, labels)
    # the labels still cover the claims extracted today (relabel when extraction changes)
    assert data.unlabelled <= 0.05 * (len(data.claims) + data.unlabelled)
    assert cross_validate(data.claims).auc >= 0.65
