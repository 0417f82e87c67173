"""Read events off Rasd's topics with their CloudEvents headers; stop on the work, not the clock."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from services.contracts.cloudevents import read_headers


class MissingTopicsError(Exception):
    """Topics asked for do not exist; reading never creates them (the broker would, on a
    metadata request for them, when ``auto.create.topics.enable`` is on)."""

    def __init__(self, missing: list[str], existing: list[str]) -> None:
        super().__init__(f"no such topic: {', '.join(missing)}")
        self.missing = missing
        self.existing = existing


@dataclass(frozen=True, slots=True)
class Received:
    topic: str
    partition: int
    offset: int
    key: str | None
    headers: dict[str, str]
    value: bytes
    timestamp_ms: int

    def json(self) -> Any:
        return orjson.loads(self.value)


async def stream_events(
    bootstrap: str,
    topics: list[str],
    *,
    from_beginning: bool = True,
    idle_timeout: float | None = None,
    deadline: float | None = None,
) -> AsyncIterator[Received]:
    """Yield events of ``topics``; end after ``idle_timeout`` s without events or at ``deadline``.

    Reads without a consumer group (no offsets committed), so tailing never disturbs anyone.
    Raises ``MissingTopicsError`` when a topic does not exist (it is never created), and the
    client's ``KafkaError`` when no broker answers; the consumer is closed either way.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        client_id=f"rasd-tail-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest" if from_beginning else "latest",
        enable_auto_commit=False,
        # Only events of committed transactions (exactly-once workers); same as read_uncommitted
        # for non-transactional producers.
        isolation_level="read_committed",
    )
    try:
        await consumer.start()
        existing = await consumer.topics()  # metadata of all topics: creates none
        missing = [t for t in topics if t not in existing]
        if missing:
            raise MissingTopicsError(missing, sorted(t for t in existing if not t.startswith("__")))
        consumer.subscribe(topics)
        last = time.monotonic()
        while True:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                return
            if idle_timeout is not None and now - last >= idle_timeout:
                return
            batch = await consumer.getmany(timeout_ms=200)
            for tp, records in batch.items():
                for r in records:
                    last = time.monotonic()
                    yield Received(
                        tp.topic,
                        tp.partition,
                        r.offset,
                        r.key.decode("utf-8", "replace") if r.key is not None else None,
                        read_headers(r.headers),
                        r.value or b"",
                        r.timestamp,
                    )
    finally:
        await consumer.stop()


async def collect(
    bootstrap: str,
    topics: list[str],
    *,
    done: Callable[[list[Received]], bool],
    within: float,
) -> list[Received]:
    """Events of ``topics`` from the start until ``done(events)`` holds or ``within`` s pass."""
    events: list[Received] = []
    deadline = time.monotonic() + within
    async for event in stream_events(bootstrap, topics, deadline=deadline):
        events.append(event)
        if done(events):
            break
    return events


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    """Current end offset per partition of ``topic`` (0 partitions if it does not exist)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in partitions]
        ends = await consumer.end_offsets(tps) if tps else {}
        return {tp.partition: off for tp, off in ends.items()}
    finally:
        await consumer.stop()


class AllEnriched:
    """``done`` for collect(): every wanted article, and every article split off one of them, is
    enriched. Looks at each event once (collect passes the growing list each time)."""

    def __init__(self, topic: str, wanted: set[str]) -> None:
        self.topic, self.expected, self.seen, self.read = topic, set(wanted), set[str](), 0

    def __call__(self, events: list[Received]) -> bool:
        for event in events[self.read :]:
            if event.topic == self.topic and event.key is not None:
                self.seen.add(event.key)
                self.expected |= {a["id"] for a in event.json().get("appended", [])}
        self.read = len(events)
        return self.expected <= self.seen
