"""Publish ``article.raw`` events to Kafka with CloudEvents headers, keyed by article id.

An article too large for one Kafka message is rejected on its own (the others are sent); when
Kafka stops acknowledging for ``patience`` seconds the run gives up and reports which articles
were acknowledged and which were not, instead of retrying without end.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from services.contracts.cloudevents import make_headers
from services.producer.readers import Accepted, Read, Rejection, Skipped

# Kafka record and batch framing around key, value and headers (an upper estimate).
RECORD_OVERHEAD = 256
# Sends in flight before the publisher waits for their acknowledgements.
WINDOW = 500


@dataclass(slots=True)
class PublishReport:
    published: list[str] = field(default_factory=list)  # article ids Kafka acknowledged
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # other files found in folders
    origins: list[str] = field(default_factory=list)  # where each published article came from
    not_sent: list[Rejection] = field(default_factory=list)  # not acknowledged: publish again
    gave_up: str | None = None  # why the run stopped before the end, if it did


@dataclass(slots=True)
class _InFlight:
    article_id: str
    origin: str
    delivery: asyncio.Future[object]


async def publish(
    reads: Iterable[Read],
    *,
    bootstrap: str,
    topic: str,
    source: str = "urn:rasd:producer",
    progress: Callable[[PublishReport], None] | None = None,
    interval: float = 0.0,
    max_bytes: int = 1_000_000,
    patience: float = 60.0,
) -> PublishReport:
    """Send every accepted article; collect rejections. Waits until the broker acknowledged all,
    or gives up after ``patience`` seconds without an acknowledgement.

    ``interval`` paces the sends (seconds between articles), e.g. to measure latency at a
    steady rate instead of under a burst. ``max_bytes`` is the largest message (value, key and
    headers) sent; a larger article is rejected as ``too_large`` and the run goes on.
    """
    report = PublishReport()
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        client_id="rasd-producer",
        linger_ms=5,
        max_request_size=max_bytes + 65_536,
        request_timeout_ms=int(patience * 1000),
    )
    await producer.start()
    inflight: list[_InFlight] = []
    try:
        items = iter(reads)
        for item in items:
            if isinstance(item, Skipped):
                report.skipped.append(item)
            elif isinstance(item, Rejection):
                report.rejected.append(item)
            else:
                sent = await _send(producer, item, topic, source, max_bytes, patience, report)
                if sent is not None:
                    inflight.append(sent)
                if len(inflight) >= WINDOW:
                    await _settle(inflight, patience, report)
                    inflight = []
                if interval:
                    await asyncio.sleep(interval)
            if report.gave_up:
                _not_sent_rest(items, report)
                break
            if progress is not None:
                progress(report)
        await _settle(inflight, patience, report)
        inflight = []
    finally:
        for left in inflight:
            report.not_sent.append(_not_sent(left.origin, "the run stopped before Kafka answered"))
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.stop(), patience)
    return report


async def _send(
    producer: AIOKafkaProducer,
    item: Accepted,
    topic: str,
    source: str,
    max_bytes: int,
    patience: float,
    report: PublishReport,
) -> _InFlight | None:
    article = item.article
    body = orjson.dumps(article.model_dump(mode="json", exclude_none=True))
    key = article.id.encode()
    headers = make_headers("article.raw", article.id, body, source=source)
    size = len(key) + len(body) + sum(len(k) + len(v) + 8 for k, v in headers) + RECORD_OVERHEAD
    if size > max_bytes:
        report.rejected.append(
            Rejection(
                item.origin,
                "too_large",
                f"{item.origin}: the article is {size} bytes as a Kafka message, over the limit "
                f"of {max_bytes} (RASD_MAX_MESSAGE_BYTES); split it into smaller articles",
            )
        )
        return None
    try:
        delivery = await asyncio.wait_for(
            producer.send(topic, value=body, key=key, headers=headers), patience
        )
    except (TimeoutError, KafkaError) as exc:
        if isinstance(exc, KafkaError) and not exc.retriable:
            report.rejected.append(
                Rejection(item.origin, "refused", f"{item.origin}: Kafka refused it ({exc})")
            )
            return None
        report.not_sent.append(_not_sent(item.origin, "Kafka did not accept it"))
        report.gave_up = _gave_up(patience)
        return None
    return _InFlight(article.id, item.origin, delivery)


async def _settle(inflight: list[_InFlight], patience: float, report: PublishReport) -> None:
    """Wait for the acknowledgements of ``inflight``: acknowledged ones are published, the
    others are not sent (and the run gives up when Kafka stopped answering)."""
    if not inflight:
        return
    await asyncio.wait([f.delivery for f in inflight], timeout=patience)
    for sent in inflight:
        if not sent.delivery.done():
            sent.delivery.cancel()
            report.not_sent.append(_not_sent(sent.origin, "not acknowledged"))
            report.gave_up = _gave_up(patience)
            continue
        error = sent.delivery.exception()
        if error is None:
            report.published.append(sent.article_id)
            report.origins.append(sent.origin)
        elif isinstance(error, KafkaError) and not error.retriable:
            report.rejected.append(
                Rejection(sent.origin, "refused", f"{sent.origin}: Kafka refused it ({error})")
            )
        else:
            report.not_sent.append(_not_sent(sent.origin, f"not acknowledged ({error})"))
            report.gave_up = _gave_up(patience)


def _not_sent_rest(items: Iterable[Read], report: PublishReport) -> None:
    """After giving up: the inputs not read yet, listed so the summary is complete."""
    for item in items:
        if isinstance(item, Accepted):
            report.not_sent.append(_not_sent(item.origin, "not sent: the run gave up before it"))
        elif isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            report.rejected.append(item)


def _not_sent(origin: str, why: str) -> Rejection:
    return Rejection(origin, "not_sent", f"{origin}: {why}")


def _gave_up(patience: float) -> str:
    return (
        f"gave up: Kafka acknowledged nothing for {patience:g} s. Articles listed as not sent "
        "were not published; publish them again when Kafka is back (ids are stable, so the "
        "ones that did arrive are only marked as duplicates)"
    )
