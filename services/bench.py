"""``rasd bench``: articles/s per stage offline, and end to end through Kafka.

The seeds are replicated to N articles with distinct ids. Offline numbers are single-process,
single-core: (c) the NLP alone. Through Kafka, in one run on the same articles: (a) the framework
ceiling, a worker that only decodes and re-emits; (b) the full pipeline; the ratios b/c and b/a;
each worker's peak RSS; raw → enriched latency (from Kafka record timestamps) behind a burst and
at half of (b); with ``--workers N``, N workers against one on the same partitions.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from services.arabic.analyze import quantities_in
from services.arabic.claims import find_claims
from services.arabic.entities import find_entities
from services.arabic.tokenize import tokenize
from services.consumer.reader import AllEnriched, collect
from services.contracts.events import RawArticle
from services.enricher.pipeline import clean_article, enrich_article, warm_up
from services.enricher.settings import Settings, run_settings
from services.enricher.topics import ensure_topics
from services.localkafka import (
    REPO,
    LocalKafka,
    LocalWorker,
    free_port,
    rss_mb,
    start_local_kafka,
)
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


def offline(articles: list[RawArticle], echo: Echo) -> float:
    """Print articles/s per stage; return the rate of clean + extract (the NLP alone)."""
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
    return n / (t_clean + t_extract)


@dataclass(slots=True)
class Run:
    """One measured burst through Kafka."""

    rate: float  # articles/s, publish → last enriched
    latencies: list[float]  # raw → enriched, seconds
    rss_mb: float  # largest resident memory of one worker during the burst
    steady: tuple[float, list[float]] | None = None  # (rate, latencies) at half of ``rate``


class RssSampler:
    """The largest resident set size of some processes, sampled in a thread."""

    def __init__(self, pids: list[int], every: float = 0.2) -> None:
        self.pids, self.every, self.peak = pids, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            for pid in self.pids:
                self.peak = max(self.peak, rss_mb(pid))

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(
    articles: list[RawArticle],
    bootstrap: str,
    name: str,
    *,
    workers: int = 1,
    partitions: int = 1,
    options: tuple[str, ...] = (),
    steady: bool = False,
    timeout: float = 600,
    **fields: object,
) -> Run:
    """Start ``workers`` workers (``rasd worker OPTIONS``) on topics of their own with
    ``partitions`` partitions and settings ``fields``, warm them up, then send ``articles`` as
    one burst; with ``steady`` also at half the burst's rate."""
    run = f"bench-{name}-{int(time.time())}"
    settings = run_settings(run, kafka_bootstrap=bootstrap, topic_partitions=partitions, **fields)
    asyncio.run(ensure_topics(settings))
    env = {f"RASD_{k.upper()}": str(v) for k, v in settings.model_dump(mode="json").items()}
    env.update(RASD_LOG_LEVEL="warning", RASD_DATA_DIR=str(REPO / ".cache" / "faust" / run))
    started: list[LocalWorker] = []
    try:
        for i in range(workers):
            log = REPO / ".cache" / "logs" / f"{run}-worker{i}.log"
            worker = LocalWorker({**env, "RASD_WEB_PORT": str(free_port())}, log, options=options)
            started.append(worker.start())
        # Warm-up: a few articles through every partition, so start-up and the group's
        # assignment are not measured.
        warm = [
            articles[i % len(articles)].model_copy(update={"id": f"warmup-{i}"})
            for i in range(4 * partitions)
        ]
        _, lat = _through_kafka(warm, settings, timeout=180)
        if len(lat) < len(warm):
            raise BenchError(f"{name}: the workers did not start", started)
        pids = [w.process.pid for w in started if w.process is not None]
        with RssSampler(pids) as memory:
            wall, lat = _through_kafka(articles, settings, timeout=timeout)
        if len(lat) < len(articles):
            raise BenchError(
                f"{name}: only {len(lat)}/{len(articles)} enriched within {timeout:g}s", started
            )
        result = Run(len(articles) / wall, lat, memory.peak)
        if steady:
            rate = max(1.0, result.rate / 2)
            paced = [a.model_copy(update={"id": f"steady-{i:05d}"}) for i, a in enumerate(articles)]
            paced = paced[: max(20, min(len(paced), int(rate * 20)))]
            _, lat = _through_kafka(paced, settings, timeout=timeout, interval=1 / rate)
            result.steady = (rate, lat)
        return result
    finally:
        for worker in started:
            worker.stop()


