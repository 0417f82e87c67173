"""Create the pipeline's topics up front, so a worker never waits on broker auto-creation."""

from __future__ import annotations

import asyncio
import contextlib
import time

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from services.enricher.settings import Guarantee, Settings


def new_topics(settings: Settings, names: list[str]) -> list[NewTopic]:
    return [
        NewTopic(n, settings.topic_partitions, settings.topic_replication_factor) for n in names
    ]


async def ensure_topics(settings: Settings, names: tuple[str, ...] | None = None) -> list[str]:
    """Create missing topics (with ``settings.topic_partitions`` and
    ``settings.topic_replication_factor``); returns the ones created."""
    wanted = names or (settings.topic_raw, *settings.output_topics)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="rasd-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in dict.fromkeys(wanted) if n not in existing]
        if missing:
            # Another worker may create one between our list and create: that is fine.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(new_topics(settings, missing))
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


class MessageLimitError(RuntimeError):
    """RASD_MAX_MESSAGE_BYTES is over what the broker accepts on an output topic."""


async def check_message_limit(settings: Settings) -> dict[str, int]:
    """Each output topic's ``max.message.bytes`` (the broker's ``message.max.bytes`` unless the
    topic overrides it); raises ``MessageLimitError`` when ``settings.max_message_bytes`` is
    larger than one of them, because then an event the worker accepts as small enough (a dead
    letter included) could be refused by the broker."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="rasd-admin")
    await admin.start()
    try:
        wanted: dict[str, None] = {"max.message.bytes": None}
        responses = await admin.describe_configs(
            [
                ConfigResource(ConfigResourceType.TOPIC, name, dict(wanted))
                for name in dict.fromkeys((settings.topic_raw, *settings.output_topics))
            ]
        )
    finally:
        await admin.close()
    limits: dict[str, int] = {}
    for response in responses:
        for _error, _message, _type, name, entries in response.resources:
            for entry in entries:
                if entry[0] == "max.message.bytes" and entry[1] is not None:
                    limits[name] = int(entry[1])
    too_small = {
        name: limit for name, limit in limits.items() if limit < settings.max_message_bytes
    }
    if too_small:
        listed = ", ".join(f"{name} {limit}" for name, limit in sorted(too_small.items()))
        raise MessageLimitError(
            f"RASD_MAX_MESSAGE_BYTES={settings.max_message_bytes} is larger than what Kafka at "
            f"{settings.kafka_bootstrap} accepts (max.message.bytes: {listed}): lower "
            "RASD_MAX_MESSAGE_BYTES (and RASD_MAX_CONTENT_BYTES) to at most that, or raise the "
            "broker's message.max.bytes"
        )
    return limits
