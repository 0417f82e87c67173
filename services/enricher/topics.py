"""Create the pipeline's topics up front, so a worker never waits on broker auto-creation."""

from __future__ import annotations

import asyncio
import contextlib
import time

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from services.enricher.settings import Guarantee, Settings


async def ensure_topics(settings: Settings, names: tuple[str, ...] | None = None) -> list[str]:
    """Create missing topics (with ``settings.topic_partitions``); returns the ones created."""
    wanted = names or (settings.topic_raw, *settings.output_topics)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="rasd-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in dict.fromkeys(wanted) if n not in existing]
        if missing:
            # Another worker may create one between our list and create: that is fine.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [NewTopic(n, settings.topic_partitions, 1) for n in missing]
                )
        return missing
    finally:
        await admin.close()


async def wait_for_coordinator(settings: Settings, within: float = 60) -> bool:
    """Wait until the broker names a coordinator for the worker's consumer group (and, for
    exactly-once, for transactions). Returns whether it had to wait.

    A fresh broker creates its offsets topic (and transaction state topic) on the first request
    for a coordinator and answers "coordinator not available" until it is ready; a worker that
    asked first would log "[ERROR] Group Coordinator Request failed" for that harmless wait.
    """
    kinds = [0, 1] if settings.processing_guarantee is Guarantee.EXACTLY_ONCE else [0]
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="rasd-admin")
    await admin.start()
    waited = False
    deadline = time.monotonic() + within
    try:
        for kind in kinds:
            while True:
                try:
                    await admin.find_coordinator(settings.app_id, kind)
                    break
                except KafkaError as exc:
                    if not exc.retriable or time.monotonic() >= deadline:
                        raise
                    waited = True
                    await asyncio.sleep(0.2)  # the broker is creating its internal topic
        return waited
    finally:
        await admin.close()
