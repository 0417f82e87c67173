"""The Kafka commands of ``rasd`` against the real broker, through click's runner, configured the
way the README tells a newcomer to: ``RASD_KAFKA_PORT`` alone, no bootstrap address."""

from __future__ import annotations

import asyncio
import os
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from click.testing import CliRunner, Result

from services.cli import main
from services.demo import run_demo
from services.localkafka import free_port, start_local_kafka
from tests.conftest import SEED_000, SEED_004, SEEDS
from tests.integration.conftest import fresh_settings, start_pipeline

pytestmark = pytest.mark.integration


@pytest.fixture
def on_the_brokers_port(kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Only RASD_KAFKA_PORT set, as in the README's "another port" section; returns the port."""
    for name in list(os.environ):
        if name.startswith("RASD_"):
            monkeypatch.delenv(name)
    port = kafka_bootstrap.rsplit(":", 1)[1]
    monkeypatch.setenv("RASD_KAFKA_PORT", port)
    return port


def rasd(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def topics_at(bootstrap: str) -> list[str]:
    async def go() -> list[str]:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            return list(await admin.list_topics())
        finally:
            await admin.close()

    return asyncio.run(go())


def test_tail_of_a_missing_topic_lists_the_topics_and_creates_none(
    on_the_brokers_port: str, kafka_bootstrap: str
) -> None:
    topic = f"no.such.topic.{uuid.uuid4().hex[:8]}"
    result = rasd("tail", topic, "--idle-timeout", "1")
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith(
        f"Error: topic {topic} does not exist at localhost:{on_the_brokers_port}"
    )
    existing = [t for t in topics_at(kafka_bootstrap) if not t.startswith("__")]
    assert topic not in topics_at(kafka_bootstrap), "tail created the topic"
    listed = line.split("Topics there: ", 1)[1]
    assert listed == (", ".join(sorted(existing)) or "none")


def test_publish_prints_ids_lists_skipped_files_and_tail_compact_prints_one_line_each(
    on_the_brokers_port: str, tmp_path: Path
) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "000.txt").write_bytes(SEED_000.read_bytes())
    (folder / "004.txt").write_bytes(SEED_004.read_bytes())
    (folder / "notes.md").write_text("not an article", "utf-8")
    topic = f"t{uuid.uuid4().hex[:10]}.raw"

    published = CliRunner().invoke(main, ["publish", str(folder), "--topic", topic, "--ids"])
    assert published.exit_code == 0, published.output
    ids = [line.split("\t") for line in published.stdout.splitlines()]
    assert [origin for _, origin in ids] == [str(folder / "000.txt"), str(folder / "004.txt")]
    assert all(re.fullmatch(r"[0-9a-f]{16}", article_id) for article_id, _ in ids)
    assert f"at localhost:{on_the_brokers_port}; rejected 0; skipped 1" in published.stderr
    assert f"{folder / 'notes.md'}: skipped" in published.stderr

    tailed = rasd("tail", topic, "--compact", "--max", "2")
    assert tailed.exit_code == 0, tailed.output
    lines = tailed.output.splitlines()
    assert len(lines) == 2, "one line per event, no header"
    for line, (article_id, _) in zip(
        sorted(lines, key=lambda x: x.split(" key=")[1]), sorted(ids), strict=True
    ):
        head, body = line.split(" {", 1)
        assert re.fullmatch(
            rf"{re.escape(topic)}\[\d+\]@\d+ key={article_id} type=rasd\.article\.raw\.v1", head
        )
        event = orjson.loads("{" + body)
        assert event["id"] == article_id
        assert "content" not in event, "no raw content"


def test_the_demo_kept_running_serves_tail_on_the_configured_web_port(
    kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("RASD_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RASD_KAFKA_BOOTSTRAP", kafka_bootstrap)  # the demo starts no broker
    topics = fresh_settings(kafka_bootstrap)  # fresh topics: no events of an earlier run
    for name in ("raw", "clean", "enriched", "entities", "claims", "dlq"):
        monkeypatch.setenv(f"RASD_TOPIC_{name.upper()}", getattr(topics, f"topic_{name}"))
    web_port = free_port()
    monkeypatch.setenv("RASD_WEB_PORT", str(web_port))
    said: list[str] = []
    health: list[int] = []
    tailed_lines: list[str] = []

    def meanwhile() -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/health", timeout=5) as r:
            health.append(r.status)
        tailed = rasd(
            "tail", topics.topic_enriched, "--compact", "--max", "3", "--idle-timeout", "20"
        )
        tailed_lines.extend(tailed.output.splitlines())

    code = run_demo(SEEDS, timeout=120, echo=said.append, keep_running=True, wait=meanwhile)
    text = "\n".join(said)
    assert code == 0, text
    assert health == [200], "the worker serves RASD_WEB_PORT while kept running"
    assert len(tailed_lines) == 3, tailed_lines
    assert f"metrics on http://127.0.0.1:{web_port}/metrics" in text
    assert f"RASD_KAFKA_BOOTSTRAP={kafka_bootstrap} rasd tail {topics.topic_enriched}" in text
    assert "starting a local Apache Kafka" not in text, "RASD_KAFKA_BOOTSTRAP names a broker"
    assert not re.search(r"وفق:|— :", text), "claims print readably"
    log = re.search(r"log (\S+-worker\.log)\)", text)
    assert log, text
    worker_log = Path(log[1]).read_bytes()
    assert b"\x1b" not in worker_log, "no terminal control codes in the worker log"
    with pytest.raises(urllib.error.URLError):  # stopped once the wait is over
        urllib.request.urlopen(f"http://127.0.0.1:{web_port}/health", timeout=2)


@pytest.fixture
def fresh_broker() -> Iterator[str]:
    """A broker nobody has used yet: no offsets topic, no coordinator."""
    kafka = start_local_kafka()
    try:
        yield kafka.bootstrap
    finally:
        kafka.stop()


def test_a_worker_on_a_fresh_broker_logs_where_it_is_and_no_coordinator_error(
    fresh_broker: str,
) -> None:
    settings = fresh_settings(fresh_broker)
    running = start_pipeline(settings, "fresh-broker")
    try:
        # The worker says where it is once it is ready, after it joined its group; poll its
        # log, bounded.
        deadline = time.monotonic() + 60
        while "rasd worker ready" not in running.worker.log_tail(1_000_000):
            assert time.monotonic() < deadline, running.worker.log_tail()
            time.sleep(0.2)
    finally:
        running.worker.stop()
    log = running.worker.log_tail(1_000_000)
    assert f"rasd worker ready: Kafka at {fresh_broker}, consumer group {settings.app_id}" in log
    assert f"metrics at http://127.0.0.1:{settings.web_port}/metrics" in log
    assert "Group Coordinator Request failed" not in log
    assert "[ERROR]" not in log, log[-3000:]


def test_the_demo_on_rasd_kafka_port_uses_the_broker_running_there_and_leaves_it_running(
    on_the_brokers_port: str, kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.localkafka import LocalKafka

    broker = LocalKafka(int(on_the_brokers_port))
    if not broker.running():
        pytest.skip("the session's broker was not started by ops/kafka/kafka.sh")
    topics = fresh_settings(kafka_bootstrap)
    for name in ("raw", "clean", "enriched", "entities", "claims", "dlq"):
        monkeypatch.setenv(f"RASD_TOPIC_{name.upper()}", getattr(topics, f"topic_{name}"))
    said: list[str] = []
    assert run_demo(SEEDS, timeout=120, echo=said.append) == 0, "\n".join(said)
    assert (
        said[0]
        == f"▶ using the local Kafka already running on port {on_the_brokers_port} (left running)"
    )
    assert f"▶ Kafka at {broker.bootstrap}" in said
    assert "▶ stopping the local Kafka" not in said
    assert broker.running(), "the demo stopped a broker it did not start"
