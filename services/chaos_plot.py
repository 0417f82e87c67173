"""Draw a chaos run's timeline (``timeline.csv``): end-to-end latency and worker RSS over time,
with the faults marked, as one PNG a person can read at a glance.

matplotlib is an optional dependency (``rasd[plot]``, and the dev group); without it the run
still writes its CSV and says how to get the plot.
"""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# What the harness writes in the ``what`` column for a fault, and how it is drawn.
FAULTS = {
    "kill_a": ("SIGKILL worker a", "tab:red", "--"),
    "join_b": ("worker b joins", "tab:green", ":"),
    "leave_b": ("worker b leaves", "tab:green", "-."),
    "broker_stop": ("broker stopped", "tab:gray", "-"),
    "broker_start": ("broker started", "tab:gray", "-"),
}


@dataclass(slots=True)
class Timeline:
    latency: list[tuple[float, float]] = field(default_factory=list)  # (sent at, seconds)
    rss: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # worker -> (t, MB)
    faults: list[tuple[float, str]] = field(default_factory=list)  # (t, what)


def read_timeline(path: Path) -> Timeline:
    timeline = Timeline()
    rss: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            t, what, value = float(row["seconds"]), row["what"], float(row["value"])
            if what == "latency":
                timeline.latency.append((t, value))
            elif what.startswith("rss_"):
                rss[what.removeprefix("rss_")].append((t, value))
            elif what in FAULTS:
                timeline.faults.append((t, what))
    timeline.rss = dict(rss)
    return timeline


def rss_growth(points: list[tuple[float, float]]) -> float | None:
    """Relative change of a worker's RSS from the second fifth of its samples to the last fifth
    (medians): the first fifth is warm-up (imports, caches, Faust tables filling up to their
    horizon). None with too few samples to say."""
    if len(points) < 50:
        return None
    values = [mb for _, mb in sorted(points)]
    fifth = len(values) // 5
    early = statistics.median(values[fifth : 2 * fifth])
    late = statistics.median(values[-fifth:])
    return late / early - 1 if early else None


def plot_timeline(csv_path: Path, png_path: Path, title: str = "") -> Path:
    """Write the PNG; raises ImportError when matplotlib is not installed."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on servers
    import matplotlib.pyplot as plt

    timeline = read_timeline(csv_path)
    fig, (lat_ax, rss_ax) = plt.subplots(2, 1, sharex=True, figsize=(11, 6.5), dpi=100)
    if timeline.latency:
        xs, ys = zip(*sorted(timeline.latency), strict=True)
        lat_ax.scatter(xs, ys, s=3, alpha=0.5, color="tab:blue")
        lat_ax.set_yscale("log")
    lat_ax.set_ylabel("raw → enriched (s)")
    lat_ax.set_title(title or csv_path.parent.name)
    killed = any(what == "kill_a" for _, what in timeline.faults)
    for name, points in sorted(timeline.rss.items()):
        xs, ys = zip(*points, strict=True)
        # as in the run's summary: a killed worker's RSS starts again from nothing
        growth = None if killed and name == "a" else rss_growth(points)
        label = f"worker {name}" + (f" ({growth:+.1%} after warm-up)" if growth is not None else "")
        rss_ax.plot(xs, ys, linewidth=1, label=label)
    rss_ax.set_ylabel("RSS (MB)")
    rss_ax.set_xlabel("seconds since the run began")
    rss_ax.set_ylim(bottom=0)
    labelled: set[str] = set()
    for t, what in timeline.faults:
        label, color, style = FAULTS[what]
        for ax in (lat_ax, rss_ax):
            ax.axvline(
                t,
                color=color,
                linestyle=style,
                linewidth=0.8,
                alpha=0.7,
                label=None if (ax is lat_ax or label in labelled) else label,
            )
        labelled.add(label)
    rss_ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    fig.savefig(png_path)
    plt.close(fig)
    return png_path
