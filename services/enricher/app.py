"""The Faust app: two agents wired over the pure stage functions of ``pipeline``.

Run it with ``rasd worker`` (see ``rasd worker --help``). Topics carry raw bytes so that the
agents, not Faust's codec layer, decide what happens to bad input: every message either produces
its outputs or one dead letter on ``articles.dlq``; none is dropped.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn, cast

import faust
from faust.sensors.prometheus import setup_prometheus_sensors

from services.contracts.cloudevents import Headers, make_headers, parse_time, read_headers
from services.contracts.events import CleanArticle, ErrorKind, RawArticle, Stage
from services.contracts.ids import complete_raw
from services.enricher import commits
from services.enricher.commits import InOrder
from services.enricher.dedup import DuplicateIndex
from services.enricher.lag import LagProbe, report_lag
from services.enricher.logbudget import LogBudget
from services.enricher.metrics import Metrics
from services.enricher.pipeline import (
    DeadLetterError,
    appended_articles,
    clean_article,
    dead_letter,
    decode,
    encode,
    enrich_article,
    record_size,
)
from services.enricher.settings import Guarantee, Settings

log = logging.getLogger(__name__)
# The raw event's time travels with the article so the extract stage can measure end to end.
INGEST_TIME_HEADER = "rasd_ingest_time"
# One info line per dead letter, at most this many a minute (then a count of those not logged).
DEAD_LETTER_LOG_LINES_PER_MINUTE = 20
LAG_INTERVAL_SECONDS = 5.0
# Exit status of a worker that could not write an input's outcome (see ``exit_fatally``).
FATAL_EXIT = 70


@dataclass(slots=True)
class Outgoing:
    """One event to write: to ``topic`` (a Faust topic), as event ``name``, keyed by ``key``."""

    topic: Any
    name: str
    key: str
    body: bytes
    extra: Headers = field(default_factory=list)
    identity: bytes | None = None


@dataclass(slots=True)
class Outcome:
    """What a stage decided for one input: the events to write, and the metrics to count once
    they are written."""

    events: list[Outgoing] = field(default_factory=list)
    after: list[Callable[[], None]] = field(default_factory=list)


def exit_fatally(reason: str) -> NoReturn:
    """Stop the process at once, before Faust can acknowledge the input being handled: its
    offset is never committed and the input is re-delivered to the next worker. Used when an
    input's outcome (its events or its dead letter) could not be written."""
    log.critical("%s", reason)
    for handler in logging.getLogger().handlers:
        handler.flush()
    os._exit(FATAL_EXIT)


def create_metrics(settings: Settings) -> Metrics:
    return Metrics.create(sources=settings.metric_sources, max_sources=settings.metrics_max_sources)


def faust_app(settings: Settings) -> faust.App:
    """A Faust app configured from ``settings`` (broker, producer, group, web), with no agents:
    the worker's and the bench's framework ceiling share it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # Faust creates only the last level
    return faust.App(
        settings.app_id,
        broker=[f"kafka://{b.strip()}" for b in settings.kafka_bootstrap.split(",")],
        processing_guarantee=settings.processing_guarantee.value,
        web_enabled=True,
        web_bind=settings.web_host,
        web_port=settings.web_port,
        web_host=settings.web_host,
        datadir=str(settings.data_dir / settings.app_id),
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication_factor,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        # An enriched event is tens of kilobytes and one article sends ~20 events: with the
        # 16 KB default every large event waits for the previous request's round trip.
        producer_max_batch_size=settings.producer_batch_bytes,
        producer_linger=settings.producer_linger_ms / 1000,
        # Every event is checked against max_message_bytes before it is sent; the producer's
        # own limit only has to leave room for the batch framing.
        producer_max_request_size=settings.max_message_bytes + 65_536,
        # While Kafka is gone the producer retries a batch this long (Faust's default is 20
        # minutes), then the write fails and the worker exits without committing the input.
        producer_request_timeout=settings.send_timeout_seconds,
        # A crashed worker's partitions move on after the session timeout (Faust's 60 s
        # default kept a restarted worker idle for a minute); with a group instance id a
        # restarted worker takes them back at once.
        broker_session_timeout=settings.session_timeout_seconds,
        broker_heartbeat_interval=min(3.0, settings.session_timeout_seconds / 3),
        consumer_group_instance_id=settings.group_instance_id or None,
        # Only /metrics and /health unless asked: Faust's pages show table contents.
        web_router_enabled=settings.web_debug,
        web_tables_enabled=settings.web_debug,
        web_graph_enabled=settings.web_debug,
        web_stats_enabled=settings.web_debug,
    )


def bytes_topic(app: faust.App, name: str, settings: Settings) -> faust.TopicT:
    """A topic of raw bytes: the agents, not Faust's codecs, decide what bad input becomes."""
    return app.topic(
        name,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.topic_partitions,
    )


