"""The chaos run, short: articles at a steady rate with bad inputs interleaved while a worker is
SIGKILLed and restarted, a second worker joins and leaves and the broker restarts once (on a
broker of its own). Nothing may be lost; re-deliveries must carry the same ce_id.

The long run and the soak are commands (README, "Fault runs"): `rasd chaos --good 10000 --bad
1000 ...`.
"""

from __future__ import annotations

import pytest

from services.chaos import ChaosPlan, run_chaos

pytestmark = pytest.mark.integration


@pytest.mark.timeout(600)
def test_nothing_is_lost_through_kills_a_rebalance_and_a_broker_restart() -> None:
    # Half of what one worker sustains on a loaded 2-core machine (about 5 articles/s with the
    # line labeller), so the run ends by draining, not by its time bound.
    plan = ChaosPlan(good=140, bad=20, rate=4.0, kill_every=2.0, within=420.0)
    lines: list[str] = []
    result = run_chaos(plan, echo=lines.append)
    report = "\n".join([*lines, result.summary(), *result.details()])
    print(report)  # shown when the test fails
    assert result.kills >= 1, report
    assert result.lost_good == [], report
    assert result.lost_bad == [], report
    assert result.wrong_reason == [], report
    assert result.changed_ids == [], "re-deliveries carry the same ce_id"
    assert result.crashes == 0, report
    assert result.dlq == plan.bad, report
    assert result.summary().startswith("lost=0 duplicates=")
