"""Pieces the ``rasd`` commands share: the gold-file arguments of ``rasd eval`` and the default
corpus of ``rasd train``."""

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
