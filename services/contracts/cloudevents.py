"""CloudEvents 1.0 binary-mode Kafka headers (``ce_*``) for Rasd events.

In binary mode the event body is the Kafka value as is and the CloudEvents attributes travel as
headers, so consumers that know nothing of CloudEvents still read plain JSON.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from services.contracts.events import SCHEMA_VERSION

SPEC_VERSION = "1.0"
SOURCE = "urn:rasd"
CONTENT_TYPE = "application/json"

Headers = list[tuple[str, bytes]]


def event_type(name: str) -> str:
    """``article.enriched`` -> ``rasd.article.enriched.v1``."""
    return f"rasd.{name}.{SCHEMA_VERSION}"


def event_id(name: str, subject: str, body: bytes) -> str:
    """Deterministic id: the same event re-sent after a retry carries the same id (idempotence)."""
    digest = hashlib.sha256(b"\0".join((name.encode(), subject.encode(), body))).hexdigest()
    return digest[:32]


@dataclass(frozen=True, slots=True)
class CloudEvent:
    id: str
    type: str
    source: str
    subject: str
    time: str
    specversion: str = SPEC_VERSION
    datacontenttype: str = CONTENT_TYPE


def make_headers(
    name: str,
    subject: str,
    body: bytes,
    *,
    source: str = SOURCE,
    time: datetime | None = None,
    identity: bytes | None = None,
) -> Headers:
    """Headers for an event ``name`` about article ``subject`` whose value is ``body``.

    ``ce_id`` is derived from ``identity`` when given (the body without a field that changes
    on every attempt, such as a dead letter's ``occurred_at``), else from ``body``.
    """
    moment = (time or datetime.now(UTC)).isoformat().replace("+00:00", "Z")
    return [
        ("ce_specversion", SPEC_VERSION.encode()),
        ("ce_id", event_id(name, subject, body if identity is None else identity).encode()),
        ("ce_source", source.encode()),
        ("ce_type", event_type(name).encode()),
        ("ce_time", moment.encode()),
        ("ce_subject", subject.encode()),
        ("content-type", CONTENT_TYPE.encode()),
    ]


def read_headers(
    headers: Iterable[tuple[str, bytes]] | Mapping[str, bytes] | None,
) -> dict[str, str]:
    """Kafka headers as a plain ``{name: text}`` dict (last value wins)."""
    items = headers.items() if isinstance(headers, Mapping) else (headers or [])
    return {k: (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)) for k, v in items}


def parse_time(headers: Mapping[str, str]) -> datetime | None:
    """The ``ce_time`` of an event, if present and well formed."""
    raw = headers.get("ce_time")
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
