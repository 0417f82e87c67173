"""Settings, read from the environment (prefix ``RASD_``) in this one module.

Every setting has a default that works against the local broker started by ``ops/kafka``;
``rasd config`` prints the effective values.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_KAFKA_PORT = 9092


class Guarantee(StrEnum):
    AT_LEAST_ONCE = "at_least_once"
    EXACTLY_ONCE = "exactly_once"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RASD_", frozen=True, extra="ignore")

    kafka_port: int = Field(
        DEFAULT_KAFKA_PORT,
        ge=0,
        le=65535,
        description="Port of the local broker (`ops/kafka/kafka.sh`, `rasd demo`); the clients "
        "connect to `localhost:PORT` unless RASD_KAFKA_BOOTSTRAP is set. `auto` or 0: a free "
        "port chosen at start (then set RASD_KAFKA_BOOTSTRAP to the address printed)",
    )
    kafka_bootstrap: str = Field(
        f"localhost:{DEFAULT_KAFKA_PORT}",
        description="Kafka bootstrap servers, host:port[,..]; unset: `localhost:RASD_KAFKA_PORT`",
    )
    app_id: str = Field("rasd", description="Faust app id; also the consumer group id")
    topic_raw: str = Field("articles.raw", description="Raw articles (the clean stage's input)")
    topic_clean: str = Field(
        "articles.clean", description="Clean articles (the extract stage's input)"
    )
    topic_enriched: str = Field("articles.enriched", description="Enriched articles")
    topic_entities: str = Field("articles.entities", description="One event per article and entity")
    topic_claims: str = Field("articles.claims", description="One event per claim")
    topic_dlq: str = Field("articles.dlq", description="Dead letters")
    topic_partitions: int = Field(4, ge=1, description="Partitions of topics the worker creates")
    topic_replication_factor: int = Field(
        1,
        ge=1,
        description="Replicas of the topics the worker creates, its own internal topics "
        "(changelog, assignor) included; 3 on a production cluster of 3 or more brokers",
    )
    processing_guarantee: Guarantee = Field(
        Guarantee.AT_LEAST_ONCE, description="or `exactly_once` (Kafka transactions)"
    )
    web_host: str = Field("127.0.0.1", description="Worker HTTP (metrics, health) bind address")
    web_port: int = Field(6066, ge=0, le=65535, description="Worker HTTP port: /metrics lives here")
    data_dir: Path = Field(Path(".cache/faust"), description="Faust table state")
    log_level: str = Field("info", description="Worker log level (debug, info, warning, error)")
    source: str = Field(
        "urn:rasd",
        description="CloudEvents `ce_source` of the events the worker emits (not the outlet)",
    )
    metrics_sources: str = Field(
        "",
        description="Outlets (comma-separated `source` values) whose metric series exist from "
        "start-up",
    )
    metrics_max_sources: int = Field(
        20,
        ge=0,
        description="Other outlets that get their own `source` label when first seen; later "
        "ones count as `other`",
    )
    max_content_bytes: int = Field(
        1_000_000,
        ge=1,
        description="Larger raw values are not processed: dead-lettered as a reference (topic, "
        "partition, offset, size, sha256, preview), not copied; at most RASD_MAX_MESSAGE_BYTES",
    )
    max_content_lines: int = Field(
        20_000,
        ge=1,
        description="Raw contents with more lines are dead-lettered (too_large) before cleaning, "
        "whose time grows with the line count",
    )
    max_message_bytes: int = Field(
        1_000_000,
        ge=65_536,
        description="Largest event the worker writes (value, key and headers); an input whose "
        "events would be larger is dead-lettered as a reference. At most the broker's and "
        "topics' message.max.bytes, checked at start-up",
    )
    item_events: bool = Field(
        True,
        description="Also one event per entity and per claim on RASD_TOPIC_ENTITIES and "
        "RASD_TOPIC_CLAIMS (about 20 messages an article). `false` when consumers read only "
        "articles.enriched, which holds them all: see Capacity",
    )
    producer_batch_bytes: int = Field(
        512_000, ge=16_384, le=1_000_000, description="Producer batch size per partition (bytes)"
    )
    producer_linger_ms: float = Field(
        2.0, ge=0, description="How long the producer waits to fill a batch (ms)"
    )
    session_timeout_seconds: float = Field(
        10.0,
        ge=6.0,
        le=300.0,
        description="Consumer group session timeout: after a crash the worker's partitions move "
        "to the others (or to it, restarted) within this",
    )
    group_instance_id: str = Field(
        "",
        description="Static group membership (Kafka group.instance.id, unique per worker): a "
        "restarted worker takes its partitions back without a rebalance; empty: dynamic",
    )
    shutdown_timeout_seconds: float = Field(
        20.0,
        gt=0,
        description="After SIGTERM or Ctrl-C the worker exits within this even if Kafka is "
        "unreachable (uncommitted inputs are re-delivered)",
    )
    connect_timeout_seconds: float = Field(
        30.0,
        ge=0,
        description="How long `rasd worker` waits for Kafka at start-up (retrying with backoff) "
        "before it gives up",
    )
    send_timeout_seconds: float = Field(
        120.0,
        gt=0,
        description="How long the worker retries writing an input's events while Kafka is "
        "unreachable; then it exits (status 70) without committing that input",
    )
    web_debug: bool = Field(
        False,
        description="Also serve Faust's own pages (/router, /table with table contents, "
        "/graph, stats); off: only /metrics and /health",
    )
    dedup_horizon_hours: float = Field(
        72.0, gt=0, description="Articles seen longer ago than this are not duplicate candidates"
    )
    ner_backend: Literal["crf", "camelbert"] = Field(
        "crf",
        description="Entity tagger: crf (shipped) or camelbert (needs torch, transformers and "
        "the camel-tools NER data, which Rasd does not install)",
    )
    clean_labeller: bool = Field(
        True,
        description="Cleaning decided by the learned page-line labeller over the rules' verdicts; "
        "false: the rules alone (about 3x faster, removes far less boilerplate)",
    )

    @field_validator("kafka_port", mode="before")
    @classmethod
    def _auto_port(cls, value: Any) -> Any:
        return 0 if isinstance(value, str) and value.strip().lower() == "auto" else value

    @model_validator(mode="before")
    @classmethod
    def _bootstrap_from_port(cls, data: Any) -> Any:
        """Without RASD_KAFKA_BOOTSTRAP the clients go where RASD_KAFKA_PORT put the broker."""
        if isinstance(data, dict) and "kafka_port" in data and not data.get("kafka_bootstrap"):
            port = cls._auto_port(data["kafka_port"])
            if str(port).isdigit() and int(port) > 0:
                data = {**data, "kafka_bootstrap": f"localhost:{int(port)}"}
        return data

    @model_validator(mode="after")
    def _limits_fit(self) -> Settings:
        if self.max_content_bytes > self.max_message_bytes:
            raise ValueError(
                f"RASD_MAX_CONTENT_BYTES={self.max_content_bytes} is larger than "
                f"RASD_MAX_MESSAGE_BYTES={self.max_message_bytes}: every such input would make "
                "an event too large to write; lower RASD_MAX_CONTENT_BYTES"
            )
        return self

    @property
    def metric_sources(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.metrics_sources.split(",") if s.strip())

    @property
    def output_topics(self) -> tuple[str, ...]:
        return (
            self.topic_clean,
            self.topic_enriched,
            self.topic_entities,
            self.topic_claims,
            self.topic_dlq,
        )


def run_settings(run: str, **fields: object) -> Settings:
    """Settings of one isolated run (tests, bench, chaos): app id rasd-RUN, topics RUN.raw and so
    on, then ``fields``."""
    topics = ("raw", "clean", "enriched", "entities", "claims", "dlq")
    names: dict[str, object] = {"app_id": f"rasd-{run}"}
    names.update({f"topic_{topic}": f"{run}.{topic}" for topic in topics})
    return Settings.model_validate({**names, **fields})


@cache
def get_settings() -> Settings:
    return Settings()


def settings_table() -> list[str]:
    """The README's configuration table: one row per setting, from the fields of ``Settings``.

    ``rasd config --markdown`` prints it; a unit test fails when the README's copy differs.
    """
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default.value if isinstance(field.default, StrEnum) else field.default
        rows.append(f"| `RASD_{name.upper()}` | `{default}` | {field.description or ''} |")
    return rows
