"""The chaos harness's schedule, without a broker."""

import math
from pathlib import Path

from services.chaos import kill_due
from services.chaos_plot import plot_timeline, read_timeline, rss_growth


def test_a_worker_is_killed_once_it_has_worked_kill_every_seconds() -> None:
    assert kill_due(12.0, 2.0) == 14.0


def test_kill_every_zero_never_kills_a_worker_as_in_a_soak() -> None:
    assert math.isinf(kill_due(0.0, 0.0))
    assert math.isinf(kill_due(37.5, 0.0))


def test_flat_rss_after_warm_up_is_no_growth_and_a_leak_is() -> None:
    warm_up = [(float(t), 100.0 + t) for t in range(20)]  # tables and caches filling
    flat = [(float(t), 150.0) for t in range(20, 100)]
    leaking = [(float(t), 150.0 + (t - 20)) for t in range(20, 100)]
    assert rss_growth(warm_up + flat) == 0.0
    growth = rss_growth(warm_up + leaking)
    assert growth is not None
    assert growth > 0.3


def test_too_few_rss_samples_say_nothing_about_growth() -> None:
    assert rss_growth([(0.0, 100.0), (1.0, 200.0)]) is None


def test_a_run_timeline_is_read_and_drawn(tmp_path: Path) -> None:
    csv_path = tmp_path / "timeline.csv"
    rows = ["seconds,what,value", "0.5,rss_a,120.0", "1.0,kill_a,1.0", "1.5,rss_a,90.0"]
    rows += [f"{t}.0,latency,0.{t}" for t in range(1, 9)] + ["2.0,broker_stop,1.0", "3.0,x,1"]
    csv_path.write_text("\n".join(rows) + "\n")
    timeline = read_timeline(csv_path)
    assert timeline.rss == {"a": [(0.5, 120.0), (1.5, 90.0)]}
    assert timeline.faults == [(1.0, "kill_a"), (2.0, "broker_stop")]
    assert len(timeline.latency) == 8
    png = plot_timeline(csv_path, tmp_path / "timeline.png")
    assert png.read_bytes().startswith(b"\x89PNG")
