"""``rasd demo`` without a broker: what it says before starting Kafka, which ports it uses, and how
it prints claims. The demo against a real broker is in tests/integration/test_cli_kafka.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from services import demo
from services.localkafka import LocalKafkaError, kafka_fetched
from tests.conftest import SEEDS


@pytest.fixture(autouse=True)
def no_rasd_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("RASD_"):
            monkeypatch.delenv(name)


def test_kafka_fetched_asks_the_script_about_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASD_KAFKA_CACHE", str(tmp_path))
    assert kafka_fetched() is False, "an empty cache: start would download"


def run_until_kafka_starts(
    monkeypatch: pytest.MonkeyPatch, *, fetched: bool, **env: str
) -> tuple[list[str], list[int | None]]:
    """Run the demo up to the point where it starts Kafka; return what it said and the port."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    ports: list[int | None] = []

    def no_kafka_here(port: int | None = None) -> Any:
        ports.append(port)
        raise LocalKafkaError("not in unit tests")

    monkeypatch.setattr(demo, "kafka_fetched", lambda: fetched)
    monkeypatch.setattr(demo, "start_local_kafka", no_kafka_here)
    said: list[str] = []
    with pytest.raises(LocalKafkaError):
        demo.run_demo(SEEDS, timeout=1, echo=said.append)
    return said, ports


def test_the_demo_mentions_the_download_only_when_kafka_is_not_cached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said, _ = run_until_kafka_starts(monkeypatch, fetched=True)
    assert said == ["▶ starting a local Apache Kafka …"]
    said, _ = run_until_kafka_starts(monkeypatch, fetched=False)
    assert said == [
        "▶ starting a local Apache Kafka (first run: downloading it from Maven Central) …"
    ]


def test_the_demo_starts_kafka_on_rasd_kafka_port_or_a_free_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run_until_kafka_starts(monkeypatch, fetched=True)[1] == [None]
    assert run_until_kafka_starts(monkeypatch, fetched=True, RASD_KAFKA_PORT="29092")[1] == [29092]
    assert run_until_kafka_starts(monkeypatch, fetched=True, RASD_KAFKA_PORT="auto")[1] == [None]


def claim(**fields: Any) -> dict[str, Any]:
    return {"kind": "statement", "cue": None, "speaker": None, "according_to": None, **fields}


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (
            {"speaker": {"text": "بلينكن"}, "cue": "أكد", "content": "أن المفاوضات مستمرة"},
            "بلينكن أكد: «أن المفاوضات مستمرة»",
        ),
        (  # printed as «وول ستريت جورنال وفق:» before
            {"according_to": {"text": "وول ستريت جورنال"}, "cue": "وفق", "content": "تراجع النفط"},
            "«تراجع النفط» (according to وول ستريت جورنال)",
        ),
        (
            {
                "speaker": {"text": "الوزير"},
                "cue": "قال",
                "according_to": {"text": "رويترز"},
                "content": "إن الاتفاق قريب",
            },
            "الوزير قال: «إن الاتفاق قريب» (according to رويترز)",
        ),
        (
            {"content": "ارتفع عدد القتلى إلى 30"},
            "unattributed: «ارتفع عدد القتلى إلى 30»",
        ),  # «— :»
    ],
)
def test_claims_print_readably(fields: dict[str, Any], line: str) -> None:
    assert demo.describe_claim(claim(**fields)) == line


def test_long_claims_are_shortened_at_a_word() -> None:
    text = demo.describe_claim(claim(content="كلمة " * 40), width=22)
    assert text == "unattributed: «كلمة كلمة كلمة كلمة …»"
