"""Commit an input's offset only when every input before it on its partition has its outcome.

Faust (faust-streaming 0.11) decides what to commit in ``Consumer._new_offset`` from the offsets
the agents acknowledged. Two of its rules can commit past inputs that no agent ever saw, and the
chaos run lost articles that way around rebalances and restarts:

- a jump in the offsets it reads (``_add_gap``) is taken as offsets that do not exist, as on a
  compacted topic or after transaction markers, and counted as acknowledged;
- the check against the last committed offset lets one missing offset through (``> 1``) and is
  skipped when that offset is 0 or unknown.

With ``at_least_once`` the topics the worker reads have neither compaction nor transaction
markers, so every offset is an input. There the commit moves only over acknowledged offsets that
follow the committed one without a hole; a hole holds the partition's commit (and is logged),
and a hold that lasts (``held_commits``) makes the worker exit without committing, so that
the hole is re-delivered instead of lost. ``exactly_once`` keeps Faust's rules: transaction
markers do leave holes.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from faust.transport.consumer import Consumer
from faust.types import TP
from faust.utils.functional import consecutive_numbers

log = logging.getLogger(__name__)
HELD_LOG_INTERVAL = 30.0  # seconds between two "commit held" lines for one partition

_faust_new_offset = Consumer._new_offset
_faust_add_gap = Consumer._add_gap
_held_logged: dict[TP, float] = {}
_held_since: dict[TP, tuple[float, int]] = {}  # partition -> (since, offset held at)


def contiguous_commit(acked: list[int], committed: int | None) -> tuple[int | None, int]:
    """The offset to commit (the next one to read) and how many leading entries of the sorted
    ``acked`` it consumes. ``committed`` is the partition's committed offset (the next offset
    to read), or None when the group has none yet: then the first acknowledged offset starts.
    Entries below ``committed`` are stale (a re-delivery of what is committed) and are consumed
    without moving the commit."""
    stale = 0
    if committed is not None:
        while stale < len(acked) and acked[stale] < committed:
            stale += 1
    rest = acked[stale:]
    if not rest or (committed is not None and rest[0] != committed):
        return None, stale
    batch = next(consecutive_numbers(rest))
    return batch[-1] + 1, stale + len(batch)


def strict_new_offset(self: Any, tp: TP) -> int | None:
    acked: list[int] = self._acked[tp]
    if not acked:
        return None
    acked.sort()
    committed = self._committed_offset[tp]
    offset, used = contiguous_commit(acked, committed)
    if used:
        self._acked_index[tp].difference_update(acked[:used])
        del acked[:used]
    if offset is not None or not acked:
        _held_since.pop(tp, None)
    elif committed is not None:
        now = time.monotonic()
        if _held_since.get(tp, (0.0, -1))[1] != committed:
            _held_since[tp] = (now, committed)
        if now - _held_logged.get(tp, -HELD_LOG_INTERVAL) >= HELD_LOG_INTERVAL:
            _held_logged[tp] = now
            log.warning(
                "commit of %s[%s] held at offset %s: offsets %s to %s have no outcome yet "
                "(acknowledged up to %s); they are processed again after a restart",
                tp.topic,
                tp.partition,
                committed,
                committed,
                acked[0] - 1,
                acked[-1],
            )
    return offset


async def _no_gap(self: Any, tp: TP, offset_from: int, offset_to: int) -> None:
    log.warning(
        "%s[%s]: the fetcher skipped offsets %s to %s; they are not counted as processed",
        tp.topic,
        tp.partition,
        offset_from,
        offset_to - 1,
    )


def held_commits(consumer: Any, longer_than: float) -> list[str]:
    """Partitions of ``consumer`` whose commit has been held at one offset for longer than
    ``longer_than`` seconds, described for a log line. A hold counts only while the partition
    is still assigned, still committed at that offset and has acknowledged inputs after it."""
    now = time.monotonic()
    assigned = consumer.assignment()
    return [
        f"{tp.topic}[{tp.partition}] at offset {offset} for {now - since:.0f}s"
        for tp, (since, offset) in sorted(_held_since.items())
        if now - since > longer_than
        and tp in assigned
        and consumer._committed_offset.get(tp) == offset
        and consumer._acked.get(tp)
    ]


def install(strict: bool) -> None:
    """Use the contiguous rule (``strict``, for at_least_once) or Faust's own."""
    Consumer._new_offset = strict_new_offset if strict else _faust_new_offset  # type: ignore[method-assign]
    Consumer._add_gap = _no_gap if strict else _faust_add_gap  # type: ignore[method-assign]
