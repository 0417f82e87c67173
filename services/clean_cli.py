"""``rasd train clean`` and ``rasd eval clean`` (click commands; registered in ``services/cli.py``).

Heavy work (reading the corpus, training crfsuite) happens inside the commands.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from services.clitools import corpus_option, gold_arguments, load_gold

if TYPE_CHECKING:
    from services.arabic.pagelines_train import LabelledPage
    from services.arabic.pagesynth import Story

DEFAULT_GOLD = Path("../shared/data/dev/gold.jsonl")
TRAIN_SEED = 1
TEST_SEED = 2  # synthetic test pages: another seed, so no training page is scored


def _stories(corpus: Path, limit: int | None, echo: bool = True) -> list[Story]:
    from services.arabic.pagelines_train import clean_stories, read_corpus

    if not corpus.is_file():
        raise click.ClickException(
            f"corpus {corpus} not found: pass --corpus (../shared/data/corpus/ant.jsonl.xz)"
        )
    started = time.monotonic()
    rows = read_corpus(corpus, limit)
    stories = clean_stories(rows, click.echo if echo else lambda _: None)
    if echo:
        click.echo(
            f"{len(stories)} stories from {len(rows)} articles ({time.monotonic() - started:.0f} s)"
        )
    return stories


def _synthetic(stories: list[Story], pages: int, seed: int) -> list[LabelledPage]:
    from services.arabic.pagelines_train import synthetic_pages, synthetic_sequence

    return [synthetic_sequence(page) for page in synthetic_pages(stories, pages, seed)]


def _dev_pages(gold: Path | None) -> dict[str, LabelledPage]:
    from services.arabic.pagelines_train import gold_line_labels, page_sequence

    if gold is None:
        return {}
    return {
        a.file: page_sequence(a.text(), None, gold_line_labels(a.text(), a.data), a.outlet)
        for a in load_gold(gold, None)
    }


pages_option = click.option(
    "--pages", default=5000, show_default=True, help="Synthetic pages to train on"
)
limit_option = click.option(
    "--limit", type=int, default=None, help="Read only the first N corpus articles (smoke test)"
)
dev_weight_option = click.option(
    "--dev-weight",
    default=3,
    show_default=True,
    help="Each dev page counts this many times beside the synthetic ones",
)


@click.command(name="clean")
@corpus_option
@pages_option
@limit_option
@dev_weight_option
@click.option(
    "--gold",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_GOLD,
    show_default=True,
    help="Dev gold whose pages are added to training ('' for synthetic pages only)",
)
@click.option("--seed", default=TRAIN_SEED, show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Model file [default: the shipped services/arabic/resources/pagelines.crfsuite]",
)
def train_clean(
    corpus: Path,
    pages: int,
    limit: int | None,
    dev_weight: int,
    gold: Path,
    seed: int,
    out: Path | None,
) -> None:
    """Train the page-line labeller on synthetic pages from the corpus and on the dev gold.

    Writes MODEL and MODEL.json (settings and the score on synthetic test pages of another seed).
    """
    from services.arabic.pagelines import LineModel, shipped_model_path
    from services.arabic.pagelines_train import synthetic_pages, train
    from services.evaluation.cleaning import score_synthetic

    out = out or shipped_model_path()
    stories = _stories(corpus, limit)
    sequences = _synthetic(stories, pages, seed)
    dev = _dev_pages(gold if str(gold) else None)
    click.echo(f"training on {len(sequences)} synthetic and {len(dev)} dev pages (x{dev_weight})")
    started = time.monotonic()
    train([*sequences, *list(dev.values()) * dev_weight], out)
    click.echo(f"trained in {time.monotonic() - started:.0f} s: {out}")
    test = score_synthetic(synthetic_pages(stories, 500, TEST_SEED), LineModel(str(out)))
    click.echo(
        f"synthetic test (500 pages, seed {TEST_SEED}): body kept {test.recall:.4f}, "
        f"boilerplate removed {test.boilerplate_removed:.1%}"
    )
    card = {
        "corpus": corpus.name,
        "corpus_articles_read": limit,
        "stories": len(stories),
        "synthetic_pages": pages,
        "seed": seed,
        "dev_pages": len(dev),
        "dev_weight": dev_weight,
        "synthetic_test": {
            "pages": 500,
            "seed": TEST_SEED,
            "body_kept": round(test.recall, 4),
            "boilerplate_removed": round(test.boilerplate_removed, 4),
        },
    }
    out.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n", "utf-8")


def cross_outlet_report(
    gold: Path,
    articles: Path | None,
    corpus: Path,
    pages: int,
    limit: int | None,
    dev_weight: int,
    echo: bool = True,
) -> object:
    """Leave-one-outlet-out over the dev gold: a labeller trained without each fold scores it."""
    from services.arabic.pagelines import LineModel
    from services.arabic.pagelines_train import gold_line_labels, page_sequence, train
    from services.evaluation.cleaning import cross_outlet, outlet_folds

    gold_articles = load_gold(gold, articles)
    folds = outlet_folds(gold_articles)
    fold_of = {a.file: name for name, members in folds.items() for a in members}
    dev = [
        (
            fold_of[a.file],
            page_sequence(a.text(), None, gold_line_labels(a.text(), a.data), a.outlet),
        )
        for a in gold_articles
    ]
    synthetic = _synthetic(_stories(corpus, limit, echo), pages, TRAIN_SEED)
    workdir = Path(tempfile.mkdtemp(prefix="rasd-folds-"))

    def train_without(fold: str) -> LineModel:
        path = workdir / f"{random.getrandbits(32):08x}.crfsuite"
        train([*synthetic, *[seq for f, seq in dev if f != fold] * dev_weight], path)
        if echo:
            click.echo(f"  trained without {fold}")
        return LineModel(str(path))

    return cross_outlet(folds, train_without)


@click.command(name="clean")
@gold_arguments
@click.option(
    "--html",
    "prefer_html",
    is_flag=True,
    help="Clean X.html instead of X.txt where both exist (same gold)",
)
@click.option(
    "--folds",
    is_flag=True,
    help="Leave one outlet out: retrain the labeller without each outlet and score it there "
    "(needs --corpus; takes a few minutes)",
)
@click.option(
    "--ablate",
    is_flag=True,
    help="Also score with each cleaning rule switched off in turn, and with rules alone",
)
@click.option(
    "--synthetic",
    type=int,
    default=0,
    help="Also score N synthetic test pages (seed 2, never trained on; needs --corpus)",
)
@corpus_option
@click.option("--pages", default=5000, show_default=True, help="Synthetic pages per fold model")
@limit_option
@dev_weight_option
def eval_clean(
    gold: Path,
    articles: Path | None,
    prefer_html: bool,
    folds: bool,
    ablate: bool,
    synthetic: int,
    corpus: Path,
    pages: int,
    limit: int | None,
    dev_weight: int,
) -> None:
    """Body kept (recall), boilerplate removed and token F1 of the cleaner, per outlet.

    The shipped labeller was trained on these dev articles: for numbers that predict unseen
    news, read --folds (each outlet scored by a labeller trained without it).
    """
    from services.arabic.segment import RULE_NAMES
    from services.evaluation.cleaning import (
        FoldReport,
        evaluate_cleaning,
        format_folds,
        format_report,
        score_synthetic,
    )

    gold_articles = load_gold(gold, articles)
    report = evaluate_cleaning(gold_articles, prefer_html=prefer_html)
    for line in format_report(report):
        click.echo(line)
    if ablate:
        click.echo("ablation (full dev, shipped labeller): rule off -> body kept, boiler-out")
        rules = evaluate_cleaning(gold_articles, prefer_html=prefer_html, use_model=False)
        click.echo(
            f"  {'(labeller off, rules only)':<28} {rules.overall.recall:.4f} "
            f"{rules.overall.boilerplate_removed:.1%}"
        )
        for name in RULE_NAMES:
            off = evaluate_cleaning(
                gold_articles, prefer_html=prefer_html, disabled=frozenset({name})
            )
            click.echo(
                f"  {name:<28} {off.overall.recall:.4f} {off.overall.boilerplate_removed:.1%}"
            )
    if synthetic:
        from services.arabic.pagelines_train import synthetic_pages

        stories = _stories(corpus, limit)
        score = score_synthetic(synthetic_pages(stories, synthetic, TEST_SEED))
        click.echo(
            f"synthetic test ({synthetic} pages, seed {TEST_SEED}): body kept "
            f"{score.recall:.4f}, boilerplate removed {score.boilerplate_removed:.1%}"
        )
    if folds:
        click.echo("leave one outlet out (each fold scored by a labeller trained without it):")
        fold_report = cross_outlet_report(gold, articles, corpus, pages, limit, dev_weight)
        assert isinstance(fold_report, FoldReport)
        for line in format_folds(fold_report):
            click.echo(line)
