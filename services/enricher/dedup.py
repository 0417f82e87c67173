"""Duplicate marking against recently seen articles, over any mutable mapping (a Faust table in
the worker, a dict in tests and offline runs)."""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from services.arabic.dedup import NEAR_DUPLICATE, band_keys, signature, similarity


@dataclass(frozen=True, slots=True)
class Duplicate:
    of: str  # id of the article seen first
    kind: str  # exact | near


class DuplicateIndex:
    """Remembers articles by content hash (exact) and MinHash bands (near).

    Entries older than ``horizon_seconds`` are ignored, so "recently seen" has a bound even
    though the table keeps them until compaction.
    """

    def __init__(self, table: MutableMapping[str, Any], horizon_seconds: float) -> None:
        self.table = table
        self.horizon = horizon_seconds

    def check_and_remember(self, article_id: str, content_hash: str, text: str) -> Duplicate | None:
        now = time.time()
        exact = self._fresh(self.table.get(f"h:{content_hash}"), now)
        if exact is not None and exact["id"] != article_id:
            return Duplicate(exact["id"], "exact")
        sig = signature(text)
        keys = band_keys(sig)
        for key in keys:
            seen = self._fresh(self.table.get(f"b:{key}"), now)
            if seen is None or seen["id"] == article_id:
                continue
            other = self.table.get(f"s:{seen['id']}")
            if other is not None and similarity(sig, tuple(other)) >= NEAR_DUPLICATE:
                return Duplicate(seen["id"], "near")
        entry = {"id": article_id, "at": now}
        self.table[f"h:{content_hash}"] = entry
        if keys:
            self.table[f"s:{article_id}"] = list(sig)  # once, not once per band
        for key in keys:
            self.table[f"b:{key}"] = entry
        return None

    def _fresh(self, entry: Any, now: float) -> dict[str, Any] | None:
        if not isinstance(entry, dict) or now - float(entry.get("at", 0)) > self.horizon:
            return None
        return entry
