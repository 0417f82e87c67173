"""Small parts of the worker: the dead-letter log budget and what a bare article value gets."""

from __future__ import annotations

import pytest

from services.contracts.events import RawArticle
from services.contracts.ids import complete_raw, derive_id
from services.enricher.logbudget import LogBudget
from services.enricher.pipeline import DeadLetterError, decode
from services.enricher.settings import Settings
from services.enricher.topics import new_topics


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_log_budget_allows_so_many_lines_per_interval_then_counts_the_rest() -> None:
    clock = Clock()
    budget = LogBudget(2, 60.0, clock)
    assert [budget.take() for _ in range(5)] == [
        (True, 0),
        (True, 0),
        (False, 0),
        (False, 0),
        (False, 0),
    ]
    clock.now = 59.9
    assert budget.take() == (False, 0)
    clock.now = 60.0
    assert budget.take() == (True, 4), "the first line of a new minute reports the lines not logged"
    assert budget.take() == (True, 0)
    assert budget.take() == (False, 0)


def test_a_bare_content_value_is_completed_like_rasd_publish_would() -> None:
    content = "قال الوزير إن الاجتماع كان مثمرا."
    article = decode(f'{{"content": "{content}"}}'.encode(), RawArticle, prepare=complete_raw)
    assert article.id == derive_id(None, content)
    assert article.source == "unknown"
    with_url = complete_raw({"content": content, "url": " https://e.com/a ", "source": "bbc"})
    assert with_url["id"] == derive_id("https://e.com/a", content)
    assert with_url["source"] == "bbc"
    kept = complete_raw({"content": content, "id": "mine", "source": "x"})
    assert (kept["id"], kept["source"]) == ("mine", "x")


@pytest.mark.parametrize("value", [b'{"id": "x", "source": "t"}', b'{"content": "  "}', b"[1]"])
def test_values_without_content_are_still_schema_violations(value: bytes) -> None:
    with pytest.raises(DeadLetterError) as caught:
        decode(value, RawArticle, prepare=complete_raw)
    assert caught.value.kind == "schema_violation"


def test_the_raw_schema_requires_only_what_the_worker_cannot_fill_in() -> None:
    import jsonschema
    import orjson

    from tests.conftest import REPO

    schema = orjson.loads((REPO / "schemas" / "article.raw.v1.json").read_bytes())
    jsonschema.validate({"content": "قال الوزير إن الاجتماع كان مثمرا."}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x", "source": "t"}, schema)
    clean = orjson.loads((REPO / "schemas" / "article.clean.v1.json").read_bytes())
    assert {"id", "source", "content"} <= set(clean["required"]), "downstream events stay complete"


def test_topics_are_created_with_the_configured_partitions_and_replicas() -> None:
    settings = Settings(topic_partitions=8, topic_replication_factor=3)
    [topic] = new_topics(settings, ["articles.raw"])
    assert (topic.name, topic.num_partitions, topic.replication_factor) == ("articles.raw", 8, 3)
