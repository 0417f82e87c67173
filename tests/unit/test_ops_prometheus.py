"""ops/prometheus: the scrape config and rules are valid, the rules' unit tests pass, and every
metric the rules read is one the worker exports."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import yaml
from prometheus_client import generate_latest

from services.enricher.metrics import Metrics
from tests.conftest import REPO, require_tool

PROMETHEUS_DIR = REPO / "ops" / "prometheus"
RULES = PROMETHEUS_DIR / "rules.yml"
# Faust's monitor registers its metrics when the app starts; these are the ones the rules and
# the dashboard read (faust/sensors/prometheus.py, name prefix "faust").
FAUST_METRICS = {
    "faust_topic_partition_end_offset",
    "faust_messages_received_total",
    "faust_total_sent_messages_total",
    "faust_assignment_operations_total",
}
# Series Prometheus itself attaches to every target.
SCRAPE_SERIES = {"up"}


def promtool() -> str:
    return require_tool("promtool", "prometheus")


def run_promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [promtool(), *args],
        cwd=PROMETHEUS_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_scrape_config_and_its_rule_files_are_valid() -> None:
    done = run_promtool("check", "config", "prometheus.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rules.yml" in done.stdout


def test_rules_are_valid() -> None:
    done = run_promtool("check", "rules", "rules.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_rules_unit_tests_pass() -> None:
    done = run_promtool("test", "rules", "rules_test.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def rules() -> list[dict[str, Any]]:
    spec = yaml.safe_load(RULES.read_text("utf-8"))
    return [rule for group in spec["groups"] for rule in group["rules"]]


def test_every_alert_has_a_unit_test_that_fires_it() -> None:
    tests = yaml.safe_load((PROMETHEUS_DIR / "rules_test.yml").read_text("utf-8"))["tests"]
    firing = {
        case["alertname"]
        for test in tests
        for case in test.get("alert_rule_test", [])
        if case.get("exp_alerts")
    }
    quiet = {
        case["alertname"]
        for test in tests
        for case in test.get("alert_rule_test", [])
        if not case.get("exp_alerts")
    }
    alerts = {rule["alert"] for rule in rules() if "alert" in rule}
    assert firing == alerts, "an alert no test fires"
    assert quiet == alerts


PROMQL_WORDS = {
    "sum", "max", "min", "avg", "count", "by", "without", "on", "ignoring", "and", "or",
    "unless", "rate", "increase", "deriv", "delta", "absent", "vector", "histogram_quantile",
    "timestamp", "group_left", "group_right", "bool",
}  # fmt: skip


def metric_names(expr: str) -> set[str]:
    """Metric (and recorded series) names an expression reads; label names and words removed."""
    expr = re.sub(r'"[^"]*"', "", expr)  # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges
    expr = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", expr)  # grouping labels
    words = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr))
    return {w for w in words if w not in PROMQL_WORDS and w != "$__rate_interval"}


def exported_metrics() -> set[str]:
    """Every sample name the worker's registry exposes, plus Faust's and Prometheus's own."""
    text = generate_latest(Metrics.create().registry).decode()
    names = {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line[:1] != "#"}
    # Gauges whose labels are known only at run time (consumer lag per partition) have no
    # sample before the worker runs, only their TYPE line.
    gauges = {
        line.split()[2]
        for line in text.splitlines()
        if line.startswith("# TYPE") and line.split()[3] == "gauge"
    }
    return (names - {""}) | gauges | FAUST_METRICS | SCRAPE_SERIES


def test_metric_names_finds_metrics_not_labels() -> None:
    expr = 'sum by (stage) (rate(rasd_a_total{x="y"}[5m])) / on () max(rasd:b) > 0.5'
    assert metric_names(expr) == {"rasd_a_total", "rasd:b"}


def test_rules_read_only_metrics_the_worker_exports() -> None:
    recorded = {rule["record"] for rule in rules() if "record" in rule}
    for rule in rules():
        unknown = metric_names(rule["expr"]) - exported_metrics() - recorded
        assert unknown == set(), f"{rule.get('alert') or rule['record']} reads unknown series"


def test_alerts_have_severity_and_text() -> None:
    for rule in rules():
        if "alert" in rule:
            assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
            assert rule["annotations"]["summary"], rule["alert"]
            assert rule["annotations"]["description"], rule["alert"]


def test_worker_registry_has_process_metrics_and_every_series_at_zero() -> None:
    metrics = Metrics.create()
    text = generate_latest(metrics.registry).decode()
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes", "python_info"):
        assert f"\n{name}" in text, name
    assert "_created" not in text
    assert (
        'rasd_dead_letters_total{error_kind="stage_error",source="unknown",stage="extract"} 0.0'
        in text
    )
    assert 'rasd_articles_total{outcome="ok",source="other",stage="clean"} 0.0' in text
    assert 'rasd_duplicates_total{kind="near"} 0.0' in text
    assert 'rasd_stage_seconds_count{stage="clean"} 0.0' in text
    assert 'rasd_boilerplate_removed_total{kind="related_links"} 0.0' in text
    assert "\nrasd_glued_articles_total 0.0" in text
    metrics.dead_letters.labels("clean", "invalid_json", "unknown").inc()
    again = generate_latest(Metrics.create().registry).decode()  # registries are independent
    assert (
        'rasd_dead_letters_total{error_kind="invalid_json",source="unknown",stage="clean"} 0.0'
        in again
    )


def test_every_boilerplate_kind_the_cleaner_removes_has_a_series() -> None:
    from services.arabic.segment import BlockKind

    text = generate_latest(Metrics.create().registry).decode()
    for kind in BlockKind:
        assert f'rasd_boilerplate_removed_total{{kind="{kind.value}"}} 0.0' in text, kind


def test_the_outlet_label_is_capped_with_an_other_bucket() -> None:
    metrics = Metrics.create(sources=("aljazeera",), max_sources=2)
    text = generate_latest(metrics.registry).decode()
    assert 'rasd_articles_total{outcome="ok",source="aljazeera",stage="extract"} 0.0' in text
    assert [metrics.source(s) for s in ("aljazeera", "bbc", "cnn", "rt", "bbc", None, "")] == [
        "aljazeera",  # declared: not counted against the cap
        "bbc",
        "cnn",
        "other",  # a third outlet first seen at run time
        "bbc",
        "unknown",
        "unknown",
    ]
    text = generate_latest(metrics.registry).decode()
    values = set(re.findall(r'source="([^"]*)"', text))
    assert values == {"aljazeera", "bbc", "cnn", "other", "unknown"}
    assert 'rasd_dead_letters_total{error_kind="empty_body",source="cnn",stage="clean"} 0.0' in text
