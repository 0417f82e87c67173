"""The `Rasd overview` Grafana dashboard as code (grafana-foundation-sdk).

    uv run python ops/grafana/dashboard.py           # regenerate ops/grafana/dashboards/*.json
    uv run python ops/grafana/dashboard.py --check   # exit 1 when the committed JSON is stale

Every query here is evaluated against a real Prometheus scraping a real worker by
tests/integration/test_observability.py; tests/unit/test_ops_grafana.py fails when the committed
JSON differs from what this script generates. Panels are listed in ops/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grafana_foundation_sdk.builders import common as common_builders
from grafana_foundation_sdk.builders import dashboard as dashboard_builders
from grafana_foundation_sdk.builders import prometheus, stat, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import common
from grafana_foundation_sdk.models.dashboard import DataSourceRef, VariableRefresh, VariableSort

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "dashboards" / "rasd-overview.json"
DATASOURCE_UID = "rasd-prometheus"  # fixed in provisioning/datasources/prometheus.yml
DATASOURCE = DataSourceRef(type_val="prometheus", uid=DATASOURCE_UID)
JOB = 'job="rasd-worker"'  # the scrape job of ops/prometheus/prometheus.yml
RATE = "$__rate_interval"
# Dashboard variables: the outlet (`source` label) and the stage; "All" matches every value.
SOURCE = 'source=~"$source"'
STAGE = 'stage=~"$stage"'
VARIABLES = (
    (
        "source",
        "Outlet",
        "rasd_articles_total",
        "Outlets the workers counted (RASD_METRICS_SOURCES, "
        "the first RASD_METRICS_MAX_SOURCES others seen, then other; unknown: undecodable input).",
    ),
    ("stage", "Stage", "rasd_stage_seconds_count", "Worker stages: clean and extract."),
)


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str = "__auto"


@dataclass(frozen=True)
class PanelSpec:
    title: str
    description: str
    queries: tuple[Query, ...]
    unit: str
    kind: str = "timeseries"  # or "stat"
    width: int = 12


def per_minute(metric: str, by: str = "", selector: str = "") -> str:
    grouping = f"sum by ({by}) " if by else "sum"
    selected = f"{metric}{{{selector}}}" if selector else metric
    return f"{grouping}(rate({selected}[{RATE}])) * 60"


def per_stage(metric: str) -> str:
    return f"sum by (stage) (rate({metric}{{{SOURCE},{STAGE}}}[{RATE}]))"


def quantile(q: float, metric: str, by: str = "", selector: str = "") -> str:
    labels = f"le, {by}" if by else "le"
    selected = f"{metric}_bucket{{{selector}}}" if selector else f"{metric}_bucket"
    return f"histogram_quantile({q}, sum by ({labels}) (rate({selected}[{RATE}])))"


LAG = "max by (topic, partition) (rasd_consumer_lag_messages)"

ROWS: tuple[tuple[str, tuple[PanelSpec, ...]], ...] = (
    (
        "Is the news flowing?",
        (
            PanelSpec(
                "Articles enriched per minute",
                "Articles that came out of the pipeline with their entities and claims.",
                (
                    Query(
                        per_minute(
                            "rasd_articles_total", selector=f'stage="extract",outcome="ok",{SOURCE}'
                        )
                    ),
                ),
                "short",
                kind="stat",
                width=6,
            ),
            PanelSpec(
                "Inputs rejected per minute",
                "Inputs that could not be processed and went to the dead-letter topic "
                "(articles.dlq), where they can be inspected and replayed.",
                (Query(per_minute("rasd_dead_letters_total", selector=f"{SOURCE},{STAGE}")),),
                "short",
                kind="stat",
                width=6,
            ),
            PanelSpec(
                "Publish to enriched, p95",
                "95% of articles were enriched within this time after they were published.",
                (Query(quantile(0.95, "rasd_end_to_end_seconds")),),
                "s",
                kind="stat",
                width=6,
            ),
            PanelSpec(
                "Workers up",
                "Worker processes Prometheus can scrape right now.",
                (Query(f"sum(up{{{JOB}}})"),),
                "short",
                kind="stat",
                width=6,
            ),
        ),
    ),
    (
        "Throughput and extraction",
        (
            PanelSpec(
                "Articles per minute by stage and outcome",
                "clean: boilerplate removal; extract: entities and claims. "
                "ok = processed, dead_letter = sent to articles.dlq.",
                (
                    Query(
                        per_minute("rasd_articles_total", "stage, outcome", f"{SOURCE},{STAGE}"),
                        "{{stage}} {{outcome}}",
                    ),
                ),
                "short",
            ),
            PanelSpec(
                "Articles per minute by outlet",
                "Articles each outlet (the article's source) brought in, at the clean stage. "
                "Outlets beyond the cap count as other; unknown: input that was not an article.",
                (
                    Query(
                        per_minute("rasd_articles_total", "source", f'{SOURCE},stage="clean"'),
                        "{{source}}",
                    ),
                ),
                "short",
            ),
            PanelSpec(
                "Entities per minute by type",
                "People (PER), organizations (ORG), places (LOC) and other names (MISC) found.",
                (Query(per_minute("rasd_entities_total", "type"), "{{type}}"),),
                "short",
            ),
            PanelSpec(
                "Claims per minute by kind",
                "Statements attributed to a speaker, and claims that carry numbers.",
                (Query(per_minute("rasd_claims_total", "kind"), "{{kind}}"),),
                "short",
            ),
            PanelSpec(
                "Duplicates per minute by kind",
                "Articles recognised as exact or near copies of one already seen.",
                (Query(per_minute("rasd_duplicates_total", "kind"), "{{kind}}"),),
                "short",
            ),
            PanelSpec(
                "Boilerplate removed per minute by kind",
                "Blocks the clean stage cut from articles: related links, read-also markers, "
                "timestamps, captions, bylines, source lines, widgets, menus, separators, "
                "teasers of other stories, contact lines.",
                (Query(per_minute("rasd_boilerplate_removed_total", "kind"), "{{kind}}"),),
                "short",
            ),
            PanelSpec(
                "Glued articles split off per minute",
                "Second articles found glued after a page's own (after a read-also marker), "
                "split off and enriched as articles of their own.",
                (Query(per_minute("rasd_glued_articles_total"), "split off"),),
                "short",
            ),
        ),
    ),
    (
        "Latency",
        (
            PanelSpec(
                "Publish to enriched latency",
                "From the raw article's event time (ce_time) to its enriched event being "
                "emitted: p50, p95, p99.",
                tuple(
                    Query(quantile(q, "rasd_end_to_end_seconds"), f"p{round(q * 100)}")
                    for q in (0.5, 0.95, 0.99)
                ),
                "s",
            ),
            PanelSpec(
                "Stage processing time by stage",
                "Time to process one article in each stage, p50 and p99.",
                tuple(
                    Query(
                        quantile(q, "rasd_stage_seconds", "stage", STAGE),
                        f"{{{{stage}}}} p{round(q * 100)}",
                    )
                    for q in (0.5, 0.99)
                ),
                "s",
            ),
        ),
    ),
    (
        "Errors",
        (
            PanelSpec(
                "Dead letters per minute by stage and kind",
                "undecodable (not UTF-8), invalid_json, schema_violation, empty_body (nothing "
                "left after cleaning), stage_error (a bug: see the worker log).",
                (
                    Query(
                        per_minute(
                            "rasd_dead_letters_total", "stage, error_kind", f"{SOURCE},{STAGE}"
                        ),
                        "{{stage}} {{error_kind}}",
                    ),
                ),
                "short",
            ),
            PanelSpec(
                "Share of inputs dead-lettered by stage",
                "Dead letters divided by all inputs of the stage; the RasdDeadLetterRateHigh "
                "alert fires above 5%.",
                (
                    Query(
                        f"{per_stage('rasd_dead_letters_total')}"
                        f" / {per_stage('rasd_articles_total')}",
                        "{{stage}}",
                    ),
                ),
                "percentunit",
            ),
        ),
    ),
    (
        "Kafka",
        (
            PanelSpec(
                "Consumer lag by topic and partition",
                "Messages waiting to be processed: partition end offset minus the consumer "
                "group's committed offset, asked from the broker every 5 s for every partition "
                "of the input topics from start-up, idle ones included.",
                (Query(LAG, "{{topic}}[{{partition}}]"),),
                "short",
            ),
            PanelSpec(
                "Kafka messages per second received and sent",
                "What the workers' consumers fetched and their producers acknowledged.",
                (
                    Query(f"sum(rate(faust_messages_received_total[{RATE}]))", "received"),
                    Query(f"sum(rate(faust_total_sent_messages_total[{RATE}]))", "sent"),
                ),
                "ops",
            ),
        ),
    ),
    (
        "Worker health",
        (
            PanelSpec(
                "Worker up by instance",
                "1 when Prometheus scraped the worker, 0 when the scrape failed.",
                (Query(f"up{{{JOB}}}", "{{instance}}"),),
                "short",
                width=6,
            ),
            PanelSpec(
                "CPU per worker",
                "CPU seconds used per second (1 = one full core).",
                (Query(f"rate(process_cpu_seconds_total{{{JOB}}}[{RATE}])", "{{instance}}"),),
                "short",
                width=6,
            ),
            PanelSpec(
                "Resident memory per worker",
                "Memory the worker process holds.",
                (Query(f"process_resident_memory_bytes{{{JOB}}}", "{{instance}}"),),
                "bytes",
                width=6,
            ),
            PanelSpec(
                "Partition assignments per minute",
                "Consumer group rebalances that completed or failed; frequent ones mean "
                "workers keep joining and leaving.",
                (
                    Query(
                        per_minute("faust_assignment_operations_total", "operation"),
                        "{{operation}}",
                    ),
                ),
                "short",
                width=6,
            ),
        ),
    ),
)


def _target(query: Query, ref: str) -> prometheus.Dataquery:
    return (
        prometheus.Dataquery()
        .expr(query.expr)
        .legend_format(query.legend)
        .ref_id(ref)
        .datasource(DATASOURCE)
    )


def _panel(spec: PanelSpec) -> stat.Panel | timeseries.Panel:
    panel: stat.Panel | timeseries.Panel
    if spec.kind == "stat":
        panel = (
            stat.Panel()
            .height(4)
            .reduce_options(
                common_builders.ReduceDataOptions().calcs(["lastNotNull"]).values(False)
            )
            .graph_mode(common.BigValueGraphMode.AREA)
        )
    else:
        panel = (
            timeseries.Panel()
            .height(8)
            .legend(
                common_builders.VizLegendOptions()
                .display_mode(common.LegendDisplayMode.LIST)
                .placement(common.LegendPlacement.BOTTOM)
                .show_legend(True)
            )
        )
    panel = panel.title(spec.title).description(spec.description).unit(spec.unit)
    panel = panel.span(spec.width).datasource(DATASOURCE)
    for index, query in enumerate(spec.queries):
        panel = panel.with_target(_target(query, chr(ord("A") + index)))
    return panel


def build() -> dict[str, Any]:
    """The dashboard as Grafana JSON (a plain dict)."""
    board = (
        dashboard_builders.Dashboard("Rasd overview")
        .uid("rasd-overview")
        .description(
            "Arabic news articles through Rasd: throughput, extraction, latency, dead letters, "
            "Kafka consumer lag and worker health."
        )
        .tags(["rasd"])
        .time("now-1h", "now")
        .refresh("30s")
        .timezone("browser")
        .readonly()
    )
    for name, label, metric, description in VARIABLES:
        board = board.with_variable(
            dashboard_builders.QueryVariable(name)
            .label(label)
            .description(description)
            .datasource(DATASOURCE)
            .query(f"label_values({metric}, {name})")
            .refresh(VariableRefresh.ON_TIME_RANGE_CHANGED)
            .sort(VariableSort.ALPHABETICAL_ASC)
            .multi(True)
            .include_all(True)
            .all_value(".*")
        )
    ids = iter(range(1, 1000))
    for title, panels in ROWS:
        board = board.with_row(dashboard_builders.Row(title).id(next(ids)))
        for spec in panels:
            board = board.with_panel(_panel(spec).id(next(ids)))
    encoded: dict[str, Any] = json.loads(json.dumps(board.build(), cls=JSONEncoder))
    return encoded


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the JSON is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUTPUT.read_text("utf-8") if OUTPUT.is_file() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run uv run python {Path(__file__).name}")
            return 1
        print(f"{OUTPUT} is up to date")
        return 0
    OUTPUT.write_text(text, "utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
