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


@click.group()
def _commands() -> None:
    """The commands of this module, for running them without the rasd entry point."""


_commands.add_command(eval_claims, name="eval-claims")

if __name__ == "__main__":
    _commands()
