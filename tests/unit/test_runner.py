"""The worker process: repeated library warnings logged once per interval; a bounded shutdown."""

from __future__ import annotations

import logging
import threading

from services.enricher.runner import SHUTDOWN_TIMEOUT_EXIT, RepeatFilter, hard_exit_after


def record(name: str, msg: str, level: int = logging.ERROR, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_a_repeated_library_error_is_logged_once_per_interval_with_a_count() -> None:
    now = [0.0]
    quiet = RepeatFilter(interval=30.0, clock=lambda: now[0])
    passed = []
    for second in range(300):  # ten attempts a second for 30 s, as while Kafka is down
        now[0] = second / 10
        passed.append(quiet.filter(record("aiokafka", "Unable connect to node %s", 40, second)))
    assert sum(passed) == 1
    now[0] = 31.0
    again = record("aiokafka", "Unable connect to node %s", logging.ERROR, 1)
    assert quiet.filter(again)
    assert again.getMessage() == "Unable connect to node 1 (299 more like this in the last 30s)"


def test_other_records_pass_untouched() -> None:
    quiet = RepeatFilter(interval=30.0, clock=lambda: 0.0)
    assert all(quiet.filter(record("services.enricher.app", "dead letter")) for _ in range(5))
    assert all(quiet.filter(record("aiokafka", "info", logging.INFO)) for _ in range(5))
    assert quiet.filter(record("faust.x", "one"))
    assert quiet.filter(record("faust.x", "another"))


def test_the_shutdown_deadline_exits_with_its_own_status() -> None:
    exited = threading.Event()
    codes: list[int] = []

    def exit(code: int) -> None:
        codes.append(code)
        exited.set()

    hard_exit_after(0.01, exit=exit)
    assert exited.wait(10)
    assert codes == [SHUTDOWN_TIMEOUT_EXIT]
    stopped = hard_exit_after(60, exit=exit)
    stopped.cancel()
    assert codes == [SHUTDOWN_TIMEOUT_EXIT]
