"""``rasd chaos``: a fault run on a real local Kafka, then set comparisons that prove nothing was
lost.

While articles go to ``articles.raw`` at a steady rate, with generated bad inputs interleaved,
one worker is SIGKILLed every ``kill_every`` seconds and restarted, a second worker joins and
leaves, and the broker is restarted once (its data kept). At the end every good article must be
on ``articles.enriched`` and every bad input on ``articles.dlq`` with its reason; re-deliveries
must carry the very same ``ce_id``; in ``exactly_once`` mode a ``read_committed`` reader must
see each event once. It prints one summary line:
``lost=0 duplicates=… dlq=… crashes=0 max_rss=…MB`` and writes a timeline (CSV) of the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import random
import statistics
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError

from services.chaos_plot import plot_timeline, rss_growth
from services.contracts.cloudevents import read_headers
from services.enricher.app import FATAL_EXIT
from services.enricher.settings import Guarantee, run_settings
from services.enricher.topics import ensure_topics
from services.localkafka import (
    REPO,
    LocalKafka,
    LocalWorker,
    free_port,
    rss_mb,
    start_local_kafka,
)

Echo = Callable[[str], None]
MAX_CONTENT_BYTES = 300_000
WORDS_SOURCE = REPO / "seeds"
READER_IDLE = 15.0  # seconds without output before the reading consumer is replaced


@dataclass(frozen=True, slots=True)
class ChaosPlan:
    good: int = 200
    bad: int = 40
    rate: float = 8.0  # inputs per second, good and bad together
    kill_every: float = 10.0  # SIGKILL the first worker this long after it resumed work (0: never)
    second_worker: bool = True  # a second worker joins a quarter in and leaves at half
    broker_restart: bool = True  # once, at a third of the way
    guarantee: str = "at_least_once"
    within: float = 300.0  # hard bound on the whole run, seconds
    seed: int = 1
    partitions: int = 4

    def describe(self) -> str:
        return (
            f"rasd chaos --good {self.good} --bad {self.bad} --rate {self.rate:g} "
            f"--kill-every {self.kill_every:g} ({self.guarantee})"
        )


@dataclass(slots=True)
class ChaosResult:
    plan: ChaosPlan
    lost_good: list[str] = field(default_factory=list)
    lost_bad: list[str] = field(default_factory=list)
    wrong_reason: list[str] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)  # re-delivered with another ce_id
    repeated: list[str] = field(default_factory=list)  # inputs whose outcome was read twice
    duplicates: int = 0  # events read more than once (re-deliveries)
    dlq: int = 0
    crashes: int = 0
    fatal_exits: int = 0  # the worker stopped itself without committing (status 70), restarted
    kills: int = 0
    max_rss_mb: float = 0.0
    resume_seconds: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    reader_restarts: int = 0  # reading consumers replaced after bringing nothing for a while
    elapsed: float = 0.0
    rss_growth: float | None = None  # worker a, second fifth of the run to the last (a soak)
    timeline: Path | None = None
    plot: Path | None = None
    logs: list[Path] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return len(self.lost_good) + len(self.lost_bad)

    @property
    def ok(self) -> bool:
        once = self.plan.guarantee != "exactly_once" or self.duplicates == 0
        return (
            self.lost == 0
            and not self.wrong_reason
            and not self.changed_ids
            and self.crashes == 0
            and once
        )

    def summary(self) -> str:
        return (
            f"lost={self.lost} duplicates={self.duplicates} dlq={self.dlq} "
            f"crashes={self.crashes} max_rss={self.max_rss_mb:.0f}MB"
        )

    def details(self) -> list[str]:
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) if lat else 0.0
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else 0.0
        resume = max(self.resume_seconds) if self.resume_seconds else 0.0
        lines = [
            f"{self.plan.good} good and {self.plan.bad} bad inputs at {self.plan.rate:g}/s, "
            f"{self.plan.guarantee}; {self.kills} SIGKILLs, "
            f"resume after restart max {resume:.1f}s; end-to-end latency p50 {p50:.1f}s "
            f"p99 {p99:.1f}s; changed ce_id {len(self.changed_ids)}; wrong dead-letter reason "
            f"{len(self.wrong_reason)}; stops without commit (status 70) {self.fatal_exits}; "
            f"output readers replaced {self.reader_restarts}; "
            f"{self.elapsed:.0f}s",
        ]
        for name, items in (
            ("lost good", self.lost_good),
            ("lost bad", self.lost_bad),
            ("wrong reason", self.wrong_reason),
            ("changed ce_id", self.changed_ids),
            ("read more than once", self.repeated if self.plan.guarantee == "exactly_once" else []),
        ):
            if items:
                lines.append(f"{name}: {', '.join(items[:20])}{' …' if len(items) > 20 else ''}")
        if self.rss_growth is not None:
            lines.append(
                f"worker a RSS, second fifth of the run to the last: {self.rss_growth:+.1%}"
            )
        if self.timeline:
            lines.append(f"timeline: {self.timeline}")
        lines.append(
            f"plot: {self.plot}"
            if self.plot
            else "plot: not drawn (matplotlib missing: install rasd[plot], or `uv sync`)"
        )
        return lines


# --- inputs --------------------------------------------------------------------------------


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for path in sorted(WORDS_SOURCE.glob("*.txt")):
        words.update(w for w in path.read_text("utf-8").split() if w.isalpha() and len(w) > 2)
    return sorted(words)


def good_article(n: int, rng: random.Random, words: list[str]) -> bytes:
    """A distinct article (random words, so no two are near duplicates) with a claim in it."""
    body = []
    for _ in range(6):
        body.append(" ".join(rng.choice(words) for _ in range(18)) + ".")
    claim = f"وقال الوزير إن {rng.randint(2, 900)} ألف شخص تضرروا، وفقا للسلطات الصحية."
    content = f"خبر رقم {n}\n\n{claim}\n" + "\n".join(body)
    return orjson.dumps({"id": f"good-{n:06d}", "source": "chaos", "content": content})


# (name, expected error_kind or None for "any reason", value)
BadInput = tuple[str, str | None, bytes]


def bad_inputs(count: int, rng: random.Random) -> list[BadInput]:
    fixed: list[Callable[[int], BadInput]] = [
        lambda n: ("not_utf8", "undecodable", b"\xff\xfe" + rng.randbytes(40)),
        lambda n: ("truncated_json", "invalid_json", b'{"id": "t%d", "content": "' % n),
        lambda n: ("deep_json", "invalid_json", b"[" * 5000),
        lambda n: ("empty_value", "invalid_json", b""),
        lambda n: ("no_content", "schema_violation", b'{"id": "x%d", "source": "t"}' % n),
        lambda n: ("json_array", "schema_violation", b"[1, 2, 3]"),
        lambda n: ("json_null", "schema_violation", b"null"),
        lambda n: (
            "boilerplate_only",
            "empty_body",
            orjson.dumps({"id": f"b{n}", "content": "أخبار ذات صلة\n02 أبريل 2025 03:24 م"}),
        ),
        lambda n: (
            "invisible_only",
            "empty_body",
            orjson.dumps({"id": f"i{n}", "content": "\u200b\u200c\u200d\ufeff\x00\x01\u2060"}),
        ),
        lambda n: (
            "too_large",
            "too_large",
            orjson.dumps({"id": f"l{n}", "content": "كلمة " * (MAX_CONTENT_BYTES // 8)}),
        ),
        lambda n: (
            "many_lines",
            "too_large",
            orjson.dumps({"id": f"m{n}", "content": "سطر\n" * 25_000}),
        ),
        lambda n: ("random_bytes", None, rng.randbytes(rng.randint(1, 300))),
        lambda n: (
            "html_bomb",
            None,
            orjson.dumps({"id": f"h{n}", "content": "<div>" * 20_000, "content_type": "text/html"}),
        ),
        lambda n: (
            "bad_type",
            "schema_violation",
            orjson.dumps({"id": f"c{n}", "content": "نص", "content_type": "application/pdf"}),
        ),
        lambda n: ("random_text", None, rng.choice(["{", "}", '"', "\u0627", " ", "0"]).encode()),
    ]
    return [fixed[n % len(fixed)](n) for n in range(count)]


# --- the run --------------------------------------------------------------------------------


def _articles_handled(port: int) -> float:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
            text = r.read().decode()
    except OSError:
        return 0.0
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("rasd_articles_total{")
    )


@dataclass
class _Member:
    name: str
    worker: LocalWorker
    port: int


async def _stop_quietly(consumer: AIOKafkaConsumer) -> None:
    """Stop a reading consumer whatever state the broker left it in. aiokafka's stop re-raises
    the CancelledError of its own fetch tasks when they were retrying against a broker that is
    down; that one is not ours to propagate, a cancellation of this task is."""
    try:
        await asyncio.wait_for(consumer.stop(), 10)
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
    except Exception:  # a reader that cannot stop cleanly is replaced anyway
        pass


def kill_due(resumed_at: float, kill_every: float) -> float:
    """When to SIGKILL a worker that resumed work at ``resumed_at``: once it has worked
    ``kill_every`` seconds, or never when ``kill_every`` is 0 (a soak)."""
    return resumed_at + kill_every if kill_every > 0 else float("inf")


def run_chaos(plan: ChaosPlan, *, echo: Echo, bootstrap: str | None = None) -> ChaosResult:
    """Run ``plan`` on its own local broker (``bootstrap`` only without a broker restart)."""
    return asyncio.run(_run(plan, echo, bootstrap))


async def _run(plan: ChaosPlan, echo: Echo, bootstrap: str | None) -> ChaosResult:
    started = time.monotonic()
    kafka: LocalKafka | None = None
    if bootstrap is None or plan.broker_restart:
        echo("starting a local Kafka for the run …")
        kafka = await asyncio.to_thread(start_local_kafka)
        bootstrap = kafka.bootstrap
    run = f"chaos{uuid.uuid4().hex[:8]}"
    out = REPO / ".cache" / "chaos" / run
    out.mkdir(parents=True, exist_ok=True)
    settings = run_settings(
        run,
        kafka_bootstrap=bootstrap,
        topic_partitions=plan.partitions,
        processing_guarantee=Guarantee(plan.guarantee),
        data_dir=out / "faust",
        max_content_bytes=MAX_CONTENT_BYTES,
        dedup_horizon_hours=0.01,  # the sweep runs during the run, every 3.6 s
    )
    result = ChaosResult(plan)
    await ensure_topics(settings)

    def member(name: str) -> _Member:
        port = free_port()
        env = {f"RASD_{k.upper()}": str(v) for k, v in settings.model_dump(mode="json").items()}
        env.update(
            RASD_WEB_PORT=str(port),
            RASD_GROUP_INSTANCE_ID=f"{run}-{name}",
            RASD_DATA_DIR=str(out / "faust" / name),
        )
        log = out / f"worker-{name}.log"
        result.logs.append(log)
        return _Member(name, LocalWorker(env, log), port)

    rng = random.Random(plan.seed)
    words = _vocabulary()
    goods = {f"good-{n:06d}": good_article(n, rng, words) for n in range(plan.good)}
    bads = bad_inputs(plan.bad, rng)
    schedule: list[tuple[str, bytes, str | None]] = [(k, v, None) for k, v in goods.items()]
    for i, (name, kind, value) in enumerate(bads):  # spread evenly between the good ones
        position = (i + 1) * len(schedule) // (len(bads) + 1)
        schedule.insert(position, (f"bad-{i:05d}-{name}", value, kind or "*"))
    duration = len(schedule) / plan.rate

    sent_at: dict[str, float] = {}
    placed: dict[str, str] = {}  # key -> where it went on the raw topic
    bad_where: dict[tuple[int, int], tuple[str, str]] = {}  # (partition, offset) -> (key, kind)
    enriched: dict[str, list[str]] = defaultdict(list)  # key -> ce_ids read
    dead: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    first_seen: dict[str, float] = {}
    dead_good: list[str] = []
    producing_done = asyncio.Event()
    members = {"a": member("a")}
    members["a"].worker.start()
    samples: list[tuple[float, str, float]] = []  # (t, what, value)

    async def produce() -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            enable_idempotence=True,
            max_request_size=1_100_000,
            request_timeout_ms=120_000,
        )
        await producer.start()
        try:
            t0 = time.monotonic()
            pending = []
            for i, (key, value, kind) in enumerate(schedule):
                await asyncio.sleep(max(0.0, t0 + i / plan.rate - time.monotonic()))
                sent_at[key] = time.monotonic()
                future = await producer.send(settings.topic_raw, value=value, key=key.encode())
                pending.append((key, kind, future))
            for key, kind, future in pending:
                meta = await future
                placed[key] = f"raw[{meta.partition}]@{meta.offset}"
                if kind is not None:
                    bad_where[(meta.partition, meta.offset)] = (key, kind)
        finally:
            await producer.stop()
            producing_done.set()

    def complete() -> bool:
        return (
            producing_done.is_set()
            and all(k in enriched for k in goods)
            and all(where in dead for where in bad_where)
        )

    def take(r: ConsumerRecord[bytes, bytes]) -> None:
        ce_id = read_headers(r.headers).get("ce_id", "")
        if r.topic == settings.topic_enriched:
            key = r.key.decode() if r.key else ""
            enriched[key].append(ce_id)
            first_seen.setdefault(key, time.monotonic())
            return
        letter = orjson.loads(r.value or b"{}")
        where = (letter["partition"], letter["offset"])
        if letter["topic"] == settings.topic_raw:
            dead[where].append((letter["error_kind"], ce_id))
        else:  # a good article dead-lettered by the extract stage
            dead_good.append(f"{letter['key']}: {letter['error_kind']}")

    async def collect() -> None:
        """Read the outputs until every input has its outcome or the run's bound.

        A reading consumer can stay stuck after the broker restart (aiokafka keeps failing to
        fetch offsets from the old leader and returns nothing), which a run would report as
        loss. So a reader that brought nothing for ``READER_IDLE`` seconds while outcomes are
        missing is replaced by a new one that resumes where the last one stopped, and a last
        fresh reader reads what is left once the bound is reached: "lost" means not written.
        """
        parts = [
            TopicPartition(topic, p)
            for topic in (settings.topic_enriched, settings.topic_dlq)
            for p in range(plan.partitions)
        ]
        positions: dict[TopicPartition, int] = {}
        while not complete():
            last = time.monotonic() - started >= plan.within
            try:
                await read_outputs(parts, positions, until_end=last)
            except KafkaError as exc:  # the broker is down (its planned restart): read again
                echo(f"  reader: {type(exc).__name__}; reading again in 1 s")
                await asyncio.sleep(1.0)
                if not last:
                    result.reader_restarts += 1
                    continue
            if last:
                return
            if not complete():
                result.reader_restarts += 1

    async def read_outputs(
        parts: list[TopicPartition], positions: dict[TopicPartition, int], *, until_end: bool
    ) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            request_timeout_ms=30_000,
            isolation_level="read_committed"
            if plan.guarantee == "exactly_once"
            else "read_uncommitted",
        )
        try:
            await consumer.start()
            consumer.assign(parts)
            for tp, offset in positions.items():
                consumer.seek(tp, offset)
            ends = await consumer.end_offsets(parts) if until_end else {}
            idle_since = time.monotonic()
            while not complete():
                if until_end and all(positions.get(tp, 0) >= end for tp, end in ends.items()):
                    return
                if not until_end and time.monotonic() - started >= plan.within:
                    return
                if time.monotonic() - idle_since > READER_IDLE:
                    return
                batches = await consumer.getmany(timeout_ms=500)
                for tp, records in batches.items():
                    for r in records:
                        take(r)
                        positions[tp] = r.offset + 1
                if batches:
                    idle_since = time.monotonic()
        finally:
            await _stop_quietly(consumer)

    async def chaos() -> None:
        t0 = begun
        next_kill = kill_due(0.0, plan.kill_every)
        joined = left = False
        restart: asyncio.Task[None] | None = None
        watching: float | None = time.monotonic()  # since worker a (re)started, until it works
        while not complete() and time.monotonic() - started < plan.within:
            await asyncio.sleep(0.5)
            now = time.monotonic() - t0
            for m in list(members.values()):
                process = m.worker.process
                if process is None:
                    continue
                if process.poll() is None:
                    rss = rss_mb(process.pid)
                    samples.append((now, f"rss_{m.name}", rss))
                    result.max_rss_mb = max(result.max_rss_mb, rss)
                elif process.returncode == FATAL_EXIT:  # stopped on purpose, nothing committed
                    result.fatal_exits += 1
                    echo(f"  worker {m.name} stopped without committing (status 70); restarting")
                    m.worker.start()
                else:  # not killed by us: a crash
                    result.crashes += 1
                    echo(f"  worker {m.name} exited by itself ({process.returncode}); restarting")
                    m.worker.start()
            if watching is not None and _articles_handled(members["a"].port) > 0:
                if result.kills:  # the first start is not a restart
                    result.resume_seconds.append(time.monotonic() - watching)
                watching = None
                next_kill = kill_due(now, plan.kill_every)
            # One fault at a time: a worker that is starting up when the broker goes away exits
            # (Faust's start does not retry), so kills and the broker restart wait for each other.
            restarting = restart is not None and not restart.done()
            if watching is None and not restarting and now >= next_kill and now < duration:
                members["a"].worker.kill()
                members["a"].worker.start()
                result.kills += 1
                echo(f"  worker a: SIGKILL #{result.kills} and restart")
                watching = time.monotonic()
                samples.append((now, "kill_a", 1))
                next_kill += plan.kill_every
            if plan.second_worker and not joined and not restarting and now >= duration / 4:
                members["b"] = member("b")
                members["b"].worker.start()
                joined = True
                samples.append((now, "join_b", 1))
            if plan.second_worker and joined and not left and now >= duration / 2:
                leaving = members.pop("b")
                gone.append(leaving)
                await asyncio.to_thread(leaving.worker.stop, 60)
                left = True
                samples.append((now, "leave_b", 1))
            if (
                plan.broker_restart
                and kafka is not None
                and restart is None
                and now >= duration / 3
                and watching is None
                and all(_articles_handled(m.port) > 0 for m in members.values())
            ):
                restart = asyncio.create_task(restart_broker(kafka, t0))
        if restart is not None:
            await restart

    async def restart_broker(kafka: LocalKafka, t0: float) -> None:
        """Stop the broker (its data kept) and start it again, while the rest goes on."""
        samples.append((time.monotonic() - t0, "broker_stop", 1))
        echo("  broker: stopping (data kept) …")
        await asyncio.to_thread(kafka.stop, True)
        await asyncio.to_thread(kafka.start)
        samples.append((time.monotonic() - t0, "broker_start", 1))
        echo("  broker: started again")

    gone: list[_Member] = []
    begun = time.monotonic()  # the timeline's zero
    try:
        await asyncio.gather(produce(), collect(), chaos())
    finally:
        for m in [*members.values(), *gone]:
            await asyncio.to_thread(m.worker.stop, 30)
        if kafka is not None:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(kafka.stop)

    result.elapsed = time.monotonic() - started
    result.lost_good = [f"{k} ({placed.get(k, 'not sent')})" for k in goods if k not in enriched]
    for where, (key, kind) in sorted(bad_where.items()):
        letters = dead.get(where)
        if not letters:
            result.lost_bad.append(f"{key} (raw[{where[0]}]@{where[1]})")
        elif kind != "*" and letters[0][0] != kind:
            result.wrong_reason.append(f"{key}: {letters[0][0]} (expected {kind})")
    result.wrong_reason += [f"good article dead-lettered {d}" for d in sorted(set(dead_good))]
    result.dlq = sum(1 for where in bad_where if where in dead)
    reads = list(enriched.values()) + [[c for _, c in v] for v in dead.values()]
    result.duplicates = sum(len(ids) - 1 for ids in reads)
    result.repeated = [
        f"{k} ({placed.get(k)})" for k, ids in sorted(enriched.items()) if len(ids) > 1
    ]
    result.repeated += [f"dlq of raw[{p}]@{o}" for (p, o), v in sorted(dead.items()) if len(v) > 1]
    result.changed_ids = sorted(k for k, ids in enriched.items() if len(set(ids)) > 1)
    result.changed_ids += [
        f"dlq@{p}:{o}" for (p, o), v in dead.items() if len({c for _, c in v}) > 1
    ]
    result.latencies = [first_seen[k] - sent_at[k] for k in goods if k in first_seen]
    result.timeline = out / "timeline.csv"
    with result.timeline.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["seconds", "what", "value"])
        writer.writerows((f"{t:.1f}", w, f"{v:.1f}") for t, w, v in samples)
        for k in goods:
            if k in first_seen:
                writer.writerow(
                    [f"{sent_at[k] - begun:.1f}", "latency", f"{first_seen[k] - sent_at[k]:.2f}"]
                )
    if not result.kills:  # a killed worker's RSS starts again from nothing
        result.rss_growth = rss_growth([(t, v) for t, w, v in samples if w == "rss_a"])
    with contextlib.suppress(ImportError):
        result.plot = plot_timeline(result.timeline, out / "timeline.png", title=plan.describe())
    return result
