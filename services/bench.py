"""``rasd bench``: articles/s and ms/article per stage offline, and end to end through Kafka.

The seeds are replicated to N articles with distinct ids. Offline numbers are single-process,
single-core; the end-to-end run measures raw → enriched latency from Kafka record timestamps.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from services.arabic.analyze import quantities_in
from services.arabic.claims import find_claims
from services.arabic.entities import find_entities
from services.arabic.tokenize import tokenize
from services.consumer.reader import AllEnriched, collect
from services.contracts.events import CleanArticle, RawArticle
from services.enricher.pipeline import clean_article, enrich_article, warm_up
from services.enricher.settings import Settings, run_settings
from services.enricher.topics import ensure_topics
from services.localkafka import REPO, LocalKafka, LocalWorker, free_port, start_local_kafka
from services.producer.publish import publish
from services.producer.readers import Accepted, read_paths

Echo = Callable[[str], None]
T = TypeVar("T")


def replicate(seeds: Path, n: int) -> list[RawArticle]:
    base = [r.article for r in read_paths([seeds], "bench") if isinstance(r, Accepted)]
    if not base:
        raise SystemExit(f"no seed articles under {seeds}")
    return [base[i % len(base)].model_copy(update={"id": f"bench-{i:06d}"}) for i in range(n)]


def _rate(label: str, seconds: float, n: int) -> str:
    return f"{label:<28} {n / seconds:>10,.0f} {1000 * seconds / n:>12.3f}"


def _timed(work: Callable[[T], object], items: list[T]) -> float:
    """Seconds to run ``work`` on every item, one at a time, results discarded (as a worker
    does). The inputs are frozen out of the garbage collector's view first, so the number is
    the stage's cost, not the cost of walking a heap of 1000 prepared articles."""
    gc.collect()
    gc.freeze()
    try:
        started = time.perf_counter()
        for item in items:
            work(item)
        return time.perf_counter() - started
    finally:
        gc.unfreeze()


def offline(articles: list[RawArticle], echo: Echo) -> list[CleanArticle]:
    warm_up()  # load lexicons, KB and tagger once, as a worker does at start-up
    n = len(articles)
    t_clean = _timed(clean_article, articles)
    cleaned = [clean_article(a) for a in articles]
    t_entities = _timed(lambda c: find_entities(c.text, tokenize(c.text)), cleaned)
    prepared = [(c, tokenize(c.text)) for c in cleaned]
    found = [(c, t, find_entities(c.text, t)) for c, t in prepared]
    t_claims = _timed(
        lambda ctm: find_claims(
            ctm[0].text,
            ctm[1],
            [(s.start, s.end) for s in ctm[0].sentences],
            ctm[2],
            quantities_in(ctm[0].text),
        ),
        found,
    )
    t_extract = _timed(enrich_article, cleaned)

    echo(f"offline, {n} articles, one process")
    echo(f"{'stage':<28} {'articles/s':>10} {'ms/article':>12}")
    echo(_rate("clean", t_clean, n))
    echo(_rate("entities (tokens+tagger+KB)", t_entities, n))
    echo(_rate("claims (numbers+cues)", t_claims, n))
    echo(_rate("extract (all, + events)", t_extract, n))
    echo(_rate("clean + extract", t_clean + t_extract, n))
    return cleaned


def end_to_end(articles: list[RawArticle], echo: Echo, timeout: float = 600) -> None:
    kafka: LocalKafka | None = None
    worker: LocalWorker | None = None
    bootstrap = os.environ.get("RASD_KAFKA_BOOTSTRAP")
    try:
        if bootstrap is None:
            kafka = start_local_kafka()
            bootstrap = kafka.bootstrap
        run = f"bench-{int(time.time())}"
        settings = run_settings(run, kafka_bootstrap=bootstrap, topic_partitions=1)
        asyncio.run(ensure_topics(settings))
        env = {f"RASD_{k.upper()}": str(v) for k, v in settings.model_dump(mode="json").items()}
        env.update(
            RASD_WEB_PORT=str(free_port()),
            RASD_LOG_LEVEL="warning",
            RASD_DATA_DIR=str(REPO / ".cache" / "faust"),
        )
        worker = LocalWorker(env, REPO / ".cache" / "logs" / f"{run}-worker.log").start()
        # Warm-up: one article through, so start-up and partition assignment are not measured.
        warm = articles[0].model_copy(update={"id": "warmup"})
        asyncio.run(
            publish([Accepted("warmup", warm)], bootstrap=bootstrap, topic=settings.topic_raw)
        )
        asyncio.run(
            collect(bootstrap, [settings.topic_enriched], done=lambda ev: len(ev) >= 1, within=120)
        )
        wall, lat = _through_kafka(articles, settings, timeout=timeout)
        if len(lat) < len(articles):
            echo(f"end to end: only {len(lat)}/{len(articles)} enriched within {timeout}s")
            echo(worker.log_tail())
            return
        echo(
            f"\nend to end through Kafka ({bootstrap}), 1 worker, 1 partition\n"
            f"burst of {len(articles)} articles: {len(articles) / wall:,.0f} articles/s "
            f"(publish → last enriched, {wall:.1f}s); raw→enriched {_percentiles(lat)} "
            "(queueing behind the burst)"
        )
        rate = max(1.0, round(len(articles) / wall / 4))  # a quarter of the measured capacity
        steady = [a.model_copy(update={"id": f"steady-{i:05d}"}) for i, a in enumerate(articles)]
        steady = steady[: max(20, min(len(steady), int(rate * 10)))]
        _, lat = _through_kafka(steady, settings, timeout=timeout, interval=1 / rate)
        echo(
            f"steady {rate:,.0f} articles/s for {len(steady)} articles: raw→enriched "
            f"{_percentiles(lat)}"
        )
    finally:
        if worker is not None:
            worker.stop()
        if kafka is not None:
            kafka.stop()


def _through_kafka(
    articles: list[RawArticle], settings: Settings, *, timeout: float, interval: float = 0.0
) -> tuple[float, list[float]]:
    """Publish ``articles`` (paced by ``interval``) and wait for all of them, and the articles
    split off them, enriched: the wall time and each published article's raw→enriched latency
    from Kafka record timestamps."""
    bootstrap = settings.kafka_bootstrap
    started = time.perf_counter()
    asyncio.run(
        publish(
            (Accepted(a.id, a) for a in articles),
            bootstrap=bootstrap,
            topic=settings.topic_raw,
            interval=interval,
        )
    )
    wanted = {a.id for a in articles}
    events = asyncio.run(
        collect(
            bootstrap,
            [settings.topic_raw, settings.topic_enriched],
            within=timeout,
            done=AllEnriched(settings.topic_enriched, wanted),
        )
    )
    wall = time.perf_counter() - started
    raw_ts = {e.key: e.timestamp_ms for e in events if e.topic == settings.topic_raw}
    latencies = sorted(
        (e.timestamp_ms - raw_ts[e.key]) / 1000
        for e in events
        if e.topic == settings.topic_enriched and e.key in wanted and e.key in raw_ts
    )
    return wall, latencies


def _percentiles(latencies: list[float]) -> str:
    q = statistics.quantiles(latencies, n=100)
    return f"p50 {q[49] * 1000:,.0f} ms  p95 {q[94] * 1000:,.0f} ms  p99 {q[98] * 1000:,.0f} ms"


def run_bench(seeds: Path, n: int, *, with_kafka: bool, echo: Echo) -> None:
    articles = replicate(seeds, n)
    offline(articles, echo)
    if with_kafka:
        end_to_end(articles, echo)
