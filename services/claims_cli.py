"""``rasd eval claims``, ``rasd train cues`` and ``rasd train speakers`` (click commands).

Registered in ``services/cli.py`` on the ``eval`` and ``train`` groups; the pipeline and the
corpus reader are imported inside the commands. Run one directly with
``uv run python -m services.claims_cli eval-claims ../shared/data/dev/gold.jsonl --folds``.
"""

from __future__ import annotations

from pathlib import Path

import click

from services.clitools import corpus_option, gold_arguments, load_gold

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
@click.option(
    "--speakers",
    type=click.Choice(("default", "rules", "ranker")),
    default="default",
    show_default=True,
    help="Speaker resolver (services/arabic/speakers.py): the rules' choice, or the ranker; with "
    "--folds the ranker scoring a fold is refitted on the gold's other outlets",
)
def eval_claims(
    gold: Path, articles: Path | None, subset: str, folds: bool, errors: bool, speakers: str
) -> None:
    """Claim detection P/R/F1 per kind (lenient overlap and strict span), speaker (lenient and
    strict), cue and quantity accuracy on matched claims."""
    from services.arabic.speakers import active_resolver
    from services.evaluation.claims import (
        evaluate_claims,
        evaluate_folds,
        format_claims,
        format_errors,
        format_folds,
        speaker_groups,
        speaker_models_without,
    )
    from services.evaluation.gold import held_out

    everything = load_gold(gold, articles)
    chosen = everything
    if subset != "all":
        listed = {a.file for a in held_out(chosen, gold)}
        if not listed:
            raise click.ClickException(f"no SOURCES.tsv beside {gold}: no held-out part known")
        chosen = [a for a in chosen if (a.file in listed) == (subset == "held-out")]
    resolver = active_resolver() if speakers == "default" else speakers
    click.echo(f"{len(chosen)} articles ({subset}); speakers by {resolver}")
    report = evaluate_claims(chosen, resolver)
    if resolver == "ranker":
        click.echo(
            "(the shipped ranker was fitted on all of dev: these speaker numbers are not "
            "held out; see --folds)"
        )
    for line in format_claims(report):
        click.echo(line)
    if folds:
        if resolver == "ranker":
            click.echo("per outlet (each fold's speakers ranked by a model fitted without it):")
            refit = speaker_models_without(speaker_groups(everything))
            per_fold = evaluate_folds(chosen, refit)
        else:
            click.echo("per outlet (each fold scored on its own; same extractor):")
            per_fold = evaluate_folds(chosen, lambda _: resolver)
        for line in format_folds(per_fold):
            click.echo(line)
    if errors:
        for line in format_errors(report):
            click.echo(line)


@click.command(name="cues")
@corpus_option
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


@click.command(name="speakers")
@gold_arguments
@click.option("--l2", default=1.0, show_default=True, help="L2 penalty of the ranker's weights")
@click.option(
    "--seed",
    default=0,
    show_default=True,
    help="Recorded in the model (the fit is deterministic: Newton steps from zero weights)",
)
@click.option("--dry-run", is_flag=True, help="Report the cross-outlet numbers, write nothing")
def train_speakers(gold: Path, articles: Path | None, l2: float, seed: int, dry_run: bool) -> None:
    """Fit the speaker ranker on GOLD's claims into resources/speakers.json, after scoring it
    leave-one-outlet-out (each outlet's claims ranked by a model fitted on the others)."""
    import json

    from services.arabic import speakers as ranking
    from services.evaluation.claims import (
        evaluate_folds,
        pooled,
        speaker_groups,
        speaker_models_without,
    )
    from services.evaluation.gold import held_out

    chosen = load_gold(gold, articles)
    groups = speaker_groups(chosen)
    labelled = [g for g in groups if any(g.labels)]
    click.echo(
        f"{len(chosen)} articles, {len(groups)} matched claims, {len(labelled)} with the gold "
        f"speaker among the candidates ({sum(len(g.candidates) for g in groups)} candidates)"
    )
    held = {a.file for a in held_out(chosen, gold)}
    numbers: dict[str, dict[str, float]] = {}
    for subset, articles_in in (
        ("dev", chosen),
        ("held-out", [a for a in chosen if a.file in held]),
    ):
        for resolver in ("rules", "ranker"):
            speakers = speaker_models_without(groups, l2) if resolver == "ranker" else None
            folds = evaluate_folds(articles_in, speakers if speakers else (lambda _: "rules"))
            r = pooled(folds.values())
            s = r.per_kind["statement"]
            numbers[f"{subset} leave-one-outlet-out, {resolver}"] = {
                "speaker": round(r.speaker.value, 3),
                "speaker_strict": round(r.speaker_strict.value, 3),
                "statements_P": round(s.precision, 3),
                "statements_R": round(s.recall, 3),
            }
    for name, values in numbers.items():
        click.echo(f"  {name:<40} " + "  ".join(f"{k} {v:.3f}" for k, v in values.items()))
    model = ranking.fit(groups, l2=l2)
    right, total = ranking.top1(model, groups)
    click.echo(f"fitted on all {total} labelled claims: top-1 {right}/{total} (in sample)")
    if dry_run:
        return
    path = ranking.model_path()
    old = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    data = {
        "_about": "Speaker ranker (services/arabic/speakers.py), written by rasd train speakers;"
        " model card speakers.md",
        **{key: old.get(key, []) for key in ranking.VOCABULARIES},
        "l2": l2,
        "seed": seed,
        "trained_on": f"{gold.name}: {len(chosen)} articles, {total} labelled claims",
        "leave_one_outlet_out": numbers,
        **model.to_json(),
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    click.echo(f"wrote {path}")


def _register_train_speakers() -> None:
    """``rasd train speakers`` joins the ``train`` group beside ``rasd train cues``."""
    from services.ner_cli import train_group

    if "speakers" not in train_group.commands:
        train_group.add_command(train_speakers)


_register_train_speakers()


@click.group()
def _commands() -> None:
    """The commands of this module, for running them without the rasd entry point."""


_commands.add_command(eval_claims, name="eval-claims")
_commands.add_command(train_cues, name="train-cues")
_commands.add_command(train_speakers, name="train-speakers")

if __name__ == "__main__":
    _commands()
