"""``rasd eval claims`` and ``rasd train cues`` (click commands).

Registered in ``services/cli.py`` on the ``eval`` and ``train`` groups; the pipeline and the
corpus reader are imported inside the commands. Run one directly with
``uv run python -m services.claims_cli eval-claims ../shared/data/dev/gold.jsonl --folds``.
"""

from __future__ import annotations

from pathlib import Path

import click

from services.clitools import gold_arguments, load_gold

_SUBSETS = ("all", "held-out", "development")


@click.command(name="claims")
@gold_arguments
@click.option(
    "--subset",
    type=click.Choice(_SUBSETS),
    default="all",
    show_default=True,
    help="held-out: only the files listed in SOURCES.tsv beside GOLD (added after the rules "
    "were written); development: the others",
)
@click.option("--folds", is_flag=True, help="Also score each outlet apart (leave-one-outlet-out)")
@click.option("--errors", is_flag=True, help="Also list every miss and mismatch, grouped by family")
def eval_claims(gold: Path, articles: Path | None, subset: str, folds: bool, errors: bool) -> None:
    """Claim detection P/R/F1 per kind (lenient overlap and strict span), speaker (lenient and
    strict), cue and quantity accuracy on matched claims."""
    from services.evaluation.claims import (
        evaluate_claims,
        evaluate_folds,
        format_claims,
        format_errors,
        format_folds,
    )
    from services.evaluation.gold import held_out

    chosen = load_gold(gold, articles)
    if subset != "all":
        listed = {a.file for a in held_out(chosen, gold)}
        if not listed:
            raise click.ClickException(f"no SOURCES.tsv beside {gold}: no held-out part known")
        chosen = [a for a in chosen if (a.file in listed) == (subset == "held-out")]
    click.echo(f"{len(chosen)} articles ({subset})")
    report = evaluate_claims(chosen)
    for line in format_claims(report):
        click.echo(line)
    if folds:
        click.echo("per outlet (each fold scored on its own; same extractor):")
        for line in format_folds(evaluate_folds(chosen)):
            click.echo(line)
    if errors:
        for line in format_errors(report):
            click.echo(line)


DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "ant.jsonl.xz"


@click.command(name="cues")
@click.option(
    "--corpus",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_CORPUS,
    show_default=True,
    help="JSONL(.xz) news corpus to mine (ship only what is mined from a corpus whose licence "
    "allows it: ant.jsonl.xz does, saudinewsnet.jsonl.xz does not)",
)
@click.option("--at-least", default=25, show_default=True, help="Keep words opening this many")
@click.option("--limit", type=int, help="Only the first N articles (a quick look)")
@click.option("--show", default=30, show_default=True, help="Unreviewed candidates to print")
def train_cues(corpus: Path, at_least: int, limit: int | None, show: int) -> None:
    """Mine reporting cues from CORPUS into resources/cue_candidates.tsv, then add the reviewed
    ones (resources/cue_review.tsv) to resources/cues.json; print the candidates not reviewed."""
    from services.arabic import cue_mining

    counts = cue_mining.mine(cue_mining.read_corpus(corpus, limit))
    candidates = cue_mining.ranked(counts, at_least=at_least)
    cue_mining.write_candidates(candidates)
    reviews = cue_mining.read_review()
    changes = cue_mining.update_cues(reviews)
    click.echo(
        f"{counts.articles} articles: {len(candidates)} candidates (>= {at_least} openings) "
        f"written to {cue_mining.CANDIDATES.name}; {len(reviews)} reviewed in "
        f"{cue_mining.REVIEW.name}"
    )
    click.echo(f"{len(changes)} changes to {cue_mining.CUES.name}" + (":" if changes else ""))
    for change in changes:
        click.echo(f"  {change}")
    waiting = cue_mining.unreviewed(candidates, reviews)
    known = cue_mining.known_forms()
    waiting = [c for c in waiting if c.word not in known]
    click.echo(f"{len(waiting)} candidates neither in the lexicon nor reviewed; the first {show}:")
    for c in waiting[:show]:
        click.echo(f"  {c.word}\t{c.opens}\tshare {c.share}\t{c.particle}")


@click.group()
def _commands() -> None:
    """The commands of this module, for running them without the rasd entry point."""


_commands.add_command(eval_claims, name="eval-claims")
_commands.add_command(train_cues, name="train-cues")

if __name__ == "__main__":
    _commands()
