"""The Faust app: two agents wired over the pure stage functions of ``pipeline``.

Run it with ``rasd worker`` (see ``rasd worker --help``). Topics carry raw bytes so that the
agents, not Faust's codec layer, decide what happens to bad input: every message either produces
its outputs or one dead letter on ``articles.dlq``; none is dropped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

import faust
from faust.sensors.prometheus import setup_prometheus_sensors

from services.contracts.cloudevents import Headers, make_headers, parse_time, read_headers
from services.contracts.events import CleanArticle, ErrorKind, RawArticle, Stage
from services.contracts.ids import complete_raw
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
)
from services.enricher.settings import Settings

log = logging.getLogger(__name__)
# The raw event's time travels with the article so the extract stage can measure end to end.
INGEST_TIME_HEADER = "rasd_ingest_time"
# One info line per dead letter, at most this many a minute (then a count of those not logged).
DEAD_LETTER_LOG_LINES_PER_MINUTE = 20
LAG_INTERVAL_SECONDS = 5.0


def create_metrics(settings: Settings) -> Metrics:
    return Metrics.create(sources=settings.metric_sources, max_sources=settings.metrics_max_sources)


def create_app(
    settings: Settings,
    metrics: Metrics,
    seen: MutableMapping[str, Any] | None = None,
    dead_letter_log: LogBudget | None = None,
) -> faust.App:
    """A configured Faust app with the clean and extract agents and a /metrics page.

    ``seen`` replaces the duplicate index's global table (agent tests pass a dict);
    ``dead_letter_log`` the budget of dead-letter log lines.
    """
    budget = dead_letter_log or LogBudget(DEAD_LETTER_LOG_LINES_PER_MINUTE, 60.0)
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # Faust creates only the last level
    app = faust.App(
        settings.app_id,
        broker=[f"kafka://{b.strip()}" for b in settings.kafka_bootstrap.split(",")],
        processing_guarantee=settings.processing_guarantee.value,
        web_enabled=True,
        web_bind=settings.web_host,
        web_port=settings.web_port,
        web_host=settings.web_host,
        datadir=str(settings.data_dir / settings.app_id),
        topic_partitions=settings.topic_partitions,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        # An enriched event is tens of kilobytes and one article sends ~20 events: with the
        # 16 KB default every large event waits for the previous request's round trip.
        producer_max_batch_size=settings.producer_batch_bytes,
        producer_linger=settings.producer_linger_ms / 1000,
    )
    setup_prometheus_sensors(
        app, pattern="/metrics", registry=metrics.registry, name_prefix="faust"
    )

    def topic(name: str) -> faust.TopicT:
        return app.topic(
            name,
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=settings.topic_partitions,
        )

    # Every worker must see every fingerprint, whatever partitions it owns: a global table with
    # one changelog partition (the settings Faust recommends for global tables).
    if seen is None:
        seen = app.GlobalTable("dedup", partitions=1, recovery_buffer_size=1, use_partitioner=True)
    duplicates = DuplicateIndex(seen, horizon_seconds=settings.dedup_horizon_hours * 3600)

    raw_topic, clean_topic = topic(settings.topic_raw), topic(settings.topic_clean)
    enriched_topic, entities_topic = topic(settings.topic_enriched), topic(settings.topic_entities)
    claims_topic, dlq_topic = topic(settings.topic_claims), topic(settings.topic_dlq)

    async def emit(
        target: faust.TopicT, name: str, key: str, body: bytes, extra: Headers | None = None
    ) -> None:
        headers = make_headers(name, key, body, source=settings.source) + (extra or [])
        await target.send(key=key.encode(), value=body, headers=headers)

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

    async def run_stage(
        event: faust.EventT[bytes],
        stage: Stage,
        handler: Callable[[Any, dict[str, str], dict[str, str]], Awaitable[None]],
    ) -> None:
        message = event.message
        started = time.perf_counter()
        found: dict[str, str] = {}  # the handler notes the article's outlet once it knows it
        try:
            await handler(message, read_headers(message.headers), found)
            metrics.articles.labels(stage.value, "ok", metrics.source(found.get("source"))).inc()
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
            letter = dead_letter(
                topic=message.topic,
                partition=message.partition,
                offset=message.offset,
                key=message.key,
                value=message.value,
                stage=stage,
                kind=kind,
                error=error,
            )
            key = (
                message.key.decode("utf-8", "replace")
                if message.key
                else f"{message.topic}-{message.partition}-{message.offset}"
            )
            await emit(dlq_topic, "deadletter", key, encode(letter))
            log_dead_letter(message, stage, kind, error)
            source = metrics.source(found.get("source"))
            metrics.articles.labels(stage.value, "dead_letter", source).inc()
            metrics.dead_letters.labels(stage.value, kind.value, source).inc()
        finally:
            metrics.stage_seconds.labels(stage.value).observe(time.perf_counter() - started)

    async def handle_raw(message: Any, headers: dict[str, str], found: dict[str, str]) -> None:
        raw = decode(
            message.value, RawArticle, max_bytes=settings.max_content_bytes, prepare=complete_raw
        )
        found["source"] = raw.source
        article = clean_article(raw)
        for block in article.removed:
            metrics.boilerplate_removed.labels(block.kind).inc()
        duplicate = duplicates.check_and_remember(article.id, article.content_hash, article.text)
        if duplicate is not None:
            article = article.model_copy(update={"duplicate_of": duplicate.of})
            metrics.duplicates.labels(duplicate.kind).inc()
        ingest = headers.get(INGEST_TIME_HEADER) or headers.get("ce_time") or _kafka_time(message)
        await emit(
            clean_topic,
            "article.clean",
            article.id,
            encode(article),
            [(INGEST_TIME_HEADER, ingest.encode())],
        )
        for glued in appended_articles(article):
            await emit(raw_topic, "article.raw", glued.id, encode(glued))
            metrics.glued_articles.inc()

    async def handle_clean(message: Any, headers: dict[str, str], found: dict[str, str]) -> None:
        article = decode(message.value, CleanArticle, max_bytes=settings.max_content_bytes * 4)
        found["source"] = article.source
        result = enrich_article(article)
        await emit(enriched_topic, "article.enriched", article.id, encode(result.article))
        for entity in result.entities:
            await emit(entities_topic, "entity", article.id, encode(entity))
            metrics.entities.labels(entity.type).inc()
        for claim in result.claims:
            await emit(claims_topic, "claim", article.id, encode(claim))
            metrics.claims.labels(claim.kind).inc()
        ingested = parse_time({"ce_time": headers.get(INGEST_TIME_HEADER, "")})
        if ingested is not None:
            lag = (datetime.now(UTC) - ingested).total_seconds()
            metrics.end_to_end_seconds.observe(max(lag, 0.0))

    @app.agent(raw_topic, name="clean")
    async def clean_agent(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        async for event in stream.events():
            await run_stage(event, Stage.CLEAN, handle_raw)
            yield None

    @app.agent(clean_topic, name="extract")
    async def extract_agent(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        async for event in stream.events():
            await run_stage(event, Stage.EXTRACT, handle_clean)
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


def _kafka_time(message: Any) -> str:
    seconds = message.timestamp or time.time()
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")
