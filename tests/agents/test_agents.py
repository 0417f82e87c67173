"""The agents' wiring, without a broker: Faust's test_context feeds an agent directly, and every
outgoing send is recorded, so each topic an input reaches can be checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faust
import orjson
import pytest

from services.contracts.cloudevents import read_headers
from services.enricher.app import create_app
from services.enricher.metrics import Metrics
from services.enricher.settings import Settings
from tests.conftest import SEED_004


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every Topic.send as {topic, key, value, headers}."""
    records: list[dict[str, Any]] = []

    async def record(self: faust.TopicT, **kwargs: Any) -> None:
        records.append({"topic": self.get_topic_name(), **kwargs})

    monkeypatch.setattr(faust.topics.Topic, "send", record)
    return records


@pytest.fixture
def app(tmp_path: Path) -> faust.App:
    # Never contacted: test_context feeds the agent through a local channel.
    settings = Settings(kafka_bootstrap="127.0.0.1:9", app_id="rasd-agents", data_dir=tmp_path)
    # A dict for the duplicate index: Faust tables need a running worker.
    return create_app(settings, Metrics.create(), seen={})


def topics(records: list[dict[str, Any]]) -> list[str]:
    return [r["topic"] for r in records]


async def test_clean_agent_emits_the_clean_article_and_re_emits_the_glued_one(
    app: faust.App, sent: list[dict[str, Any]]
) -> None:
    raw = {"id": "page-1", "source": "test", "content": SEED_004.read_text("utf-8")}
    async with app.agents["clean"].test_context() as agent:
        await agent.put(key=b"page-1", value=orjson.dumps(raw))
    assert topics(sent) == ["articles.clean", "articles.raw"]
    clean, glued = sent
    assert clean["key"] == b"page-1"
    assert read_headers(clean["headers"])["ce_type"] == "rasd.article.clean.v1"
    assert orjson.loads(glued["value"])["parent_id"] == "page-1"


async def test_bad_input_goes_to_the_dead_letter_topic_and_the_agent_goes_on(
    app: faust.App, sent: list[dict[str, Any]]
) -> None:
    async with app.agents["clean"].test_context() as agent:
        await agent.put(key=b"bad", value=b"\xff not utf-8")
        await agent.put(
            key=b"good",
            value=orjson.dumps(
                {"id": "good", "source": "t", "content": "قال الوزير إن الاجتماع كان مثمرا جدا."}
            ),
        )
    assert topics(sent) == ["articles.dlq", "articles.clean"]
    letter = orjson.loads(sent[0]["value"])
    assert (letter["error_kind"], letter["stage"]) == ("undecodable", "clean")


async def test_extract_agent_fans_out_to_enriched_entities_and_claims(
    app: faust.App, sent: list[dict[str, Any]]
) -> None:
    raw = {"id": "a1", "source": "t", "content": SEED_004.read_text("utf-8")}
    async with app.agents["clean"].test_context() as agent:
        await agent.put(key=b"a1", value=orjson.dumps(raw))
    clean_value = sent[0]["value"]
    sent.clear()
    async with app.agents["extract"].test_context() as agent:
        await agent.put(key=b"a1", value=clean_value)
    names = topics(sent)
    assert names[0] == "articles.enriched"
    enriched = orjson.loads(sent[0]["value"])
    assert names.count("articles.entities") == len(enriched["entities"]) > 0
    assert names.count("articles.claims") == len(enriched["claims"]) > 0
