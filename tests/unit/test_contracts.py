"""Contracts: committed schemas match the models; headers follow CloudEvents binary mode."""

from __future__ import annotations

from services.contracts.cloudevents import make_headers, read_headers
from services.contracts.schemas import stale_schemas
from tests.conftest import REPO


def test_committed_schemas_match_the_models() -> None:
    assert stale_schemas(REPO / "schemas") == [], "run `uv run rasd schemas` and commit the result"


def test_cloudevents_headers_are_complete_and_deterministic() -> None:
    first = read_headers(make_headers("article.enriched", "a1", b"{}"))
    again = read_headers(make_headers("article.enriched", "a1", b"{}"))
    assert first["ce_specversion"] == "1.0"
    assert first["ce_type"] == "rasd.article.enriched.v1"
    assert first["ce_subject"] == "a1"
    assert first["content-type"] == "application/json"
    assert first["ce_id"] == again["ce_id"]
    assert read_headers(make_headers("article.enriched", "a1", b"{ }"))["ce_id"] != first["ce_id"]
