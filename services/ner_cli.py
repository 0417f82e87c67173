"""``rasd train ner``, ``rasd eval ner`` and ``rasd eval ner-articles`` (click commands).

Registered in ``services/cli.py``::

    from services.ner_cli import eval_ner, eval_ner_articles, train_group
    main.add_command(train_group)
    eval_group.add_command(eval_ner)
    eval_group.add_command(eval_ner_articles)

Heavy imports (crfsuite, numpy, the knowledge base) happen inside the commands.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from services.clitools import corpus_option, gold_arguments, load_gold, output_path

if TYPE_CHECKING:
    from services.evaluation.gold import GoldArticle

F = TypeVar("F", bound=Callable[..., None])

DEFAULT_DATA = Path("../shared/data/ner")


def _model_default() -> Path:
    from services.arabic.ner import shipped_model_path

    return shipped_model_path()


@click.group(name="train")
def train_group() -> None:
    """Train the project's models from local corpora."""


@train_group.command(name="ner")
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="Folder with anercorp-camel/, aqmar/, wikifane/ (../shared/data/ner/README.md)",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Model file: .gz for the compact shipped format, .crfsuite for crfsuite's own "
    "[default: the shipped services/arabic/resources/ner.crf.gz]",
)
@click.option(
    "--corpora",
    default="anercorp,wikifane",
    show_default=True,
    help="Comma-separated: anercorp (its training part), aqmar, wikifane",
)
@click.option("--c1", default=0.05, show_default=True, help="L1 regularization")
@click.option("--c2", default=0.01, show_default=True, help="L2 regularization")
@click.option("--max-iterations", default=200, show_default=True)
@click.option("--min-freq", default=1, show_default=True, help="Drop rarer features")
@click.option(
    "--domain-adapt/--no-domain-adapt",
    default=True,
    show_default=True,
    help="Feature augmentation per domain (news: ANERcorp; wiki: AQMAR, WikiFANE)",
)
@click.option(
    "--gazetteer/--no-gazetteer",
    default=True,
    show_default=True,
    help="Gazetteer membership features (package countries and cities)",
)
@click.option(
    "--wordstats/--no-wordstats",
    default=True,
    show_default=True,
    help="Corpus statistics features (resources/wordstats.tsv.gz, `rasd train wordstats`)",
)
@click.option(
    "--clusters/--no-clusters",
    default=True,
    show_default=True,
    help="Word cluster features (resources/clusters.tsv.gz, `rasd train clusters`)",
)
@click.option(
    "--prune",
    default=0.05,
    show_default=True,
    help="Compact model: drop weights below this magnitude",
)
@click.option("--limit", type=int, default=None, help="First N sentences per corpus (smoke test)")
@click.option(
    "--include-dev/--no-include-dev",
    default=False,
    show_default=True,
    help="Also train on the dev split (then dev scores are not held-out)",
)
def train_ner(
    data: Path,
    out: Path | None,
    corpora: str,
    c1: float,
    c2: float,
    max_iterations: int,
    min_freq: int,
    domain_adapt: bool,
    gazetteer: bool,
    wordstats: bool,
    clusters: bool,
    prune: float,
    limit: int | None,
    include_dev: bool,
) -> None:
    """Train the CRF tagger, write its vocabulary and metadata, and score it on the dev split.

    The dev split is the last 10% of ANERcorp train's sentences. Writes MODEL (compact .gz:
    crfsuite trains into a temporary file, then the weights are exported), NAME_vocab.json (words
    seen inside names, used to decide clitics) and NAME.json (settings, dev scores).
    """
    import tempfile

    from services.arabic.ner import Tagger, read_crfsuite, sidecar_path, write_compact
    from services.arabic.ner_train import (
        TrainConfig,
        anercorp_split,
        train,
        training_data,
        training_sentences,
        vocabulary,
    )
    from services.evaluation.ner import evaluate_sentences, format_scores

    out = out or _model_default()
    config = TrainConfig(
        corpora=tuple(c.strip() for c in corpora.split(",") if c.strip()),
        c1=c1,
        c2=c2,
        max_iterations=max_iterations,
        min_freq=min_freq,
        domain_adapt=domain_adapt,
        include_dev=include_dev,
        limit=limit,
    )
    try:
        sentences = training_data(data, config)
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"training on {len(sentences)} sentences from {', '.join(config.corpora)}")
    gazetteer_fn = None
    if gazetteer:
        from services.arabic.gazetteer import gazetteer_tags

        gazetteer_fn = gazetteer_tags
    if out.suffix == ".gz":
        with tempfile.TemporaryDirectory() as scratch:
            crf = Path(scratch) / "model.crfsuite"
            seconds = train(sentences, crf, config, gazetteer_fn, click.echo, wordstats, clusters)
            kept = write_compact(read_crfsuite(crf), out, prune)
        click.echo(f"exported {kept:,} features with |weight| >= {prune}")
    else:
        seconds = train(sentences, out, config, gazetteer_fn, click.echo, wordstats, clusters)
    vocab_path = sidecar_path(out, "_vocab.json")
    # The linker's word lists come from every corpus (never the dev split), whatever the model
    # was trained on: more first names and common words than ANERcorp alone.
    vocab_config = replace(config, corpora=("anercorp", "aqmar", "wikifane"), include_dev=False)
    vocab_path.write_text(
        json.dumps(vocabulary(training_sentences(data, vocab_config)), ensure_ascii=False, indent=0)
        + "\n",
        "utf-8",
    )
    _, dev = anercorp_split(data)
    if limit:
        dev = dev[:limit]
    scores = evaluate_sentences(dev, Tagger(out, gazetteer_fn, wordstats, clusters))
    click.echo(f"trained in {seconds:.1f}s -> {out} ({out.stat().st_size:,} bytes)")
    click.echo("dev split (last 10% of ANERcorp train):")
    for line in format_scores(scores):
        click.echo(line)
    meta = {
        "model": out.name,
        "corpora": list(config.corpora),
        "c1": c1,
        "c2": c2,
        "max_iterations": max_iterations,
        "min_freq": min_freq,
        "domain_adapt": domain_adapt,
        "gazetteer": gazetteer,
        "wordstats": wordstats,
        "clusters": clusters,
        "prune": prune if out.suffix == ".gz" else None,
        "include_dev": include_dev,
        "limit": limit,
        "training_sentences": len(sentences),
        "training_seconds": round(seconds, 1),
        "model_bytes": out.stat().st_size,
        "dev": scores.as_dict(),
    }
    sidecar_path(out).write_text(json.dumps(meta, indent=1) + "\n", "utf-8")


