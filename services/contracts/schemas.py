"""JSON Schema export of the event models: ``schemas/<event>.<version>.json``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from services.contracts.events import EVENT_MODELS, SCHEMA_VERSION
from services.contracts.ids import UNKNOWN_SOURCE


def schema_filename(name: str) -> str:
    return f"{name}.{SCHEMA_VERSION}.json"


# Fields a producer may leave out of an event, with what the pipeline fills in
# (services/contracts/ids.py): the worker completes article.raw values before validating them.
FILLED_IN: dict[str, dict[str, str]] = {
    "article.raw": {
        "id": "The worker derives it the way rasd publish does (url, else content).",
        "source": f"The worker sets '{UNKNOWN_SOURCE}' when absent.",
    },
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """Every event's JSON Schema, keyed by file name."""
    out: dict[str, dict[str, Any]] = {}
    for name, model in EVENT_MODELS.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"urn:rasd:schema:{name}:{SCHEMA_VERSION}"
        for field, filled in FILLED_IN.get(name, {}).items():
            schema["required"].remove(field)
            schema["properties"][field]["description"] = (
                f"{schema['properties'][field].get('description', '')} {filled}".strip()
            )
        out[schema_filename(name)] = schema
    return out


# Default topic of each event (the enricher's settings can rename topics; the events stay).
TOPICS: dict[str, tuple[str, str]] = {
    "articles.raw": ("article.raw", "Raw articles from producers; the clean agent's input."),
    "articles.clean": ("article.clean", "Clean title and body; the extract agent's input."),
    "articles.enriched": ("article.enriched", "Clean articles with entities and claims."),
    "articles.entities": ("entity", "One event per (article, entity)."),
    "articles.claims": ("claim", "One event per claim."),
    "articles.dlq": ("deadletter", "Inputs that could not be processed, with the reason."),
}


def asyncapi() -> dict[str, Any]:
    """AsyncAPI 3 description of Rasd's topics, pointing at the JSON Schema files."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic, (event, description) in TOPICS.items():
        key = topic.replace(".", "_")
        channels[key] = {
            "address": topic,
            "description": description + " Key: article id. CloudEvents binary-mode headers.",
            "messages": {
                event: {
                    "contentType": "application/json",
                    "payload": {"$ref": f"./{schema_filename(event)}"},
                    "headers": {
                        "type": "object",
                        "properties": {
                            "ce_type": {"const": f"rasd.{event}.{SCHEMA_VERSION}"},
                            "ce_specversion": {"const": "1.0"},
                            "ce_id": {"type": "string"},
                            "ce_source": {"type": "string"},
                            "ce_time": {"type": "string", "format": "date-time"},
                            "ce_subject": {"type": "string", "description": "article id"},
                        },
                    },
                }
            },
        }
        action = "receive" if topic == "articles.raw" else "send"
        operations[f"{action}_{key}"] = {"action": action, "channel": {"$ref": f"#/channels/{key}"}}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Rasd",
            "version": SCHEMA_VERSION,
            "description": "Arabic news articles in, structured events out.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
    }


def generated_files() -> dict[str, dict[str, Any]]:
    """Every file under schemas/: one JSON Schema per event, and the AsyncAPI document."""
    return {**json_schemas(), "asyncapi.json": asyncapi()}


def render(schema: dict[str, Any]) -> bytes:
    return orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, schema in generated_files().items():
        path = folder / filename
        path.write_bytes(render(schema))
        written.append(path)
    return written


def stale_schemas(folder: Path) -> list[str]:
    """File names under ``folder`` that are missing or differ from the models."""
    return [
        filename
        for filename, schema in generated_files().items()
        if not (folder / filename).is_file() or (folder / filename).read_bytes() != render(schema)
    ]