def create_app(
    settings: Settings,
    metrics: Metrics,
    seen: MutableMapping[str, Any] | None = None,
    dead_letter_log: LogBudget | None = None,
    on_fatal: Callable[[str], NoReturn] = exit_fatally,
    in_order: bool = True,
) -> faust.App:
    """A configured Faust app with the clean and extract agents and a /metrics page.

    ``seen`` replaces the duplicate index's global table (agent tests pass a dict);
    ``dead_letter_log`` the budget of dead-letter log lines; ``on_fatal`` what happens when an
    input's outcome cannot be written (the process exits, so its offset is not committed);
    ``in_order`` False leaves out the partition-order check (Faust's test_context numbers
    offsets across partitions). Under exactly_once it is always out: the clean topic is written
    in transactions, whose commit markers take offsets, so holes there are normal (the check
    rewound over them without end).
    """
    budget = dead_letter_log or LogBudget(DEAD_LETTER_LOG_LINES_PER_MINUTE, 60.0)
    strict = settings.processing_guarantee is Guarantee.AT_LEAST_ONCE
    in_order = in_order and strict
    commits.install(strict=strict, inputs={settings.topic_raw, settings.topic_clean})
    app = faust_app(settings)
    setup_prometheus_sensors(
        app, pattern="/metrics", registry=metrics.registry, name_prefix="faust"
    )

    def topic(name: str) -> faust.TopicT:
        return bytes_topic(app, name, settings)

    # Every worker must see every fingerprint, whatever partitions it owns: a global table with
    # one changelog partition (the settings Faust recommends for global tables).
    if seen is None:
        seen = app.GlobalTable("dedup", partitions=1, recovery_buffer_size=1, use_partitioner=True)
    duplicates = DuplicateIndex(seen, horizon_seconds=settings.dedup_horizon_hours * 3600)

    raw_topic, clean_topic = topic(settings.topic_raw), topic(settings.topic_clean)
    enriched_topic, entities_topic = topic(settings.topic_enriched), topic(settings.topic_entities)
    claims_topic, dlq_topic = topic(settings.topic_claims), topic(settings.topic_dlq)

    def check_size(event: Outgoing) -> None:
        size = record_size(event.key.encode(), event.body, event.extra) + 512  # + ce_* headers
        if size > settings.max_message_bytes:
            raise DeadLetterError(
                ErrorKind.TOO_LARGE,
                f"its {event.name} event would be {size} bytes, over "
                f"RASD_MAX_MESSAGE_BYTES={settings.max_message_bytes}; nothing was written for "
                "it (raise the limit with the broker's message.max.bytes, or split the article)",
            )

    async def send(event: Outgoing, headers: list[tuple[str, bytes]], source: Any) -> Any:
        if strict:
            return await event.topic.send(key=event.key.encode(), value=event.body, headers=headers)
        # exactly_once: into the transaction that commits the input's offset. Faust's own send
        # picks the transaction of the output's partition, and none for a topic the worker does
        # not read (enriched, entities, claims, dead letters), which made those at-least-once.
        return await app.producer.send(
            event.topic.get_topic_name(),
            event.key.encode(),
            event.body,
            None,
            None,
            headers,
            transactional_id=commits.transaction_of(app, source.tp),
        )

    async def write(events: list[Outgoing], source: Any) -> None:
        """Send every event of the input ``source`` (a message), then wait until Kafka
        acknowledged all of them."""
        pending = []
        for event in events:
            headers = (
                make_headers(
                    event.name,
                    event.key,
                    event.body,
                    source=settings.source,
                    identity=event.identity,
                )
                + event.extra
            )
            pending.append(await send(event, headers, source))
        # Every acknowledgement is awaited (none left unretrieved); the first failure is raised.
        for result in await asyncio.gather(*pending, return_exceptions=True):
            if isinstance(result, BaseException):
                raise result

    def log_dead_letter(message: Any, stage: Stage, kind: ErrorKind, error: str) -> None:
        allowed, suppressed = budget.take()
        if not allowed:
            return
        if suppressed:
            log.info(
                "%d dead letter(s) not logged (at most %d lines a minute)", suppressed, budget.lines
            )
        log.info(
            "dead letter: %s[%s]@%s kind=%s stage=%s reason=%s",
            message.topic,
            message.partition,
            message.offset,
            kind.value,
            stage.value,
            error if len(error) <= 300 else error[:300] + "…",
        )

    def dead_letter_outcome(
        message: Any, stage: Stage, kind: ErrorKind, error: str, source: str
    ) -> Outcome:
        letter = dead_letter(
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            key=message.key,
            value=message.value,
            stage=stage,
            kind=kind,
            error=error,
            max_bytes=settings.max_message_bytes,
        )
        key = (
            message.key.decode("utf-8", "replace")
            if message.key and len(message.key) <= 200
            else f"{message.topic}-{message.partition}-{message.offset}"
        )
        identity = encode(letter.model_copy(update={"occurred_at": datetime.fromtimestamp(0, UTC)}))

        def count() -> None:
            log_dead_letter(message, stage, kind, error)
            metrics.articles.labels(stage.value, "dead_letter", source).inc()
            metrics.dead_letters.labels(stage.value, kind.value, source).inc()

        return Outcome(
            [Outgoing(dlq_topic, "deadletter", key, encode(letter), [], identity)], [count]
        )

    async def run_stage(
        event: faust.EventT[bytes],
        stage: Stage,
        handler: Callable[[Any, dict[str, str], dict[str, str]], Awaitable[Outcome]],
        acknowledge: Callable[[], Awaitable[None]],
    ) -> None:
        """Decide the input's outcome (its events, or one dead letter), write it, then
        ``acknowledge`` the input (with no commit in between, see ``commits.outcome_written``).

        Deciding never writes, so an input is dead-lettered only when none of its events went
        out. When the outcome cannot be written, the worker exits before the input is
        acknowledged: its offset is not committed and it is re-delivered (the same events, with
        the same ids), never skipped.
        """
        message = event.message
        started = time.perf_counter()
        found: dict[str, str] = {}  # the handler notes the article's outlet once it knows it
        try:
            outcome = await handler(message, read_headers(message.headers), found)
            for out in outcome.events:
                check_size(out)
            source = metrics.source(found.get("source"))
            outcome.after.append(lambda: metrics.articles.labels(stage.value, "ok", source).inc())
        except Exception as exc:
            kind, error = (
                (exc.kind, exc.message)
                if isinstance(exc, DeadLetterError)
                else (ErrorKind.STAGE_ERROR, f"{type(exc).__name__}: {exc}")
            )
            if kind is ErrorKind.STAGE_ERROR:
                log.exception(
                    "stage %s failed on %s[%s]@%s",
                    stage,
                    message.topic,
                    message.partition,
                    message.offset,
                )
            outcome = dead_letter_outcome(
                message, stage, kind, error, metrics.source(found.get("source"))
            )
        finally:
            metrics.stage_seconds.labels(stage.value).observe(time.perf_counter() - started)
        async with commits.outcome_written():
            try:
                await write(outcome.events, message)
            except Exception as exc:
                what = ", ".join(sorted({e.topic.get_topic_name() for e in outcome.events}))
                on_fatal(
                    f"could not write the outcome of {message.topic}[{message.partition}]"
                    f"@{message.offset} to {what}: {type(exc).__name__}: {exc}. The worker "
                    "stops without committing that offset, so the input is processed again "
                    "after a restart; check that Kafka is reachable and accepts the event's size"
                )
            await acknowledge()
        for count in outcome.after:
            count()

    async def handle_raw(message: Any, headers: dict[str, str], found: dict[str, str]) -> Outcome:
        raw = decode(
            message.value, RawArticle, max_bytes=settings.max_content_bytes, prepare=complete_raw
        )
        found["source"] = raw.source
        article = clean_article(raw, max_lines=settings.max_content_lines)
        outcome = Outcome()
        for block in article.removed:
            outcome.after.append(metrics.boilerplate_removed.labels(block.kind).inc)
        duplicate = duplicates.check_and_remember(article.id, article.content_hash, article.text)
        if duplicate is not None:
            article = article.model_copy(update={"duplicate_of": duplicate.of})
            outcome.after.append(metrics.duplicates.labels(duplicate.kind).inc)
        ingest = headers.get(INGEST_TIME_HEADER) or headers.get("ce_time") or _kafka_time(message)
        outcome.events.append(
            Outgoing(
                clean_topic,
                "article.clean",
                article.id,
                encode(article),
                [(INGEST_TIME_HEADER, ingest.encode())],
                identity(article),
            )
        )
        for glued in appended_articles(article):
            outcome.events.append(Outgoing(raw_topic, "article.raw", glued.id, encode(glued)))
            outcome.after.append(metrics.glued_articles.inc)
        return outcome

    async def handle_clean(message: Any, headers: dict[str, str], found: dict[str, str]) -> Outcome:
        # A clean article is an event a worker wrote: at most RASD_MAX_MESSAGE_BYTES.
        article = decode(message.value, CleanArticle, max_bytes=settings.max_message_bytes)
        found["source"] = article.source
        result = enrich_article(article)
        outcome = Outcome()
        outcome.events.append(
            Outgoing(
                enriched_topic,
                "article.enriched",
                article.id,
                encode(result.article),
                identity=identity(result.article),
            )
        )
        for entity in result.entities:
            if settings.item_events:
                outcome.events.append(
                    Outgoing(entities_topic, "entity", article.id, encode(entity))
                )
            outcome.after.append(metrics.entities.labels(entity.type).inc)
        for claim in result.claims:
            if settings.item_events:
                outcome.events.append(Outgoing(claims_topic, "claim", article.id, encode(claim)))
            outcome.after.append(metrics.claims.labels(claim.kind).inc)

        def latency() -> None:
            ingested = parse_time({"ce_time": headers.get(INGEST_TIME_HEADER, "")})
            if ingested is not None:
                lag = (datetime.now(UTC) - ingested).total_seconds()
                metrics.end_to_end_seconds.observe(max(lag, 0.0))

        outcome.after.append(latency)
        return outcome

    order = InOrder()

    async def process(
        stream: faust.StreamT[bytes],
        stage: Stage,
        handler: Callable[[Any, dict[str, str], dict[str, str]], Awaitable[Outcome]],
    ) -> AsyncIterator[None]:
        """Run ``stage`` on each event in partition order, acknowledging it once its outcome is
        written. Faust acknowledges an event when the agent's iteration over it ends, also when
        a stop cancels the agent in the middle of writing, and then commits it: here events are
        acknowledged by hand. An event past the one after the last this worker processed on its
        partition (Faust dropped the ones between on a rebalance) is left unacknowledged and the
        partition is rewound, so the inputs in between are processed rather than committed
        unseen."""
        manual = cast(faust.Stream[bytes], stream).noack()

        async def finish(event: faust.EventT[bytes]) -> None:
            order.processed(event.message.tp, event.message.offset)
            await manual.ack(event)

        async for event in manual.events():
            tp, offset = event.message.tp, event.message.offset
            if not in_order or order.follows(tp, offset):
                await run_stage(event, stage, handler, functools.partial(finish, event))
            elif (target := order.rewind_to(tp)) is not None:
                log.warning(
                    "%s[%s]: offset %s arrived where %s was due; rewinding there so that the "
                    "inputs in between are processed",
                    tp.topic,
                    tp.partition,
                    offset,
                    target,
                )
                await app.consumer.seek(tp, target)
            yield None

    @app.agent(raw_topic, name="clean")
    async def clean_agent(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        async for _ in process(stream, Stage.CLEAN, handle_raw):
            yield None

    @app.agent(clean_topic, name="extract")
    async def extract_agent(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        async for _ in process(stream, Stage.EXTRACT, handle_clean):
            yield None

    async def announce() -> None:
        log.info(
            "rasd worker ready: Kafka at %s, consumer group %s, reading %s and %s (%s); "
            "metrics at http://%s:%s/metrics",
            settings.kafka_bootstrap,
            settings.app_id,
            settings.topic_raw,
            settings.topic_clean,
            settings.processing_guarantee.value,
            settings.web_host,
            settings.web_port,
        )

    async def consumer_lag() -> None:
        probe = LagProbe(
            settings.kafka_bootstrap, settings.app_id, [settings.topic_raw, settings.topic_clean]
        )
        await report_lag(probe, metrics, LAG_INTERVAL_SECONDS)

    # Run once each when the worker starts (the plain call: Faust's decorator is untyped).
    app.task(announce)
    app.task(consumer_lag)

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        return web.json({"status": "ok", "app": settings.app_id})

    return app


def identity(article: CleanArticle) -> bytes | None:
    """What an article event's ce_id is derived from when it is marked as a duplicate: the body
    without ``duplicate_of``, which depends on what the worker had seen before (a re-delivery
    processed after a crash may name another first copy, or none) rather than on the input."""
    if article.duplicate_of is None:
        return None
    return encode(article.model_copy(update={"duplicate_of": None}))


def _kafka_time(message: Any) -> str:
    seconds = message.timestamp or time.time()
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")
