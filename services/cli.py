"""The ``rasd`` command. Every option can also be set by an environment variable ``RASD_*``."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any

import click
import orjson

from services.checkworthy_cli import eval_checkworthiness, train_checkworthiness
from services.claims_cli import eval_claims, train_cues
from services.clean_cli import eval_clean, train_clean
from services.clikafka import (
    RasdGroup,
    compact_event,
    error_text,
    quiet_kafka_clients,
    unreachable,
)
from services.localkafka import REPO
from services.ner_cli import eval_ner, eval_ner_articles, train_group

DEFAULT_SEEDS = REPO / "seeds"
BOOTSTRAP_HELP = "Kafka bootstrap servers [RASD_KAFKA_BOOTSTRAP, else localhost:RASD_KAFKA_PORT]"


def _settings(**overrides: Any) -> Any:
    from services.enricher.settings import Settings

    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _json(data: Any) -> str:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


@click.group(
    cls=RasdGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
def main() -> None:
    """Rasd: Arabic news articles in, structured events (entities, claims) out.

    Configuration comes from environment variables prefixed RASD_ (see `rasd config`).
    """
    from pydantic import ValidationError

    from services.arabic.ner import use_backend
    from services.arabic.segment import use_labeller
    from services.enricher.settings import Settings

    try:
        settings = Settings()
        use_backend(settings.ner_backend)
        use_labeller(settings.clean_labeller)
    except ValidationError as exc:
        raise click.ClickException(f"invalid RASD_ environment variable: {exc}") from exc


@main.command()
@click.option("--markdown", is_flag=True, help="Print the README's table of every setting instead")
def config(markdown: bool) -> None:
    """Print the effective settings and the environment variable of each."""
    from services.enricher.settings import settings_table

    if markdown:
        for line in settings_table():
            click.echo(line)
        return
    settings = _settings()
    for name, value in settings.model_dump(mode="json").items():
        click.echo(f"RASD_{name.upper():<26} {value}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--topic", help="Target topic [RASD_TOPIC_RAW, default articles.raw]")
@click.option(
    "--source", default="local", show_default=True, help="Outlet name stored in each article"
)
@click.option("--bootstrap", help=BOOTSTRAP_HELP)
@click.option(
    "--ids",
    "print_ids",
    is_flag=True,
    help="Print each published article's id and origin (tab-separated) on stdout; the summary "
    "goes to stderr",
)
@click.option(
    "--timeout",
    "patience",
    type=float,
    default=60.0,
    show_default=True,
    help="Give up when Kafka acknowledges nothing for this many seconds (the summary lists what "
    "was not sent)",
)
def publish(
    paths: tuple[Path, ...],
    topic: str | None,
    source: str,
    bootstrap: str | None,
    print_ids: bool,
    patience: float,
) -> None:
    """Publish .txt, .html, .json and .jsonl files (or folders of them) to articles.raw.

    Each article becomes one article.raw event keyed by its id, with CloudEvents headers.
    Files that cannot be published are listed with the reason (an article over
    RASD_MAX_MESSAGE_BYTES is rejected as too_large and the others are still sent); when Kafka
    stops answering the run gives up after --timeout and lists what was not sent. The exit code
    is 1 if anything was rejected or not sent. Other files found in folders are listed as skipped.
    """
    from aiokafka.errors import KafkaError

    from services.enricher.topics import ensure_topics
    from services.producer.publish import PublishReport
    from services.producer.publish import publish as do_publish
    from services.producer.readers import read_paths

    settings = _settings(kafka_bootstrap=bootstrap, topic_raw=topic)

    read = [0]

    def progress(report: PublishReport) -> None:
        read[0] += 1
        if read[0] % 100 == 0:
            click.echo(
                f"  … {read[0]} read, {len(report.published)} acknowledged, "
                f"{len(report.rejected)} rejected",
                err=True,
            )

    async def go() -> PublishReport:
        await ensure_topics(settings, (settings.topic_raw,))
        return await do_publish(
            read_paths(list(paths), source),
            bootstrap=settings.kafka_bootstrap,
            topic=settings.topic_raw,
            progress=progress,
            max_bytes=settings.max_message_bytes,
            patience=patience,
        )

    try:
        with quiet_kafka_clients():
            report = asyncio.run(go())
    except KafkaError as exc:
        raise unreachable(settings.kafka_bootstrap, exc, "publish to") from exc
    if print_ids:
        for article_id, origin in zip(report.published, report.origins, strict=True):
            click.echo(f"{article_id}\t{origin}")
    not_sent = f"; not sent {len(report.not_sent)}" if report.not_sent else ""
    click.echo(
        f"published {len(report.published)} article(s) to {settings.topic_raw} "
        f"at {settings.kafka_bootstrap}; rejected {len(report.rejected)}; "
        f"skipped {len(report.skipped)}{not_sent}",
        err=print_ids,
    )
    for skipped in report.skipped:
        click.echo(f"  {skipped.message}", err=True)
    for rejection in report.rejected:
        click.echo(f"  rejected [{rejection.reason}] {rejection.message}", err=True)
    for unsent in report.not_sent:
        click.echo(f"  not sent {unsent.message}", err=True)
    if report.gave_up:
        click.echo(report.gave_up, err=True)
    sys.exit(1 if report.rejected or report.not_sent else 0)


@main.command()
@click.option("--web-port", type=int, help="HTTP port for /metrics and /health [RASD_WEB_PORT]")
@click.option(
    "--ceiling",
    is_flag=True,
    hidden=True,
    help="Only decode and re-emit raw inputs (the framework ceiling of rasd bench)",
)
def worker(web_port: int | None, ceiling: bool) -> None:
    """Run the Faust worker: clean and extract agents, metrics on http://HOST:PORT/metrics."""
    from services.enricher.app import create_app, create_metrics
    from services.enricher.ceiling import create_ceiling_app
    from services.enricher.pipeline import warm_up
    from services.enricher.runner import RasdWorker
    from services.enricher.topics import (
        MessageLimitError,
        check_message_limit,
        ensure_topics,
        wait_for_coordinator,
    )

    settings = _settings(web_port=web_port)
    if not ceiling:
        warm_up()  # first, so that Kafka is checked right before Faust connects
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    async def prepare() -> None:
        await ensure_topics(settings)
        await check_message_limit(settings)
        # On a fresh broker the first coordinator request creates the offsets topic; waiting
        # for it here keeps the worker from logging that wait as "[ERROR] Group Coordinator
        # Request failed".
        await wait_for_coordinator(settings)

    # Kafka restarting (or starting with the worker) is waited for, with backoff and one line
    # every 10 s, up to RASD_CONNECT_TIMEOUT_SECONDS.
    deadline = time.monotonic() + settings.connect_timeout_seconds
    delay, said = 0.5, -1e9
    while True:
        try:
            with quiet_kafka_clients():
                loop.run_until_complete(prepare())
            break
        except MessageLimitError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:
            if time.monotonic() + delay > deadline:
                raise unreachable(settings.kafka_bootstrap, exc) from exc
            if time.monotonic() - said >= 10:
                said = time.monotonic()
                click.echo(
                    f"waiting for Kafka at {settings.kafka_bootstrap} ({error_text(exc)}); "
                    f"giving up after RASD_CONNECT_TIMEOUT_SECONDS="
                    f"{settings.connect_timeout_seconds:g}",
                    err=True,
                )
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    app = (
        create_ceiling_app(settings) if ceiling else create_app(settings, create_metrics(settings))
    )
    worker = RasdWorker(
        app,
        loglevel=settings.log_level,
        loop=loop,
        shutdown_timeout=settings.shutdown_timeout_seconds,
    )
    if not sys.stdout.isatty():
        worker.spinner = None  # its progress bar writes terminal control codes into log files
    worker.execute_from_commandline()


