"""Keep Faust from committing offsets that no agent processed (``at_least_once``).

Faust (faust-streaming 0.11) commits the offsets its agents acknowledged, and two of its habits
let an offset be committed for an input no agent ever saw; the chaos run lost articles through
both:

- **Offsets past dropped inputs.** On a rebalance Faust clears the events it had fetched but not
  yet handed to an agent, yet a worker that keeps a partition goes on fetching after them: the
  agent received offset 13 after 10, acknowledged it, and Faust committed 14. ``InOrder`` tells
  an agent when an event does not follow the last one it processed on that partition; the agent
  then rewinds the partition and leaves the event unacknowledged.
- **Gaps counted as processed.** A jump in the offsets Faust reads (``Consumer._add_gap``) is
  taken as offsets that do not exist, as on a compacted topic or after transaction markers, and
  counted as acknowledged. The topics a worker reads have neither in ``at_least_once``, so there
  ``install(strict=True)`` logs such a jump and counts nothing. ``exactly_once`` keeps Faust's
  rule: transaction markers do leave holes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from faust.transport.consumer import Consumer
from faust.types import TP

log = logging.getLogger(__name__)

_faust_add_gap = Consumer._add_gap


async def _no_gap(self: Any, tp: TP, offset_from: int, offset_to: int) -> None:
    log.warning(
        "%s[%s]: the fetcher skipped offsets %s to %s; they are not counted as processed",
        tp.topic,
        tp.partition,
        offset_from,
        offset_to - 1,
    )


def install(strict: bool) -> None:
    """Count fetch gaps as nothing (``strict``, for at_least_once) or as processed (Faust)."""
    Consumer._add_gap = _no_gap if strict else _faust_add_gap  # type: ignore[method-assign]


class InOrder:
    """The offset due next on each partition this worker processed, kept across rebalances.

    The first event of a partition is taken where Faust starts it (the committed offset). After
    that, an offset past the one due means Faust dropped the events between; a partition that
    went to another worker and came back is rewound as well, which costs re-deliveries only.
    """

    def __init__(self, every: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.due: dict[TP, int] = {}
        self.rewound: dict[tuple[TP, int], float] = {}
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
        if now - self.rewound.get((tp, due), -1e9) < self.every:
            return None
        self.rewound[(tp, due)] = now
        return due