_SUBSETS = ("all", "held-out", "development")


class _EntityRuleChoice(click.Choice[str]):
    """The names of the entity rules (``services.arabic.entities.RULE_NAMES``), read when a
    command needs them: the registry's module loads camel_tools, too slow for every start."""

    def __init__(self) -> None:
        super().__init__((), case_sensitive=True)

    @property
    def choices(self) -> Sequence[str]:
        from services.arabic.entities import RULE_NAMES

        return RULE_NAMES

    @choices.setter
    def choices(self, _: Sequence[str]) -> None:
        """Click's ``__init__`` assigns the choices it is given: the registry's stay."""


def _ablate_option(command: F) -> F:
    return click.option(
        "--ablate",
        "ablate",
        multiple=True,
        type=_EntityRuleChoice(),
        help="Switch an entity rule off (repeatable); the rules and what each does: "
        "services/arabic/resources/ner.md, section Entity rules",
    )(command)


@click.command(name="ner")
@click.argument("conll", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--model",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Model file [default: the shipped model]",
)
@click.option(
    "--last",
    "last_fraction",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=None,
    help="Score only this final fraction of the sentences (0.1 on ANERcorp train = the dev split)",
)
@click.option(
    "--stage",
    type=click.Choice(["tagger", "extract"]),
    default="tagger",
    show_default=True,
    help="tagger: the CRF alone; extract: the whole entity stage (tagger, knowledge base, "
    "patterns, linking) on PER/LOC/ORG",
)
@_ablate_option
def eval_ner(
    conll: Path,
    model: Path | None,
    last_fraction: float | None,
    stage: str,
    ablate: tuple[str, ...],
) -> None:
    """conlleval-style precision/recall/F1 per type and micro on a token<TAB>tag file.

    Tags PERS are read as PER. The dev split of the shipped model is
    ``rasd eval ner ../shared/data/ner/anercorp-camel/train.conll --last 0.1``.
    """
    from services.arabic.ner import load_tagger
    from services.arabic.ner_train import read_conll
    from services.evaluation.ner import (
        evaluate_extract_stage,
        evaluate_sentences,
        format_scores,
    )

    sentences = list(read_conll(conll))
    if last_fraction is not None:
        sentences = sentences[len(sentences) - round(len(sentences) * last_fraction) :]
    if stage == "extract":
        if model is not None:
            raise click.ClickException("--model applies to --stage tagger only")
        from services.arabic.entities import disable_rules

        disable_rules(ablate)
        scores = evaluate_extract_stage(sentences)
        for line in format_scores(scores, types=("PER", "LOC", "ORG")):
            click.echo(line)
        return
    path = model or _model_default()
    if not path.is_file():
        raise click.ClickException(f"no model at {path}; run `rasd train ner` first")
    scores = evaluate_sentences(sentences, load_tagger(path))
    for line in format_scores(scores):
        click.echo(line)


