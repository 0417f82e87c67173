"""The agents' wiring, without a broker: Faust's test_context feeds an agent directly, and every
outgoing send is recorded, so each topic an input reaches can be checked."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

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

    async def record(self: faust.TopicT, **kwargs: Any) -> asyncio.Future[None]:
        records.append({"topic": self.get_topic_name(), **kwargs})
        delivered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        delivered.set_result(None)  # Kafka's acknowledgement, which the worker awaits
        return delivered

    monkeypatch.setattr(faust.topics.Topic, "send", record)
    return records


@pytest.fixture
def app(tmp_path: Path) -> faust.App:
    # Never contacted: test_context feeds the agent through a local channel.
    settings = Settings(kafka_bootstrap="127.0.0.1:9", app_id="rasd-agents", data_dir=tmp_path)
    # A dict for the duplicate index: Faust tables need a running worker.
    return create_app(settings, Metrics.create(), seen={}, in_order=False)


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


async def clean_then_extract(app: faust.App, sent: list[dict[str, Any]]) -> None:
    """Seed 004 through the clean agent, then its clean event through the extract agent:
    ``sent`` keeps what the extract agent wrote."""
    raw = {"id": "a1", "source": "t", "content": SEED_004.read_text("utf-8")}
    async with app.agents["clean"].test_context() as agent:
        await agent.put(key=b"a1", value=orjson.dumps(raw))
    clean_value = sent[0]["value"]
    sent.clear()
    async with app.agents["extract"].test_context() as agent:
        await agent.put(key=b"a1", value=clean_value)


async def test_extract_agent_fans_out_to_enriched_entities_and_claims(
    app: faust.App, sent: list[dict[str, Any]]
) -> None:
    await clean_then_extract(app, sent)
    names = topics(sent)
    assert names[0] == "articles.enriched"
    enriched = orjson.loads(sent[0]["value"])
    assert names.count("articles.entities") == len(enriched["entities"]) > 0
    assert names.count("articles.claims") == len(enriched["claims"]) > 0


async def test_without_item_events_the_enriched_article_alone_carries_entities_and_claims(
    tmp_path: Path, sent: list[dict[str, Any]]
) -> None:
    settings = Settings(
        kafka_bootstrap="127.0.0.1:9", app_id="rasd-items", data_dir=tmp_path, item_events=False
    )
    app = create_app(settings, Metrics.create(), seen={}, in_order=False)
    await clean_then_extract(app, sent)
    assert topics(sent) == ["articles.enriched"]
    enriched = orjson.loads(sent[0]["value"])
    assert enriched["entities"]
    assert enriched["claims"]


@pytest.fixture
def metrics() -> Metrics:
    return Metrics.create(sources=("test",))


@pytest.fixture
def budgeted(tmp_path: Path, metrics: Metrics) -> faust.App:
    """An app whose dead-letter log allows two lines per (never-ending) minute."""
    settings = Settings(kafka_bootstrap="127.0.0.1:9", app_id="rasd-budget", data_dir=tmp_path)
    return create_app(
        settings, metrics, seen={}, dead_letter_log=LogBudget(2, 60.0), in_order=False
    )


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


class FatalError(Exception):
    """What the worker's fatal exit becomes in these tests (it crashes the agent)."""


FATAL: list[str] = []


def fatal(reason: str) -> NoReturn:
    FATAL.append(reason)
    raise FatalError(reason)


def small_limits_app(tmp_path: Path) -> faust.App:
    settings = Settings(
        kafka_bootstrap="127.0.0.1:9",
        app_id="rasd-limits",
        data_dir=tmp_path,
        max_content_bytes=65_536,
        max_message_bytes=65_536,
    )
    return create_app(settings, Metrics.create(), seen={}, on_fatal=fatal, in_order=False)


async def test_an_oversized_input_is_dead_lettered_as_a_reference_before_any_work(
    tmp_path: Path, sent: list[dict[str, Any]]
) -> None:
    app = small_limits_app(tmp_path)
    value = orjson.dumps({"content": "كلمة " * 20_000})  # about 200 KB
    async with app.agents["clean"].test_context() as agent:
        await agent.put(key=b"big", value=value)
    assert topics(sent) == ["articles.dlq"]
    letter = orjson.loads(sent[0]["value"])
    assert letter["error_kind"] == "too_large"
    assert letter["value_base64"] is None, "a reference, not the body"
    assert letter["value_size"] == len(value)
    assert letter["value_sha256"] == hashlib.sha256(value).hexdigest()
    assert len(letter["value_preview"]) <= 500
    assert len(sent[0]["value"]) < 16_000


async def test_an_input_whose_events_would_be_too_large_writes_nothing_but_its_dead_letter(
    tmp_path: Path, sent: list[dict[str, Any]]
) -> None:
    app = small_limits_app(tmp_path)
    # Under the input limit, but the clean article carries content and text: twice as much.
    content = "\n".join(["قال الوزير إن الاجتماع في القاهرة كان مثمرا جدا."] * 500)
    value = orjson.dumps({"id": "long", "source": "t", "content": content})
    assert 30_000 < len(value) < 65_536
    async with app.agents["clean"].test_context() as agent:
        await agent.put(key=b"long", value=value)
    assert topics(sent) == ["articles.dlq"]
    letter = orjson.loads(sent[0]["value"])
    assert letter["error_kind"] == "too_large"
    assert "article.clean event would be" in letter["error"]
    assert "RASD_MAX_MESSAGE_BYTES=65536" in letter["error"]


