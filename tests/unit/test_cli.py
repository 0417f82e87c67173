"""The ``rasd`` command as a user meets it, through click's runner: settings that agree, help that
fits, errors that say what to do, output made for pipes. Nothing here needs a broker: the Kafka
commands are pointed at a loopback port where none listens."""

from __future__ import annotations

import gc
import os
import re
import warnings
from pathlib import Path
from typing import Any

import click
import orjson
import pytest
from click.testing import CliRunner, Result

from services.cli import main
from services.enricher.settings import Settings, settings_table
from services.localkafka import free_port
from tests.conftest import REPO, SEED_000, SEED_004


def rasd(*args: str, **env: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env or None)


@pytest.fixture
def nothing_listens() -> str:
    """A loopback address where no broker answers (the port was free a moment ago)."""
    return f"127.0.0.1:{free_port()}"


@pytest.fixture(autouse=True)
def no_rasd_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("RASD_"):
            monkeypatch.delenv(name)


# Settings -------------------------------------------------------------------------------------


def test_the_broker_port_moves_every_client_unless_a_bootstrap_is_given() -> None:
    assert Settings().kafka_bootstrap == "localhost:9092"
    assert Settings(kafka_port=29092).kafka_bootstrap == "localhost:29092"
    assert Settings(kafka_port=29092, kafka_bootstrap="kafka:9092").kafka_bootstrap == "kafka:9092"
    assert Settings(kafka_port="auto").kafka_port == 0


def test_rasd_config_shows_the_port_and_the_bootstrap_it_implies() -> None:
    output = rasd("config", RASD_KAFKA_PORT="29092").output
    shown = {
        name: value.strip()
        for name, _, value in (line.partition(" ") for line in output.splitlines())
    }
    assert shown["RASD_KAFKA_PORT"] == "29092"
    assert shown["RASD_KAFKA_BOOTSTRAP"] == "localhost:29092"
    assert {f"RASD_{name.upper()}" for name in Settings.model_fields} == set(shown)
    explicit = rasd("config", RASD_KAFKA_PORT="29092", RASD_KAFKA_BOOTSTRAP="b:1").output
    assert re.search(r"^RASD_KAFKA_BOOTSTRAP +b:1$", explicit, re.MULTILINE)


def test_the_readme_settings_table_is_the_one_the_settings_generate() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    generated = "\n".join(settings_table())
    assert generated in readme, "run `uv run rasd config --markdown` and paste it into README.md"
    assert rasd("config", "--markdown").output.strip() == generated
    rows = [line for line in settings_table() if line.startswith("| `RASD_")]
    assert len(rows) == len(Settings.model_fields)
    for name in ("RASD_KAFKA_PORT", "RASD_SOURCE", "RASD_NER_BACKEND", "RASD_METRICS_SOURCES"):
        assert f"| `{name}` |" in readme, name
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} needs a description for the README table"


# Help -----------------------------------------------------------------------------------------


def all_commands() -> list[list[str]]:
    import click

    found = [[]]
    for name, command in main.commands.items():
        found.append([name])
        if isinstance(command, click.Group):
            found += [[name, sub] for sub in command.commands]
    return found


def cut(help_text: str) -> list[str]:
    """Lines cut short with '...' (the usage line's `[ARGS]...` is click's notation)."""
    return [line for line in help_text.splitlines() if "..." in line and "Usage:" not in line]


def test_help_lists_whole_descriptions_and_no_paths_of_the_checkout() -> None:
    listing = rasd("--help").output
    assert cut(listing) == []
    assert "enriched events as JSON lines (one article per line)." in " ".join(listing.split())
    for command in all_commands():
        shown = rasd(*command, "--help")
        assert shown.exit_code == 0, command
        assert str(REPO) not in shown.output, command
        assert cut(shown.output) == [], command
    assert "[default: seeds]" in rasd("demo", "--help").output


# Errors without a broker ----------------------------------------------------------------------


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    [line] = lines
    assert line.startswith("Error: cannot ")
    assert "bash ops/kafka/kafka.sh start" in line
    names = re.findall(r"\b\w+Error\b", line)
    assert len(names) == len(set(names)), f"an error class named twice: {line}"
    return line


