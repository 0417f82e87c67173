"""JSON Schema export of the event models: ``schemas/<event>.<version>.json``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from services.contracts.events import EVENT_MODELS, SCHEMA_VERSION


def schema_filename(name: str) -> str:
    return f"{name}.{SCHEMA_VERSION}.json"


def json_schemas() -> dict[str, dict[str, Any]]:
    """Every event's JSON Schema, keyed by file name."""
    out: dict[str, dict[str, Any]] = {}
    for name, model in EVENT_MODELS.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"urn:rasd:schema:{name}:{SCHEMA_VERSION}"
        out[schema_filename(name)] = schema
    return out


def render(schema: dict[str, Any]) -> bytes:
    return orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, schema in json_schemas().items():
        path = folder / filename
        path.write_bytes(render(schema))
        written.append(path)
    return written


def stale_schemas(folder: Path) -> list[str]:
    """File names under ``folder`` that are missing or differ from the models."""
    return [
        filename
        for filename, schema in json_schemas().items()
        if not (folder / filename).is_file() or (folder / filename).read_bytes() != render(schema)
    ]
