"""Integration fixtures: one real Apache Kafka per session, a fresh worker and topics per test.

The broker comes from ``ops/kafka/kafka.sh`` (Maven Central jars, KRaft, loopback) unless
``RASD_TEST_KAFKA_BOOTSTRAP`` points at one already running.
"""

from __future__ import annotations

import os
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from services.enricher.settings import Settings, run_settings
from services.localkafka import REPO, LocalKafka, LocalWorker, free_port, start_local_kafka


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    configured = os.environ.get("RASD_TEST_KAFKA_BOOTSTRAP")
    if configured:
        yield configured
        return
    kafka: LocalKafka = start_local_kafka()
    try:
        yield kafka.bootstrap
    finally:
        kafka.stop()


@dataclass(frozen=True)
class RunningPipeline:
    settings: Settings
    worker: LocalWorker

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}/metrics"

    def metrics(self) -> str:
        with urllib.request.urlopen(self.metrics_url, timeout=5) as response:
            return str(response.read().decode())


def fresh_settings(bootstrap: str, **overrides: object) -> Settings:
    run = f"t{uuid.uuid4().hex[:10]}"
    fields: dict[str, object] = {
        "kafka_bootstrap": bootstrap,
        "topic_partitions": 2,
        "web_port": free_port(),
        "data_dir": REPO / ".cache" / "faust-test",
        "log_level": "info",
    }
    fields.update(overrides)
    return run_settings(run, **fields)


def _wait_healthy(pipeline: RunningPipeline, within: float = 90) -> None:
    deadline = time.monotonic() + within
    url = f"http://127.0.0.1:{pipeline.settings.web_port}/health"
    while time.monotonic() < deadline:
        process = pipeline.worker.process
        if process is not None and process.poll() is not None:
            pytest.fail(f"worker exited with {process.returncode}:\n{pipeline.worker.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)  # polling a port that is not open yet; bounded by the deadline
    pytest.fail(f"worker not healthy within {within}s:\n{pipeline.worker.log_tail()}")


def start_pipeline(settings: Settings, name: str) -> RunningPipeline:
    env = {f"RASD_{k.upper()}": str(v) for k, v in settings.model_dump(mode="json").items()}
    log = REPO / ".cache" / "logs" / f"{name}-{settings.app_id}.log"
    pipeline = RunningPipeline(settings, LocalWorker(env, log).start())
    _wait_healthy(pipeline)
    return pipeline


@pytest.fixture
def pipeline(kafka_bootstrap: str, request: pytest.FixtureRequest) -> Iterator[RunningPipeline]:
    """A worker on fresh topics and a fresh consumer group, stopped after the test."""
    running = start_pipeline(fresh_settings(kafka_bootstrap), request.node.name)
    try:
        yield running
    finally:
        running.worker.stop()
        print(running.worker.log_tail())  # pytest shows it only when the test failed
