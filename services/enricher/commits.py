"""Keep Faust from committing offsets that no agent processed (``at_least_once``).

Faust (faust-streaming 0.11) commits the offsets its agents acknowledged. The chaos run lost
articles through four of its habits, found with logs of every write and commit:

- It acknowledges an event when the agent's iteration ends, also when a stop cancels the agent
  in the middle of writing. The agents acknowledge by hand, after the write (``app.py``).
- When it (re)starts a partition it fetches before it seeks, drops what it fetched, and seeks
  to the committed offset only when that offset is above 0 (aiokafka's ``seek_to_committed``):
  a partition the group had not committed yet went on from past the dropped events (a worker
  restarted after a SIGKILL got offset 17 first, 0 to 16 were never processed, and Faust
  committed 18). ``install`` seeks such a partition to its first offset and records that as
  its committed offset.
- Its commit rule lets one missing offset through, and none when the committed offset is 0 or
  unknown. ``strict_new_offset`` commits only over acknowledged offsets that follow the
  committed one without a hole.
- A jump in the offsets it reads (``_add_gap``) is taken as offsets that do not exist, as on a
  compacted topic, and counted as acknowledged; here it is logged and counts as nothing.

``InOrder`` is the agents' own check on top: an event past the one after the last processed on
its partition is not processed, and the partition is rewound.

``exactly_once`` cannot use the contiguous rule or the check: transaction markers take offsets,
so holes are normal there. It commits up to the last acknowledged offset
(``latest_new_offset``), with the same seek at partition start.

Under ``exactly_once`` a commit also commits the open transactions, with every event sent into
them so far. Faust commits on a timer, between any two awaits of an agent, so an input whose
events were sent but not yet acknowledged had them made visible without its offset, and a
restart emitted them again. ``outcome_written`` makes writing an outcome and acknowledging its
input one step that a commit waits for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from faust.transport.consumer import Consumer
from faust.types import TP
from faust.utils.functional import consecutive_numbers

log = logging.getLogger(__name__)

_faust_add_gap = Consumer._add_gap
_faust_perform_seek = Consumer.perform_seek
_faust_commit_tps = Consumer._commit_tps
_inputs: set[str] = set()  # the topics the agents read
_atomic: asyncio.Lock | None = None  # exactly_once: an outcome and its ack, or a commit


def outcome_written() -> contextlib.AbstractAsyncContextManager[Any]:
    """Hold while writing an input's outcome and acknowledging it (see the module's note)."""
    return _atomic if _atomic is not None else contextlib.nullcontext()


async def _commit_between_outcomes(
    self: Any, tps: Iterable[TP], start_new_transaction: bool
) -> bool:
    async with outcome_written():
        committed: bool = await _faust_commit_tps(self, tps, start_new_transaction)
        return committed


def contiguous_commit(acked: list[int], committed: int | None) -> tuple[int | None, int]:
    """The offset to commit (the next one to read) and how many leading entries of the sorted
    ``acked`` it consumes. ``committed`` is the partition's committed offset (the next offset
    to read), or None when unknown: then the first acknowledged offset starts. Entries below
    ``committed`` are re-deliveries of what is committed: consumed, the commit does not move."""
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
    """``Consumer._new_offset`` with the contiguous rule."""
    acked: list[int] = self._acked[tp]
    if not acked:
        return None
    acked.sort()
    offset, used = contiguous_commit(acked, self._committed_offset[tp])
    if used:
        self._acked_index[tp].difference_update(acked[:used])
        del acked[:used]
    return offset


def latest_new_offset(self: Any, tp: TP) -> int | None:
    """``Consumer._new_offset`` for exactly_once: the offset after the last acknowledged one.

    Faust's rule returns nothing while the first acknowledged offset is more than one past the
    committed one, which transaction markers make the normal case on the clean topic. The
    partitions of the raw and clean topics share a transaction (Faust names it by topic group
    and partition), so a commit carried the raw offsets and the extract stage's events while
    the clean offset stayed behind, and a restart emitted those events again. An agent reads
    its partition in order and ``_seek_from_the_start`` keeps the start from skipping, so the
    last acknowledged offset stands for everything before it.
    """
    acked: list[int] = self._acked[tp]
    if not acked:
        return None
    last = max(acked)
    acked.clear()
    self._acked_index[tp].clear()
    committed = self._committed_offset[tp]
    return last + 1 if committed is None or last + 1 > committed else None


async def _no_gap(self: Any, tp: TP, offset_from: int, offset_to: int) -> None:
    log.warning(
        "%s[%s]: the fetcher skipped offsets %s to %s; they are not counted as processed",
        tp.topic,
        tp.partition,
        offset_from,
        offset_to - 1,
    )


async def _seek_from_the_start(self: Any) -> None:
    """Faust's seek to the committed offsets, then every input partition the group has not
    committed (or committed at 0) to its first offset, which becomes its committed offset."""
    await _faust_perform_seek(self)
    fresh = [
        tp
        for tp in self.assignment()
        if tp.topic in _inputs and self._committed_offset.get(tp) is None
    ]
    if not fresh:
        return
    starts = await self.earliest_offsets(*fresh)
    for tp in fresh:
        start = starts.get(tp)
        if start is not None:
            await self.seek(tp, start)
            self._committed_offset[tp] = start


def transaction_of(app: Any, tp: TP) -> str:
    """The transactional id whose commit carries ``tp``'s offsets (Faust's naming)."""
    return f"{app.conf.id}-{app.assignor.group_for_topic(tp.topic)}-{tp.partition}"


def install(strict: bool, inputs: set[str]) -> None:
    """Use the rules above for the agents' input topics: ``strict`` for at_least_once, or the
    exactly_once ones."""
    global _atomic
    _inputs.clear()
    _inputs.update(inputs)
    _atomic = None if strict else asyncio.Lock()
    Consumer._commit_tps = _faust_commit_tps if strict else _commit_between_outcomes  # type: ignore[method-assign]
    Consumer._add_gap = _no_gap if strict else _faust_add_gap  # type: ignore[method-assign]
    Consumer._new_offset = strict_new_offset if strict else latest_new_offset  # type: ignore[method-assign]
    Consumer.perform_seek = _seek_from_the_start  # type: ignore[method-assign]


class InOrder:
    """The offset due next on each partition this worker processed, kept across rebalances.

    The first event of a partition is taken where Faust starts it (the committed offset). After
    that, an offset past the one due means Faust dropped the events between; a partition that
    went to another worker and came back is rewound as well, which costs re-deliveries only.
    """

    def __init__(self, every: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.due: dict[TP, int] = {}
        self.rewound: dict[TP, tuple[int, float]] = {}  # the last rewind: (to, when)
        self.every, self.clock = every, clock

    def follows(self, tp: TP, offset: int) -> bool:
        """Whether ``offset`` may be processed: the first one seen on the partition, a
        re-delivery (before the one due), or the one due."""
        due = self.due.get(tp)
        return due is None or offset <= due

    def processed(self, tp: TP, offset: int) -> None:
        self.due[tp] = offset + 1

    def rewind_to(self, tp: TP) -> int | None:
        """After an offset past the one due: the offset to rewind the partition to, or None
        when it was rewound there less than ``every`` seconds ago (events fetched before the
        rewind are still arriving)."""
        due = self.due[tp]
        now = self.clock()
        to, when = self.rewound.get(tp, (-1, -1e9))
        if to == due and now - when < self.every:
            return None
        self.rewound[tp] = (due, now)
        return due
