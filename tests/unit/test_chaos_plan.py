"""The chaos harness's schedule, without a broker."""

import math

from services.chaos import kill_due


def test_a_worker_is_killed_once_it_has_worked_kill_every_seconds() -> None:
    assert kill_due(12.0, 2.0) == 14.0


def test_kill_every_zero_never_kills_a_worker_as_in_a_soak() -> None:
    assert math.isinf(kill_due(0.0, 0.0))
    assert math.isinf(kill_due(37.5, 0.0))
