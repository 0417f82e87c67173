"""Create the pipeline's topics up front, so a worker never waits on broker auto-creation."""

from __future__ import annotations

import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from services.enricher.settings import Settings


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
