"""ops/grafana: the committed dashboard is what ops/grafana/dashboard.py generates, it reads only
metrics the worker exports through the provisioned datasource, and ops/README.md documents it."""

from __future__ import annotations

import importlib.util
import json
import sys
from types import ModuleType
from typing import Any

import yaml
from prometheus_client import generate_latest

from services.arabic.segment import BlockKind
from services.enricher.metrics import Metrics
from tests.conftest import REPO
from tests.unit.test_ops_prometheus import exported_metrics, metric_names, rules

GRAFANA = REPO / "ops" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "rasd-overview.json"
OPS_README = REPO / "ops" / "README.md"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rasd_dashboard", GRAFANA / "dashboard.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def committed() -> dict[str, Any]:
    board: dict[str, Any] = json.loads(DASHBOARD.read_text("utf-8"))
    return board


def panels() -> list[dict[str, Any]]:
    return [p for p in committed()["panels"] if p["type"] != "row"]


def test_committed_json_is_what_the_generator_writes() -> None:
    assert DASHBOARD.read_text("utf-8") == generator().render(), (
        "run: uv run python ops/grafana/dashboard.py"
    )


def test_generator_check_mode_detects_drift(tmp_path: Any, monkeypatch: Any) -> None:
    module = generator()
    stale = tmp_path / "rasd-overview.json"
    stale.write_text("{}\n", "utf-8")
    monkeypatch.setattr(module, "OUTPUT", stale)
    assert module.main(["--check"]) == 1
    assert module.main([]) == 0
    assert module.main(["--check"]) == 0


def test_every_panel_uses_the_provisioned_datasource() -> None:
    provisioned = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text("utf-8")
    )
    [source] = provisioned["datasources"]
    assert source["type"] == "prometheus"
    assert source["uid"] == "rasd-prometheus"
    scrape = yaml.safe_load((REPO / "ops" / "prometheus" / "prometheus.yml").read_text("utf-8"))
    assert source["jsonData"]["timeInterval"] == scrape["global"]["scrape_interval"]
    assert source["url"] == "http://prometheus:9090"  # the compose service
    for panel in panels():
        assert panel["datasource"] == {"type": "prometheus", "uid": source["uid"]}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == source["uid"], panel["title"]


def test_dashboard_provider_path_is_where_compose_mounts_the_dashboards() -> None:
    provider = yaml.safe_load(
        (GRAFANA / "provisioning" / "dashboards" / "rasd.yml").read_text("utf-8")
    )
    [entry] = provider["providers"]
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text("utf-8"))
    mounts = dict(volume.split(":")[:2] for volume in compose["services"]["grafana"]["volumes"])
    assert mounts["./ops/grafana/dashboards"] == entry["options"]["path"]
    assert mounts["./ops/grafana/provisioning"] == "/etc/grafana/provisioning"


def test_panels_are_unique_described_and_laid_out() -> None:
    board = committed()
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    titles = [p["title"] for p in panels()]
    assert len(titles) == len(set(titles))
    for panel in panels():
        assert panel["description"], panel["title"]
        position = panel["gridPos"]
        assert position["x"] + position["w"] <= 24, panel["title"]


def test_panels_read_only_metrics_the_worker_exports() -> None:
    known = exported_metrics() | {rule["record"] for rule in rules() if "record" in rule}
    for panel in panels():
        for target in panel["targets"]:
            assert metric_names(target["expr"]) - known == set(), panel["title"]


def test_the_dashboard_covers_what_the_issue_asks_for() -> None:
    read = {name for p in panels() for t in p["targets"] for name in metric_names(t["expr"])}
    for metric in (
        "rasd_articles_total",
        "rasd_stage_seconds_bucket",
        "rasd_end_to_end_seconds_bucket",
        "rasd_dead_letters_total",
        "rasd_duplicates_total",
        "rasd_entities_total",
        "rasd_claims_total",
        "rasd_boilerplate_removed_total",
        "rasd_glued_articles_total",
        "rasd_consumer_lag_messages",
        "process_resident_memory_bytes",
        "up",
    ):
        assert metric in read


def test_ops_readme_documents_every_panel_metric_and_alert() -> None:
    readme = OPS_README.read_text("utf-8")
    for panel in panels():
        assert panel["title"] in readme, panel["title"]
    text = generate_latest(Metrics.create().registry).decode()
    families = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE")}
    assert {f for f in families if f.startswith("rasd_")} == {
        "rasd_articles_total",
        "rasd_stage_seconds",
        "rasd_end_to_end_seconds",
        "rasd_entities_total",
        "rasd_claims_total",
        "rasd_dead_letters_total",
        "rasd_duplicates_total",
        "rasd_boilerplate_removed_total",
        "rasd_glued_articles_total",
        "rasd_consumer_lag_messages",
    }, "no *_created series"
    for family in families:
        assert f"`{family}`" in readme, family
    [boilerplate] = [
        line
        for line in readme.splitlines()
        if line.startswith("| `rasd_boilerplate_removed_total` |")
    ]
    for kind in BlockKind:
        assert kind.value in boilerplate, f"ops/README.md: boilerplate kind {kind} undocumented"
    for rule in rules():
        assert f"`{rule.get('alert') or rule['record']}`" in readme
