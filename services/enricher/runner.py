"""The worker process around the Faust app: a bounded shutdown and a quiet log when Kafka is gone.

``rasd worker`` runs it. After SIGTERM (or Ctrl-C) the worker stops gracefully, but never takes
longer than ``RASD_SHUTDOWN_TIMEOUT_SECONDS``: with Kafka unreachable Faust waits for its streams
and sends without end, and a worker that needs ``kill -9`` is a worker an operator cannot trust.
Inputs whose offsets were not committed are re-delivered, so the hard exit loses nothing.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import faust

log = logging.getLogger(__name__)
# Exit status when the graceful stop did not finish in time.
SHUTDOWN_TIMEOUT_EXIT = 75
# Library loggers whose warnings and errors repeat once per retry while Kafka is gone.
CHATTY_LOGGERS = ("aiokafka", "faust", "mode", "kafka")


class RepeatFilter(logging.Filter):
    """Lets the first warning or error of each kind (logger and message template) through per
    ``interval`` seconds and counts the rest; the next one let through says how many were not
    logged. Records below WARNING and records of other loggers pass untouched."""

    def __init__(
        self,
        interval: float = 30.0,
        loggers: tuple[str, ...] = CHATTY_LOGGERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.interval, self.loggers, self.clock = interval, loggers, clock
        self.last: dict[tuple[str, str], float] = {}
        self.suppressed: dict[tuple[str, str], int] = {}
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or not record.name.startswith(self.loggers):
            return True
        key = (record.name, str(record.msg))
        now = self.clock()
        with self.lock:
            last = self.last.get(key)
            if last is not None and now - last < self.interval:
                self.suppressed[key] = self.suppressed.get(key, 0) + 1
                return False
            self.last[key] = now
            count = self.suppressed.pop(key, 0)
        if count:
            record.msg = f"{record.msg} ({count} more like this in the last {self.interval:.0f}s)"
        return True


def hard_exit_after(seconds: float, exit: Callable[[int], Any] = os._exit) -> threading.Timer:
    """A timer that ends the process with ``SHUTDOWN_TIMEOUT_EXIT`` unless it is cancelled."""

    def expire() -> None:
        log.error(
            "worker did not stop within RASD_SHUTDOWN_TIMEOUT_SECONDS=%s (Kafka unreachable?); "
            "exiting now: inputs not yet committed will be processed again after a restart",
            seconds,
        )
        for handler in logging.getLogger().handlers:
            handler.flush()
        exit(SHUTDOWN_TIMEOUT_EXIT)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


class RasdWorker(faust.Worker):
    """A Faust worker whose shutdown is bounded and whose library log lines do not repeat."""

    def __init__(
        self, *args: Any, shutdown_timeout: float, repeat_interval: float = 30.0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rasd_shutdown_timeout = shutdown_timeout
        self.rasd_repeat_filter = RepeatFilter(repeat_interval)
        self.rasd_deadline: threading.Timer | None = None

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        super().on_setup_root_logger(logger, level)
        for handler in logger.handlers:
            handler.addFilter(self.rasd_repeat_filter)

    def _schedule_shutdown(self, signum: signal.Signals) -> None:
        if self.rasd_deadline is None:
            self.rasd_deadline = hard_exit_after(self.rasd_shutdown_timeout)
        super()._schedule_shutdown(signum)