@click.command(name="ner-articles")
@gold_arguments
@click.option(
    "--subset",
    type=click.Choice(_SUBSETS),
    default="all",
    show_default=True,
    help="held-out: only the files listed in SOURCES.tsv beside GOLD; development: the others",
)
@_ablate_option
@click.option(
    "--ablate-each",
    is_flag=True,
    help="Instead: one row per entity rule, scored with that rule off on the held-out and "
    "development subsets (and rows for all rules on and for the tagger off)",
)
@click.option("--errors", is_flag=True, help="List missed and spurious pairs per file")
def eval_ner_articles(
    gold: Path,
    articles: Path | None,
    subset: str,
    ablate: tuple[str, ...],
    ablate_each: bool,
    errors: bool,
) -> None:
    """Distinct (surface, type) entity pairs per article vs gold: P/R/F1 per type and micro."""
    from services.evaluation.ner import evaluate_articles, format_article_report

    everything = load_gold(gold, articles)
    if ablate_each:
        if ablate or errors or subset != "all":
            raise click.ClickException(
                "--ablate-each scores each rule against all rules on, on held-out and "
                "development: drop --ablate, --errors and --subset"
            )
        _echo_ablation(gold, everything)
        return
    chosen = _subset(gold, everything, subset)
    click.echo(f"{len(chosen)} articles ({subset})")
    report = evaluate_articles(chosen, disabled=ablate)
    for line in format_article_report(report, errors=errors):
        click.echo(line)


def _subset(gold: Path, everything: list[GoldArticle], subset: str) -> list[GoldArticle]:
    """held-out: the articles SOURCES.tsv beside GOLD lists (outlets and sets the rules were not
    written from); development: the others."""
    from services.evaluation.gold import held_out

    if subset == "all":
        return everything
    listed = {a.file for a in held_out(everything, gold)}
    if not listed:
        raise click.ClickException(f"no SOURCES.tsv beside {gold}: no held-out part known")
    return [a for a in everything if (a.file in listed) == (subset == "held-out")]


def _echo_ablation(gold: Path, everything: list[GoldArticle]) -> None:
    from services.arabic.entities import RULE_NAMES, RULES
    from services.evaluation.ner import ablate_each, format_ablation

    subsets = {name: _subset(gold, everything, name) for name in ("held-out", "development")}
    rows = ablate_each(subsets, RULE_NAMES)
    for line in format_ablation(rows, {name: len(chosen) for name, chosen in subsets.items()}):
        click.echo(line)
    click.echo("the rules, by priority:")
    for rule in RULES:
        click.echo(f"  {rule.priority:>4} {rule.name:<16} {rule.summary}")


@train_group.command(name="wordstats")
@corpus_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output .tsv.gz [default: the shipped services/arabic/resources/wordstats.tsv.gz]",
)
@click.option("--top", default=60_000, show_default=True, help="Keep this many bases")
@click.option(
    "--sample",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=1.0,
    show_default=True,
    help="Count a seeded random fraction of the articles",
)
@click.option("--seed", default=1, show_default=True, help="Seed of --sample's draw")
@click.option("--limit", type=int, default=None, help="First N articles (smoke test)")
def train_wordstats(
    corpus: Path, out: Path | None, top: int, sample: float, seed: int, limit: int | None
) -> None:
    """Count how the corpus uses each word (article, possessive suffix, preposition, construct
    state): evidence that a word is a common noun or adjective, for the tagger and the rules.

    Deterministic: the same corpus and options write the same bytes (about a minute on ANT).
    """
    import time

    from services.arabic.wordstats import build, shipped_path

    target = output_path(corpus, out, shipped_path())
    start = time.perf_counter()
    rows = build(corpus, target, top=top, sample=sample, seed=seed, limit=limit, log=click.echo)
    click.echo(
        f"wrote {len(rows):,} bases to {target} ({target.stat().st_size:,} bytes) "
        f"in {time.perf_counter() - start:.1f}s"
    )


@train_group.command(name="clusters")
@corpus_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output .tsv.gz [default: the shipped services/arabic/resources/clusters.tsv.gz]",
)
@click.option(
    "--sizes",
    default="64,256,1024",
    show_default=True,
    help="Comma-separated numbers of clusters, one column each",
)
@click.option("--vocab", default=50_000, show_default=True, help="Cluster this many words")
@click.option("--dim", default=100, show_default=True, help="Dimensions of the word vectors")
@click.option("--seed", default=1, show_default=True, help="Seed of the SVD and k-means")
@click.option("--limit", type=int, default=None, help="First N articles (smoke test)")
def train_clusters(
    corpus: Path,
    out: Path | None,
    sizes: str,
    vocab: int,
    dim: int,
    seed: int,
    limit: int | None,
) -> None:
    """Cluster the corpus's frequent words by their neighbours (PPMI over a +-2 word window,
    randomized SVD, k-means per size): tagger features that generalize to unseen names.

    Deterministic for a seed: the same corpus and options write the same bytes (about 1.5 min
    and 2.5 GB of memory on ANT).
    """
    import time

    from services.arabic.clusters import build, shipped_path

    try:
        ks = tuple(int(k) for k in sizes.split(",") if k.strip())
    except ValueError as exc:
        raise click.ClickException(f"--sizes: {exc}") from exc
    if not ks or min(ks) < 2:
        raise click.ClickException("--sizes: give at least one size, each at least 2")
    target = output_path(corpus, out, shipped_path())
    start = time.perf_counter()
    table = build(
        corpus, target, sizes=ks, vocab=vocab, dim=dim, seed=seed, limit=limit, log=click.echo
    )
    click.echo(
        f"wrote {len(table):,} words to {target} ({target.stat().st_size:,} bytes) "
        f"in {time.perf_counter() - start:.1f}s"
    )
