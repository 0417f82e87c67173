"""The agents' wiring, without a broker: Faust's test_context feeds an agent directly, and every
outgoing send is recorded, so each topic an input reaches can be checked."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

import faust
import orjson
import pytest

from services.contracts.cloudevents import read_headers
from services.contracts.ids import derive_id
from services.enricher.app import create_app
from services.enricher.logbudget import LogBudget
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


@pytest.fixture
def metrics() -> Metrics:
    return Metrics.create(sources=("test",))


@pytest.fixture
def budgeted(tmp_path: Path, metrics: Metrics) -> faust.App:
    """An app whose dead-letter log allows two lines per (never-ending) minute."""
    settings = Settings(kafka_bootstrap="127.0.0.1:9", app_id="rasd-budget", data_dir=tmp_path)
    return create_app(settings, metrics, seen={}, dead_letter_log=LogBudget(2, 60.0))


async def test_a_keyless_dead_letter_is_keyed_by_topic_partition_and_offset(
    app: faust.App, sent: list[dict[str, Any]]
) -> None:
    async with app.agents["clean"].test_context() as agent:
        await agent.put(key=None, value=b"[", partition=3)
        event = await agent.put(key=None, value=b"{not json", partition=3)
    _, letter = sent
    assert letter["topic"] == "articles.dlq"
    assert event.message.offset == 1
    assert letter["key"] == f"{event.message.topic}-3-1".encode()
    assert orjson.loads(letter["value"])["key"] is None


async def test_a_bare_content_value_gets_a_derived_id_and_a_default_source(
    app: faust.App, sent: list[dict[str, Any]]
) -> None:
    content = "قال الوزير إن الاجتماع في القاهرة كان مثمرا جدا."
    async with app.agents["clean"].test_context() as agent:
        await agent.put(key=None, value=orjson.dumps({"content": content}))
        await agent.put(
            key=None, value=orjson.dumps({"content": content, "url": "https://e.com/a"})
        )
    assert topics(sent) == ["articles.clean", "articles.clean"]
    by_content, by_url = (orjson.loads(s["value"]) for s in sent)
    assert by_content["id"] == derive_id(None, content)
    assert by_url["id"] == derive_id("https://e.com/a", content)
    assert by_content["source"] == by_url["source"] == "unknown"
    assert sent[0]["key"] == by_content["id"].encode()


async def test_each_dead_letter_is_logged_on_one_line_within_a_budget(
    budgeted: faust.App, sent: list[dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="services.enricher.app")
    async with budgeted.agents["clean"].test_context() as agent:
        await agent.put(key=b"a", value=b"\xff not utf-8", partition=1)
        await agent.put(key=b"b", value=b'{"id": "x", "source": "t"}', partition=0)
        await agent.put(key=b"c", value=b"[", partition=0)
    lines = [r.getMessage() for r in caplog.records if r.name == "services.enricher.app"]
    assert topics(sent) == ["articles.dlq"] * 3, "every input dead-lettered, logged or not"
    assert len(lines) == 2, lines
    first, second = lines
    assert first.startswith("dead letter: ")
    assert "[1]@0 kind=undecodable stage=clean reason=value is not UTF-8" in first
    assert "[0]@1 kind=schema_violation stage=clean reason=not a valid RawArticle" in second
    assert "content: Field required" in second


async def test_the_clean_stage_counts_removed_boilerplate_glued_articles_and_outlets(
    budgeted: faust.App, metrics: Metrics, sent: list[dict[str, Any]]
) -> None:
    raw = {"id": "page-1", "source": "test", "content": SEED_004.read_text("utf-8")}
    async with budgeted.agents["clean"].test_context() as agent:
        await agent.put(key=b"page-1", value=orjson.dumps(raw))
    clean = orjson.loads(sent[0]["value"])
    removed = Counter(block["kind"] for block in clean["removed"])
    assert removed, "seed 004 has boilerplate"

    def value(name: str, **labels: str) -> float:
        found = metrics.registry.get_sample_value(name, labels)
        assert found is not None, (name, labels)
        return found

    for kind, count in removed.items():
        assert value("rasd_boilerplate_removed_total", kind=kind) == count
    assert value("rasd_glued_articles_total") == len(clean["appended"]) == 1
    assert value("rasd_articles_total", stage="clean", outcome="ok", source="test") == 1
    assert value("rasd_articles_total", stage="clean", outcome="ok", source="other") == 0