class BenchError(RuntimeError):
    def __init__(self, message: str, workers: list[LocalWorker]) -> None:
        tails = "\n".join(w.log_tail(2000) for w in workers)
        super().__init__(f"{message}\n{tails}")


def end_to_end(
    articles: list[RawArticle], echo: Echo, *, nlp_rate: float, workers: int = 1
) -> None:
    """(a) the framework ceiling, (b) the full pipeline, their ratios to (c) the NLP alone,
    memory, latency at half load and, with ``workers`` > 1, scale-out over partitions."""
    kafka: LocalKafka | None = None
    bootstrap = os.environ.get("RASD_KAFKA_BOOTSTRAP")
    try:
        if bootstrap is None:
            kafka = start_local_kafka()
            bootstrap = kafka.bootstrap
        n = len(articles)
        ceiling = measure(articles, bootstrap, "ceiling", options=("--ceiling",))
        full = measure(articles, bootstrap, "pipeline", steady=True)
        lean = measure(articles, bootstrap, "lean", item_events=False)
        echo(f"\nend to end through Kafka ({bootstrap}), burst of {n} articles, 1 partition")
        echo(f"{'':<44} {'articles/s':>10} {'worker RSS':>11}")
        echo(
            f"{'(a) framework ceiling (decode + re-emit)':<44} {ceiling.rate:>10,.0f} "
            f"{ceiling.rss_mb:>8,.0f} MB"
        )
        echo(f"{'(b) full pipeline, 1 worker':<44} {full.rate:>10,.0f} {full.rss_mb:>8,.0f} MB")
        echo(
            f"{'(b2) the same, RASD_ITEM_EVENTS=false':<44} {lean.rate:>10,.0f} "
            f"{lean.rss_mb:>8,.0f} MB"
        )
        echo(f"{'(c) NLP alone (clean + extract, offline)':<44} {nlp_rate:>10,.0f}")
        echo(
            f"b/c = {full.rate / nlp_rate:.2f}   b/a = {full.rate / ceiling.rate:.2f}   "
            f"b2/c = {lean.rate / nlp_rate:.2f}   b2/a = {lean.rate / ceiling.rate:.2f}"
        )
        echo(f"burst raw→enriched (queueing behind the burst): {_percentiles(full.latencies)}")
        if full.steady is not None:
            rate, lat = full.steady
            echo(
                f"steady at half of (b), {rate:,.0f} articles/s for {len(lat)} articles: "
                f"raw→enriched {_percentiles(lat)}"
            )
        if workers > 1:
            partitions = max(4, workers)
            one = measure(articles, bootstrap, "one", partitions=partitions)
            many = measure(articles, bootstrap, "many", partitions=partitions, workers=workers)
            echo(f"\nscale-out on {partitions} partitions, {os.cpu_count()} cores")
            echo(f"{'1 worker':<44} {one.rate:>10,.0f} {one.rss_mb:>8,.0f} MB")
            echo(f"{f'{workers} workers':<44} {many.rate:>10,.0f} {many.rss_mb:>8,.0f} MB")
            echo(f"{workers} workers / 1 = {many.rate / one.rate:.2f}")
    except BenchError as exc:
        echo(f"end to end: {exc}")
    finally:
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


def run_bench(seeds: Path, n: int, *, with_kafka: bool, workers: int, echo: Echo) -> None:
    articles = replicate(seeds, n)
    nlp_rate = offline(articles, echo)
    if with_kafka:
        end_to_end(articles, echo, nlp_rate=nlp_rate, workers=workers)
