"""The framework ceiling that ``rasd bench`` compares the worker with: a Faust app on the
worker's own settings whose one agent decodes each raw input and re-emits it, as is, to the
enriched topic. What it sustains is the most any pipeline on this stack (Faust, aiokafka, one
process) can; the worker's rate divided by it is the share the stream layer leaves the NLP.

``rasd worker --ceiling`` runs it (for benchmarks only).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import faust
import orjson

from services.enricher.app import bytes_topic, faust_app
from services.enricher.settings import Settings


def create_ceiling_app(settings: Settings) -> faust.App:
    app = faust_app(settings)
    raw_topic = bytes_topic(app, settings.topic_raw, settings)
    enriched_topic = bytes_topic(app, settings.topic_enriched, settings)

    @app.agent(raw_topic, name="ceiling")
    async def forward(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        async for event in stream.events():
            message = event.message
            value = orjson.dumps(orjson.loads(message.value))
            sent = await enriched_topic.send(key=message.key, value=value)
            await sent
            yield None

    return app
