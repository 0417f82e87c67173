"""Consumer lag of the worker's input partitions, from the broker rather than from the consumer.

Faust's monitor reports a partition only once it has fetched a record from it since the last
rebalance; this asks the broker for every partition of the input topics (end offset and the
group's committed offset), so each one has a lag series from start-up, idle ones included.
"""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from services.enricher.metrics import Metrics

log = logging.getLogger(__name__)


class LagProbe:
    """Measures ``end offset - committed offset`` of every partition of ``topics`` for ``group``;
    a partition without a committed offset counts from its first offset (the worker reads from
    the earliest)."""

    def __init__(self, bootstrap: str, group: str, topics: list[str]) -> None:
        self.bootstrap, self.group, self.topics = bootstrap, group, topics
        self.admin: AIOKafkaAdminClient | None = None
        self.consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        self.admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, client_id="rasd-lag")
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap, group_id=None, client_id="rasd-lag"
        )
        await self.admin.start()
        await self.consumer.start()

    async def stop(self) -> None:
        if self.consumer is not None:
            await self.consumer.stop()
        if self.admin is not None:
            await self.admin.close()

    async def measure(self) -> dict[TopicPartition, int]:
        if self.admin is None or self.consumer is None:
            raise RuntimeError("LagProbe.measure before start()")
        described = await self.admin.describe_topics(self.topics)
        partitions = [
            TopicPartition(t["topic"], p["partition"])
            for t in described
            if not t["error_code"]
            for p in t["partitions"]
        ]
        if not partitions:
            return {}
        committed = await self.admin.list_consumer_group_offsets(self.group, partitions=partitions)
        ends = await self.consumer.end_offsets(partitions)
        starts = await self.consumer.beginning_offsets(partitions)
        lag = {}
        for tp in partitions:
            done = committed.get(tp)
            position = done.offset if done is not None and done.offset >= 0 else starts[tp]
            lag[tp] = max(ends[tp] - position, 0)
        return lag


async def report_lag(probe: LagProbe, metrics: Metrics, interval: float) -> None:
    """Update ``rasd_consumer_lag_messages`` every ``interval`` seconds until cancelled."""
    started, failing = False, False
    try:
        while True:
            try:
                if not started:
                    await probe.start()
                    started = True
                for tp, lag in (await probe.measure()).items():
                    metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(lag)
                failing = False
            except Exception as exc:  # the broker may be restarting; say so once, keep trying
                if not failing:
                    log.warning("cannot measure consumer lag (%s); retrying", exc)
                failing = True
                if not started:
                    await probe.stop()
            await asyncio.sleep(interval)
    finally:
        await probe.stop()
