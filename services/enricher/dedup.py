"""Duplicate marking against recently seen articles, over any mutable mapping (a Faust table in
the worker, a dict in tests and offline runs)."""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from services.arabic.dedup import NEAR_DUPLICATE, band_keys, signature, similarity


@dataclass(frozen=True, slots=True)
class Duplicate:
    of: str  # id of the article seen first
    kind: str  # exact | near


class DuplicateIndex:
    """Remembers articles by content hash (exact) and MinHash bands (near).

    Entries older than ``horizon_seconds`` are ignored, and deleted by a sweep at most every
    ``sweep_seconds`` (a tenth of the horizon, at most ten minutes), so the table holds about a
    horizon's worth of articles instead of growing for ever (a Faust table's deletes are
    tombstones its compacted changelog drops).
    """

    def __init__(
        self,
        table: MutableMapping[str, Any],
        horizon_seconds: float,
        clock: Callable[[], float] = time.time,
        sweep_seconds: float | None = None,
    ) -> None:
        self.table = table
        self.horizon = horizon_seconds
        self.clock = clock
        self.sweep_every = (
            sweep_seconds if sweep_seconds is not None else min(horizon_seconds / 10, 600.0)
        )
        self.swept_at = clock()

    def check_and_remember(self, article_id: str, content_hash: str, text: str) -> Duplicate | None:
        now = self.clock()
        if now - self.swept_at >= self.sweep_every:
            self.expire(now)
        exact = self._fresh(self.table.get(f"h:{content_hash}"), now)
        if exact is not None and exact["id"] != article_id:
            return Duplicate(exact["id"], "exact")
        sig = signature(text)
        keys = band_keys(sig)
        for key in keys:
            seen = self._fresh(self.table.get(f"b:{key}"), now)
            if seen is None or seen["id"] == article_id:
                continue
            other = _signature(self.table.get(f"s:{seen['id']}"))
            if other is not None and similarity(sig, other) >= NEAR_DUPLICATE:
                return Duplicate(seen["id"], "near")
        entry = {"id": article_id, "at": now}
        self.table[f"h:{content_hash}"] = entry
        if keys:
            self.table[f"s:{article_id}"] = {"sig": list(sig), "at": now}  # once, not per band
        for key in keys:
            self.table[f"b:{key}"] = entry
        return None

    def expire(self, now: float | None = None) -> int:
        """Delete the entries older than the horizon; returns how many were deleted."""
        now = self.clock() if now is None else now
        self.swept_at = now
        stale = [key for key, entry in list(self.table.items()) if self._stale(entry, now)]
        for key in stale:
            self.table.pop(key, None)
        return len(stale)

    def _stale(self, entry: Any, now: float) -> bool:
        # A signature stored as a bare list (before entries had a time) counts as stale.
        at = entry.get("at", 0) if isinstance(entry, dict) else 0
        return now - float(at) > self.horizon

    def _fresh(self, entry: Any, now: float) -> dict[str, Any] | None:
        if not isinstance(entry, dict) or now - float(entry.get("at", 0)) > self.horizon:
            return None
        return entry


def _signature(entry: Any) -> tuple[int, ...] | None:
    if isinstance(entry, dict) and isinstance(entry.get("sig"), list):
        return tuple(entry["sig"])
    if isinstance(entry, list):
        return tuple(entry)
    return None
