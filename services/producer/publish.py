"""Publish ``article.raw`` events to Kafka with CloudEvents headers, keyed by article id."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import orjson
from aiokafka import AIOKafkaProducer

from services.contracts.cloudevents import make_headers
from services.producer.readers import Accepted, Read, Rejection, Skipped


@dataclass(slots=True)
class PublishReport:
    published: list[str] = field(default_factory=list)  # article ids
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # other files found in folders
    origins: list[str] = field(default_factory=list)  # where each published article came from


async def publish(
    reads: Iterable[Read],
    *,
    bootstrap: str,
    topic: str,
    source: str = "urn:rasd:producer",
    progress: Callable[[PublishReport], None] | None = None,
    interval: float = 0.0,
) -> PublishReport:
    """Send every accepted article; collect rejections. Waits until the broker acknowledged all.

    ``interval`` paces the sends (seconds between articles), e.g. to measure latency at a
    steady rate instead of under a burst.
    """
    report = PublishReport()
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        client_id="rasd-producer",
        linger_ms=5,
    )
    await producer.start()
    try:
        pending = []
        for item in reads:
            if isinstance(item, Accepted):
                body = orjson.dumps(item.article.model_dump(mode="json", exclude_none=True))
                headers = make_headers("article.raw", item.article.id, body, source=source)
                pending.append(
                    await producer.send(
                        topic, value=body, key=item.article.id.encode(), headers=headers
                    )
                )
                report.published.append(item.article.id)
                report.origins.append(item.origin)
                if interval:
                    await asyncio.sleep(interval)
            elif isinstance(item, Skipped):
                report.skipped.append(item)
            else:
                report.rejected.append(item)
            if progress is not None:
                progress(report)
        for future in pending:
            await future
    finally:
        await producer.stop()
    return report
