"""``rasd train checkworthiness`` and ``rasd eval checkworthiness`` (click commands).

Registered in ``services/cli.py`` on the ``train`` and ``eval`` groups; numpy and the pipeline
are imported inside the commands.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from services.clitools import gold_arguments, load_gold

if TYPE_CHECKING:
    from services.evaluation.checkworthy import Labelled

DEFAULT_LABELS = Path(__file__).parent / "evaluation" / "labels" / "checkworthy-dev.jsonl"

_labels_option = click.option(
    "--labels",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_LABELS,
    show_default=True,
    help="Check-worthiness labels of the gold set's claims (JSON lines, see the module doc)",
)


def _labelled(gold: Path, articles: Path | None, labels: Path) -> Labelled:
    """The gold set's claims joined to their labels, or a message saying none matched."""
    from services.evaluation.checkworthy import labelled_claims, read_labels

    data = labelled_claims(load_gold(gold, articles), read_labels(labels))
    if not data.claims:
        raise click.ClickException(f"no claim of {gold} matches a label in {labels}")
    return data


@click.command(name="checkworthiness")
@gold_arguments
@_labels_option
def train_checkworthiness(gold: Path, articles: Path | None, labels: Path) -> None:
    """Fit the check-worthiness weights on labelled claims of GOLD's articles and write them into
    services/arabic/resources/checkworthy.json (lexicons there are kept)."""
    from services.arabic import checkworthy
    from services.evaluation.checkworthy import cross_validate, fitted_weights

    data = _labelled(gold, articles, labels)
    checked = cross_validate(data.claims)
    weights, bias = fitted_weights(data.claims)
    path = Path(checkworthy.__file__).parent / "resources" / "checkworthy.json"
    resource = json.loads(path.read_text("utf-8"))
    resource["weights"], resource["bias"] = weights, bias
    resource["model_card"] = {
        "trained": date.today().isoformat(),
        "labels": f"{labels.name}: {len(data.claims)} claims of {gold.name}, "
        f"{int(checked.labels.sum())} check-worthy ({data.unmatched} labels unmatched)",
        "labelling": "CLEF CheckThat! questions: a verifiable factual claim, of public interest "
        "or harmful if false; labelled blind to the model's scores",
        "leave_one_article_out_auc": round(checked.auc, 3),
    }
    path.write_text(json.dumps(resource, ensure_ascii=False, indent=2) + "\n", "utf-8")
    click.echo(f"wrote {path} (leave-one-article-out AUC {checked.auc:.3f})")


@click.command(name="checkworthiness")
@gold_arguments
@_labels_option
def eval_checkworthiness(gold: Path, articles: Path | None, labels: Path) -> None:
    """How well check-worthiness ranks labelled claims: AUC of the shipped weights (fitted on
    these labels, so optimistic) and leave-one-article-out AUC, with a calibration table."""
    import numpy as np

    from services.arabic.checkworthy import model, score
    from services.evaluation.checkworthy import auc, calibration_rows, cross_validate

    data = _labelled(gold, articles, labels)
    shipped = np.array([score(c.vector, model()) for c in data.claims])
    checked = cross_validate(data.claims)
    positives = int(checked.labels.sum())
    click.echo(
        f"claims {len(data.claims)}  check-worthy {positives}  "
        f"labels of claims no longer found {data.unmatched}  claims without a label "
        f"{data.unlabelled}"
    )
    click.echo(f"AUC shipped weights (in-sample)      {auc(shipped, checked.labels):.3f}")
    click.echo(f"AUC leave-one-article-out            {checked.auc:.3f}")
    click.echo("share check-worthy by cross-validated score (should rise with it):")
    for band, count, share in calibration_rows(checked.scores, checked.labels):
        click.echo(f"  score {band}   {share:>6.3f}   ({count} claims)")
