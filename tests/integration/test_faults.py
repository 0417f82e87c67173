"""Faults on a real Kafka: inputs too large to process or to write, invisible content, a limit
the broker would refuse. Nothing is lost and nothing is stuck: each input ends on an output topic
or as a dead letter with its reason, and the input after them is processed."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from click.testing import CliRunner

from services.cli import main
from services.consumer.reader import Received, collect
from services.contracts.events import RawArticle
from services.localkafka import REPO, start_local_kafka
from services.producer.publish import publish
from services.producer.readers import Accepted, Read
from tests.integration.conftest import RunningPipeline, fresh_settings

pytestmark = pytest.mark.integration

LINE = "قال الوزير إن الاجتماع في القاهرة كان مثمرا جدا، وأضاف أن المحادثات ستستمر."


def article(article_id: str, lines: int) -> bytes:
    content = "\n".join(f"{LINE} {i}" for i in range(lines))
    return orjson.dumps({"id": article_id, "source": "faults", "content": content})


async def test_inputs_too_large_to_process_or_to_write_are_dead_lettered_not_lost(
    pipeline: RunningPipeline,
) -> None:
    s = pipeline.settings
    over_input = orjson.dumps({"id": "over-input", "content": "كلمة " * 114_000})  # > 1 MB
    inputs = {
        "over-input": over_input,  # over RASD_MAX_CONTENT_BYTES: never decoded
        "clean-too-large": article("clean-too-large", 4_000),  # 570 KB in, 1.4 MB clean event
        "enriched-too-large": article("enriched-too-large", 1_000),  # 1.1 MB enriched event
        "invisible": orjson.dumps({"id": "invisible", "content": "\u200b\u200c\x00\u2060\ufeff"}),
        "after": article("after", 3),
    }
    producer = AIOKafkaProducer(bootstrap_servers=s.kafka_bootstrap, max_request_size=1_048_000)
    await producer.start()
    try:
        for key, value in inputs.items():
            # One partition: the good article comes after every bad one.
            await producer.send_and_wait(s.topic_raw, value=value, key=key.encode(), partition=0)
    finally:
        await producer.stop()

    def done(events: list[Received]) -> bool:
        return {e.key for e in events} >= set(inputs)

    events = await collect(
        s.kafka_bootstrap, [s.topic_dlq, s.topic_enriched], done=done, within=180
    )
    letters = {e.key: e.json() for e in events if e.topic == s.topic_dlq}
    enriched = {e.key for e in events if e.topic == s.topic_enriched}
    assert enriched == {"after"}, pipeline.worker.log_tail()
    assert set(letters) == set(inputs) - {"after"}
    expected = {
        "over-input": ("too_large", "clean"),
        "clean-too-large": ("too_large", "clean"),
        "enriched-too-large": ("too_large", "extract"),
        "invisible": ("empty_body", "clean"),
    }
    assert {k: (v["error_kind"], v["stage"]) for k, v in letters.items()} == expected
    reference = letters["over-input"]
    assert reference["value_base64"] is None
    assert reference["value_size"] == len(over_input)
    assert reference["value_sha256"] == hashlib.sha256(over_input).hexdigest()
    assert reference["topic"] == s.topic_raw
    assert reference["partition"] == 0
    assert "RASD_MAX_CONTENT_BYTES=1000000" in reference["error"]
    assert "article.clean event would be" in letters["clean-too-large"]["error"]
    assert "article.enriched event would be" in letters["enriched-too-large"]["error"]
    assert letters["enriched-too-large"]["topic"] == s.topic_clean
    assert letters["enriched-too-large"]["value_base64"], "a clean event fits: its bytes are kept"


def test_the_worker_serves_metrics_and_health_and_no_table_contents(
    pipeline: RunningPipeline,
) -> None:
    base = f"http://127.0.0.1:{pipeline.settings.web_port}"
    for path in ("/metrics", "/health"):
        with urllib.request.urlopen(base + path, timeout=5) as response:
            assert response.status == 200
    for path in ("/table/dedup/x/", "/table/nope/x/", "/router/", "/graph/", "/stats/"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + path, timeout=5)
        assert refused.value.code == 404, path


def test_a_worker_refuses_to_start_with_a_limit_the_broker_would_refuse(
    kafka_bootstrap: str,
) -> None:
    s = fresh_settings(kafka_bootstrap)
    env = {f"RASD_{k.upper()}": str(v) for k, v in s.model_dump(mode="json").items()}
    env["RASD_MAX_MESSAGE_BYTES"] = "5000000"
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", "worker"],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "RASD_MAX_MESSAGE_BYTES=5000000 is larger than what Kafka at" in done.stderr
    assert f"{s.topic_dlq} 1048588" in done.stderr
    assert "lower RASD_MAX_MESSAGE_BYTES" in done.stderr


def test_publish_rejects_one_oversized_file_and_sends_the_files_after_it(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{LINE}\n{LINE}", "utf-8")
    (folder / "b_huge.txt").write_text("كلمة " * 250_000, "utf-8")  # 2.2 MB
    (folder / "c.txt").write_text(f"{LINE} ج\n{LINE}", "utf-8")
    topic = f"publish.{uuid.uuid4().hex[:8]}"
    result = CliRunner().invoke(
        main, ["publish", str(folder), "--topic", topic, "--bootstrap", kafka_bootstrap]
    )
    assert result.exit_code == 1, result.output
    assert "published 2 article(s)" in result.stdout
    assert "rejected 1" in result.stdout
    assert f"rejected [too_large] {folder / 'b_huge.txt'}: the article is" in result.stderr
    assert "split it into smaller articles" in result.stderr


async def test_publish_gives_up_when_the_broker_dies_and_says_what_was_not_sent(
    tmp_path: Path,
) -> None:
    kafka = start_local_kafka()
    try:
        topic = "dies.raw"
        reads: list[Read] = [
            Accepted(f"file-{i}.txt", RawArticle(id=f"a{i}", source="t", content=f"{LINE} {i}"))
            for i in range(6)
        ]

        def feed() -> Iterator[Read]:
            yield from reads[:3]
            kafka.stop()  # the broker dies mid-run
            yield from reads[3:]

        report = await publish(feed(), bootstrap=kafka.bootstrap, topic=topic, patience=5.0)
    finally:
        kafka.stop()
    assert report.gave_up is not None
    assert "Kafka acknowledged nothing for 5 s" in report.gave_up
    assert len(report.published) + len(report.not_sent) == 6
    assert {r.origin for r in report.not_sent} >= {"file-3.txt", "file-4.txt", "file-5.txt"}
    assert all(r.reason == "not_sent" for r in report.not_sent)
