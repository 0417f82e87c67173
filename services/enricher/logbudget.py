"""A log-line budget: at most ``lines`` lines per ``interval`` seconds, then a count of the rest.

The worker logs one line per dead letter; a flood of bad input must not flood the log with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class LogBudget:
    def __init__(
        self, lines: int = 10, interval: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.lines, self.interval, self.clock = lines, interval, clock
        self.window_start = clock()
        self.used = 0
        self.suppressed = 0

    def take(self) -> tuple[bool, int]:
        """(may this line be logged, lines suppressed since the last one logged)."""
        now = self.clock()
        if now - self.window_start >= self.interval:
            self.window_start, self.used = now, 0
        if self.used >= self.lines:
            self.suppressed += 1
            return False, 0
        self.used += 1
        suppressed, self.suppressed = self.suppressed, 0
        return True, suppressed