@main.command()
@click.argument("topic")
@click.option("--from-beginning/--latest", default=True, show_default=True)
@click.option("--max", "max_events", type=int, help="Stop after this many events")
@click.option("--idle-timeout", type=float, help="Stop after this many seconds without events")
@click.option(
    "--compact",
    is_flag=True,
    help="One line per event: position, key, type and the JSON without raw article content "
    "or dead-letter bytes",
)
@click.option("--bootstrap", help=BOOTSTRAP_HELP)
def tail(
    topic: str,
    from_beginning: bool,
    max_events: int | None,
    idle_timeout: float | None,
    compact: bool,
    bootstrap: str | None,
) -> None:
    """Print the events of TOPIC as they arrive (Arabic intact), with key and event type.

    TOPIC must exist: tail never creates one, it lists the topics there are.
    """
    from aiokafka.errors import KafkaError

    from services.consumer.reader import MissingTopicsError, stream_events

    settings = _settings(kafka_bootstrap=bootstrap)

    async def go() -> None:
        seen = 0
        async for event in stream_events(
            settings.kafka_bootstrap,
            [topic],
            from_beginning=from_beginning,
            idle_timeout=idle_timeout,
        ):
            head = (
                f"{event.topic}[{event.partition}]@{event.offset} key={event.key} "
                f"type={event.headers.get('ce_type', '?')}"
            )
            try:
                value = event.json()
                body = (
                    orjson.dumps(compact_event(value))
                    if compact
                    else orjson.dumps(value, option=orjson.OPT_INDENT_2)
                ).decode()
            except orjson.JSONDecodeError:
                text = event.value.decode("utf-8", "replace")
                body = orjson.dumps(text).decode() if compact else text
            if compact:
                click.echo(f"{head} {body}")
            else:
                click.echo(f"# {head}")
                click.echo(body)
            seen += 1
            if max_events is not None and seen >= max_events:
                return

    try:
        with quiet_kafka_clients(), contextlib.suppress(KeyboardInterrupt):
            asyncio.run(go())
    except MissingTopicsError as exc:
        listed = ", ".join(exc.existing) or "none"
        raise click.ClickException(
            f"topic {', '.join(exc.missing)} does not exist at {settings.kafka_bootstrap} "
            f"(tail never creates topics). Topics there: {listed}"
        ) from exc
    except KafkaError as exc:
        raise unreachable(settings.kafka_bootstrap, exc) from exc


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="local", show_default=True, help="Outlet name of the article")
@click.option("--pretty", is_flag=True, help="Indented JSON for people instead of JSON lines")
def enrich(file: Path, source: str, pretty: bool) -> None:
    """Run the whole pipeline on FILE offline (no Kafka) and print the enriched events as JSON
    lines (one article per line).

    Glued articles found in FILE are enriched too and printed after the main one.
    """
    from services.enricher.pipeline import (
        DeadLetterError,
        appended_articles,
        clean_article,
        enrich_article,
    )
    from services.producer.readers import Accepted, Skipped, read_file

    failed = False
    for item in read_file(file, source):
        if isinstance(item, Skipped):
            continue
        if not isinstance(item, Accepted):
            click.echo(f"rejected [{item.reason}] {item.message}", err=True)
            failed = True
            continue
        try:
            article = clean_article(item.article)
            for one in [article, *(clean_article(a) for a in appended_articles(article))]:
                data = enrich_article(one).article.model_dump(mode="json")
                click.echo(_json(data) if pretty else orjson.dumps(data).decode())
        except DeadLetterError as exc:
            click.echo(
                f"{item.origin}: would be dead-lettered [{exc.kind.value}] {exc.message}", err=True
            )
            failed = True
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--check", is_flag=True, help="Fail if schemas/ differs from the models")
def schemas(check: bool) -> None:
    """Write (or --check) the JSON Schemas in schemas/ from the event models."""
    from services.contracts.schemas import stale_schemas, write_schemas

    folder = REPO / "schemas"
    if check:
        stale = stale_schemas(folder)
        if stale:
            raise click.ClickException(f"out of date: {', '.join(stale)}; run `rasd schemas`")
        click.echo("schemas are up to date")
        return
    for path in write_schemas(folder):
        click.echo(f"wrote {path.relative_to(REPO)}")