def test_tail_without_a_broker_says_what_to_do_in_one_line(nothing_listens: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = one_line_error(rasd("tail", "articles.enriched", "--bootstrap", nothing_listens))
        gc.collect()  # an unclosed consumer warns when it is collected
    assert f"at {nothing_listens} (no broker answered)" in line
    assert not [w for w in caught if "Unclosed" in str(w.message)]


def test_publish_without_a_broker_says_what_to_do_in_one_line(nothing_listens: str) -> None:
    line = one_line_error(rasd("publish", str(SEED_000), "--bootstrap", nothing_listens))
    assert line.startswith(f"Error: cannot publish to Kafka at {nothing_listens}")


def test_worker_without_a_broker_says_what_to_do_in_one_line(nothing_listens: str) -> None:
    port = nothing_listens.rsplit(":", 1)[1]
    line = one_line_error(rasd("worker", RASD_KAFKA_PORT=port, RASD_CONNECT_TIMEOUT_SECONDS="0"))
    assert f"at localhost:{port}" in line, "the worker follows RASD_KAFKA_PORT"


# Offline output -------------------------------------------------------------------------------


def test_enrich_prints_one_json_object_per_line() -> None:
    result = rasd("enrich", str(SEED_004))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    articles = [orjson.loads(line) for line in lines]
    assert len(articles) == 2, "the page's article and the one glued to it"
    assert articles[1]["parent_id"] == articles[0]["id"]
    pretty = rasd("enrich", str(SEED_004), "--pretty").stdout
    assert pretty.count("\n") > 100
    assert pretty.startswith("{\n  ")


def test_compact_events_keep_claims_and_drop_raw_content() -> None:
    from services.clikafka import compact_event

    article: dict[str, Any] = {"id": "a", "content": "x" * 5000, "text": "نص", "claims": []}
    assert compact_event(article) == {"id": "a", "text": "نص", "claims": []}
    claim = {"claim_id": "c", "content": "ما قيل"}
    assert compact_event(claim) == claim
    letter = {"error_kind": "undecodable", "value_base64": "AAAA", "value_preview": "?"}
    assert compact_event(letter) == {"error_kind": "undecodable", "value_preview": "?"}


def test_kafka_error_text_names_the_class_once() -> None:
    from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError

    from services.clikafka import error_text

    assert error_text(KafkaConnectionError("Unable to bootstrap from [('h', 1)]")) == (
        "no broker answered"
    )
    assert error_text(KafkaTimeoutError()) == "KafkaTimeoutError"
    assert error_text(KafkaConnectionError("broken pipe")) == "KafkaConnectionError: broken pipe"
    assert error_text(OSError("Connect call failed")) == "OSError: Connect call failed"


def test_a_folder_lists_the_files_it_skips(tmp_path: Path) -> None:
    from services.producer.readers import Accepted, Skipped, read_paths

    (tmp_path / "a.txt").write_text("خبر عاجل عن الطقس", "utf-8")
    (tmp_path / "README.md").write_text("notes", "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    read = list(read_paths([tmp_path], "t"))
    assert [type(r) for r in read] == [Skipped, Accepted, Skipped]  # name order
    skipped = [r.message for r in read if isinstance(r, Skipped)]
    assert skipped[0].startswith(f"{tmp_path / 'README.md'}: skipped, not .txt")
    assert ".png" in skipped[1]


def test_a_trained_resource_is_never_shipped_from_the_non_commercial_corpus(tmp_path: Path) -> None:
    from services.clitools import output_path

    shipped = tmp_path / "shipped.tsv.gz"
    assert output_path(Path("ant.jsonl.xz"), None, shipped) == shipped
    assert output_path(Path("saudinewsnet.jsonl.xz"), tmp_path / "x", shipped) == tmp_path / "x"
    with pytest.raises(click.ClickException, match="non-commercial"):
        output_path(Path("saudinewsnet.jsonl.xz"), None, shipped)
