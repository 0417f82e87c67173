"""Settings, read from the environment (prefix ``RASD_``) in this one module.

Every setting has a default that works against the local broker started by ``ops/kafka``;
``rasd config`` prints the effective values.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Guarantee(StrEnum):
    AT_LEAST_ONCE = "at_least_once"
    EXACTLY_ONCE = "exactly_once"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RASD_", frozen=True, extra="ignore")

    kafka_bootstrap: str = Field(
        "localhost:9092", description="Kafka bootstrap servers, host:port[,..]"
    )
    app_id: str = Field("rasd", description="Faust app id; also the consumer group id")
    topic_raw: str = "articles.raw"
    topic_clean: str = "articles.clean"
    topic_enriched: str = "articles.enriched"
    topic_entities: str = "articles.entities"
    topic_claims: str = "articles.claims"
    topic_dlq: str = "articles.dlq"
    topic_partitions: int = Field(4, ge=1, description="Partitions for topics the app creates")
    processing_guarantee: Guarantee = Guarantee.AT_LEAST_ONCE
    web_host: str = Field("127.0.0.1", description="Worker HTTP (metrics, health) bind address")
    web_port: int = Field(6066, ge=0, le=65535, description="Worker HTTP port: /metrics lives here")
    data_dir: Path = Field(Path(".cache/faust"), description="Faust table state (RocksDB/memory)")
    log_level: str = "info"
    source: str = Field("urn:rasd", description="CloudEvents ce_source of emitted events")
    max_content_bytes: int = Field(
        2_000_000, ge=1, description="Larger raw values are dead-lettered"
    )
    producer_batch_bytes: int = Field(
        512_000, ge=16_384, le=1_000_000, description="Producer batch size per partition (bytes)"
    )
    producer_linger_ms: float = Field(
        2.0, ge=0, description="How long the producer waits to fill a batch (ms)"
    )
    dedup_horizon_hours: float = Field(
        72.0, gt=0, description="Articles seen longer ago than this are not duplicate candidates"
    )
    ner_backend: Literal["crf", "camelbert"] = Field(
        "crf",
        description="Entity tagger: crf (shipped) or camelbert (needs torch, transformers and "
        "the camel-tools NER data, which Rasd does not install)",
    )

    @property
    def output_topics(self) -> tuple[str, ...]:
        return (
            self.topic_clean,
            self.topic_enriched,
            self.topic_entities,
            self.topic_claims,
            self.topic_dlq,
        )


@cache
def get_settings() -> Settings:
    return Settings()