@main.command()
@click.option(
    "--seeds",
    type=click.Path(exists=True, path_type=Path),
    default=DEFAULT_SEEDS,
    show_default=True,
    help="Files or folder to publish",
)
@click.option(
    "--timeout", type=float, default=120, show_default=True, help="Seconds to wait for the events"
)
@click.option(
    "--keep-running",
    is_flag=True,
    help="Leave Kafka and the worker running after the summary (for `rasd tail`, "
    "`rasd publish`) until Ctrl-C",
)
def demo(seeds: Path, timeout: float, keep_running: bool) -> None:
    """Start a local Kafka (unless RASD_KAFKA_BOOTSTRAP is set), a worker, publish the seeds and
    summarize the enriched events they produce; then stop everything.

    RASD_KAFKA_PORT and RASD_WEB_PORT choose the broker's and the worker's ports (free ones
    otherwise).
    """
    from services.demo import run_demo

    sys.exit(run_demo(seeds, timeout=timeout, echo=click.echo, keep_running=keep_running))


@main.command()
@click.option(
    "-n",
    "--articles",
    type=int,
    default=1000,
    show_default=True,
    help="Seed articles replicated to this many",
)
@click.option("--kafka/--no-kafka", default=True, show_default=True, help="Also measure end to end")
@click.option(
    "--seeds",
    type=click.Path(exists=True, path_type=Path),
    default=DEFAULT_SEEDS,
    show_default=True,
    help="Files or folder of articles",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=1,
    show_default=True,
    help="Also compare this many workers with one, on max(4, N) partitions",
)
def bench(articles: int, kafka: bool, seeds: Path, workers: int) -> None:
    """Measure throughput per stage offline (the NLP alone) and end to end through Kafka: the
    framework ceiling (decode and re-emit), the full pipeline, their ratios, worker memory and
    latency at half load; with --workers N, scale-out."""
    from services.bench import run_bench

    run_bench(seeds, articles, with_kafka=kafka, workers=workers, echo=click.echo)