@pytest.mark.parametrize(
    "content", ["\u200b\u200c\u200d\ufeff", "\x00\x01\x02\u200f\u202e", " \t\u2060\u00ad\n"]
)
async def test_content_of_invisible_characters_only_is_an_empty_body(
    app: faust.App, sent: list[dict[str, Any]], content: str
) -> None:
    async with app.agents["clean"].test_context() as agent:
        await agent.put(
            key=b"x", value=orjson.dumps({"id": "x", "source": "t", "content": content})
        )
    assert topics(sent) == ["articles.dlq"]
    assert orjson.loads(sent[0]["value"])["error_kind"] == "empty_body"


@pytest.fixture
def failing_sends(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Sends that are recorded, and fail (as when Kafka is gone) from the third one on, or for
    every dead letter."""
    records: list[dict[str, Any]] = []

    async def record(self: faust.TopicT, **kwargs: Any) -> asyncio.Future[None]:
        name = self.get_topic_name()
        records.append({"topic": name, **kwargs})
        delivered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if len(records) >= 3 or name == "articles.dlq":
            delivered.set_exception(ConnectionError("Kafka is gone"))
        else:
            delivered.set_result(None)
        return delivered

    monkeypatch.setattr("faust.topics.Topic.send", record)
    return records


async def test_a_send_error_after_part_of_the_fan_out_stops_the_worker_not_a_dead_letter(
    tmp_path: Path, failing_sends: list[dict[str, Any]]
) -> None:
    settings = Settings(kafka_bootstrap="127.0.0.1:9", app_id="rasd-fanout", data_dir=tmp_path)
    app = create_app(settings, Metrics.create(), seen={}, on_fatal=fatal, in_order=False)
    raw = {"id": "a1", "source": "t", "content": SEED_004.read_text("utf-8")}
    async with app.agents["clean"].test_context() as agent:
        await agent.put(key=b"a1", value=orjson.dumps(raw))
    clean_value = failing_sends[0]["value"]
    failing_sends.clear()
    FATAL.clear()
    with pytest.raises(FatalError):
        async with app.agents["extract"].test_context() as agent:
            await agent.put(key=b"a1", value=clean_value)
    [reason] = FATAL
    assert reason.startswith("could not write the outcome of articles.clean[0]@0 to ")
    assert "The worker stops without committing that offset" in reason
    assert "articles.dlq" not in topics(failing_sends), "partly delivered: never dead-lettered"


async def test_a_failed_dead_letter_stops_the_worker_instead_of_skipping_the_input(
    tmp_path: Path, failing_sends: list[dict[str, Any]]
) -> None:
    settings = Settings(kafka_bootstrap="127.0.0.1:9", app_id="rasd-dlq", data_dir=tmp_path)
    app = create_app(settings, Metrics.create(), seen={}, on_fatal=fatal, in_order=False)
    FATAL.clear()
    with pytest.raises(FatalError):
        async with app.agents["clean"].test_context() as agent:
            await agent.put(key=b"bad", value=b"\xff not utf-8")
    [reason] = FATAL
    assert "@0 to articles.dlq: ConnectionError: Kafka is gone" in reason


async def test_a_re_delivered_input_gives_identical_events_with_identical_ids(
    app: faust.App, sent: list[dict[str, Any]]
) -> None:
    raw = orjson.dumps({"id": "a1", "source": "t", "content": SEED_004.read_text("utf-8")})
    for _ in range(2):  # the second time re-delivered after a crash: same offsets
        async with app.agents["clean"].test_context() as agent:
            await agent.put(key=b"a1", value=raw)
            await agent.put(key=b"bad", value=b"\xff")
    first, _, letter, again, _, letter_again = sent
    assert letter["topic"] == letter_again["topic"] == "articles.dlq"
    assert first["value"] == again["value"]
    assert read_headers(first["headers"])["ce_id"] == read_headers(again["headers"])["ce_id"]
    assert (
        read_headers(letter["headers"])["ce_id"] == read_headers(letter_again["headers"])["ce_id"]
    )
    async with app.agents["extract"].test_context() as agent:
        await agent.put(key=b"a1", value=first["value"])
        await agent.put(key=b"a1", value=first["value"])
    enriched = [s for s in sent if s["topic"] == "articles.enriched"]
    assert enriched[0]["value"] == enriched[1]["value"]
    ids = [read_headers(s["headers"])["ce_id"] for s in enriched]
    assert ids[0] == ids[1]


async def test_a_copy_keeps_its_ce_id_whatever_the_worker_saw_before_it(
    tmp_path: Path, sent: list[dict[str, Any]]
) -> None:
    """Re-processed after a crash, a copy may be marked as the duplicate of another article, or
    of none: duplicate_of depends on history, not on the input, and is left out of the id."""
    content = SEED_004.read_text("utf-8")
    copy = orjson.dumps({"id": "copy", "source": "t", "content": content})
    settings = Settings(kafka_bootstrap="127.0.0.1:9", app_id="rasd-ids", data_dir=tmp_path)
    seen_first = create_app(settings, Metrics.create(), seen={}, in_order=False)
    async with seen_first.agents["clean"].test_context() as agent:
        await agent.put(key=b"first", value=copy.replace(b'"copy"', b'"first"'))
        await agent.put(key=b"copy", value=copy)
    marked = [s for s in sent if s["topic"] == "articles.clean" and s["key"] == b"copy"]
    sent.clear()
    fresh = create_app(settings, Metrics.create(), seen={}, in_order=False)
    async with fresh.agents["clean"].test_context() as agent:
        await agent.put(key=b"copy", value=copy)
    [again] = [s for s in sent if s["topic"] == "articles.clean"]
    assert orjson.loads(marked[0]["value"])["duplicate_of"] == "first"
    assert orjson.loads(again["value"])["duplicate_of"] is None
    assert read_headers(marked[0]["headers"])["ce_id"] == read_headers(again["headers"])["ce_id"]
