"""Pieces the ``rasd`` commands share: the gold-file arguments of ``rasd eval``, and the corpus
option and shipped-file rule of ``rasd train``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from services.evaluation.gold import GoldArticle

F = TypeVar("F", bound=Callable[..., None])

# The news corpus whose licence allows shipping what is trained on it (../shared/data/corpus).
ANT_CORPUS = Path("../shared/data/corpus/ant.jsonl.xz")


def gold_arguments(command: F) -> F:
    """GOLD (a gold JSONL file) and --articles (the folder of its article files)."""
    command = click.option(
        "--articles",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of the article files [default: articles/ beside GOLD]",
    )(command)
    return click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))(
        command
    )


def load_gold(gold: Path, articles: Path | None) -> list[GoldArticle]:
    """The gold articles, or a message saying which line or file is wrong."""
    from services.evaluation.gold import read_gold

    try:
        return list(read_gold(gold, articles))
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


def corpus_option(command: F) -> F:
    """--corpus: the unlabelled news a ``rasd train`` command learns from (ANT by default)."""
    return click.option(
        "--corpus",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=ANT_CORPUS,
        show_default=True,
        help="A JSONL(.xz) news corpus (../shared/data/corpus/README.md); ship only what is "
        "learned from one whose licence allows it: ant.jsonl.xz does, saudinewsnet.jsonl.xz "
        "does not",
    )(command)


def output_path(corpus: Path, out: Path | None, shipped: Path) -> Path:
    """Where a trained resource goes: ``out``, or the ``shipped`` file, which is never written
    from the non-commercial SaudiNewsNet."""
    if out is None and "saudinewsnet" in corpus.name.lower():
        raise click.ClickException(
            "SaudiNewsNet is non-commercial: never write the shipped file from it (use --out)"
        )
    return out or shipped