@main.command()
@click.option("--good", type=int, default=200, show_default=True, help="Good articles to send")
@click.option("--bad", type=int, default=40, show_default=True, help="Bad inputs interleaved")
@click.option("--rate", type=float, default=8.0, show_default=True, help="Inputs per second")
@click.option(
    "--kill-every",
    type=float,
    default=10.0,
    show_default=True,
    help="SIGKILL (and restart) the first worker this many seconds after it (re)started "
    "handling input; 0: never",
)
@click.option(
    "--second-worker/--no-second-worker",
    default=True,
    show_default=True,
    help="A second worker joins a quarter of the way in and leaves at half",
)
@click.option(
    "--broker-restart/--no-broker-restart",
    default=True,
    show_default=True,
    help="Restart the broker once, a third of the way in (its data kept)",
)
@click.option(
    "--exactly-once",
    is_flag=True,
    help="Workers in exactly_once mode; a read_committed reader must see no duplicate",
)
@click.option(
    "--within",
    type=float,
    default=300.0,
    show_default=True,
    help="Hard bound on the whole run (seconds)",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generated inputs")
@click.option(
    "--plot",
    "replot",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Run nothing: draw an earlier run's timeline.csv as timeline.png beside it",
)
def chaos(
    good: int,
    bad: int,
    rate: float,
    kill_every: float,
    second_worker: bool,
    broker_restart: bool,
    exactly_once: bool,
    within: float,
    seed: int,
    replot: Path | None,
) -> None:
    """Fault run on a local Kafka of its own: workers SIGKILLed, a worker joining and leaving,
    the broker restarted, bad inputs interleaved; then prove nothing was lost.

    Prints `lost=0 duplicates=… dlq=… crashes=0 max_rss=…` and details; exit code 1 when an input
    was lost, dead-lettered for the wrong reason, re-delivered with another ce_id, a worker
    crashed, or (--exactly-once) a duplicate was read.
    """
    from services.chaos import ChaosPlan, run_chaos

    if replot is not None:
        from services.chaos_plot import plot_timeline

        try:
            click.echo(plot_timeline(replot, replot.with_suffix(".png")))
        except ImportError:
            raise click.ClickException(
                "drawing needs matplotlib: install rasd[plot] (or `uv sync` in a checkout)"
            ) from None
        return
    plan = ChaosPlan(
        good=good,
        bad=bad,
        rate=rate,
        kill_every=kill_every,
        second_worker=second_worker,
        broker_restart=broker_restart,
        guarantee="exactly_once" if exactly_once else "at_least_once",
        within=within,
        seed=seed,
    )
    with quiet_kafka_clients():  # the run's own clients: the outage is planned
        result = run_chaos(plan, echo=lambda line: click.echo(line, err=True))
    click.echo(result.summary())
    for line in result.details():
        click.echo(f"  {line}")
    sys.exit(0 if result.ok else 1)


@main.group(name="eval")
def eval_group() -> None:
    """Measure quality against gold files (format: ../shared/data/dev/README.md)."""


# Training and evaluation commands live in services/ner_cli.py, services/clean_cli.py,
# services/claims_cli.py and services/checkworthy_cli.py (heavy imports only inside commands).
main.add_command(train_group)
train_group.add_command(train_checkworthiness)
train_group.add_command(train_clean)
eval_group.add_command(eval_clean)
train_group.add_command(train_cues)
eval_group.add_command(eval_claims)
eval_group.add_command(eval_ner)
eval_group.add_command(eval_ner_articles)
eval_group.add_command(eval_checkworthiness)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
