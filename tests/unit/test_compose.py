"""docker-compose.yml: valid for Debian's docker-compose, and everything it mounts exists."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from tests.conftest import REPO, require_tool

COMPOSE = REPO / "docker-compose.yml"


def docker_compose() -> str:
    return require_tool("docker-compose", "docker-compose")


def test_compose_file_is_valid() -> None:
    done = subprocess.run(
        [docker_compose(), "-f", str(COMPOSE), "config", "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_every_mounted_path_and_build_context_exists() -> None:
    spec = yaml.safe_load(COMPOSE.read_text("utf-8"))
    for name, service in spec["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (REPO / source).exists(), f"{name} mounts missing {source}"
        if "build" in service:
            assert (REPO / service["build"] / "Dockerfile").is_file()


def test_kafka_image_matches_the_local_broker_version() -> None:
    pom = (REPO / "ops" / "kafka" / "pom.xml").read_text("utf-8")
    spec = yaml.safe_load(COMPOSE.read_text("utf-8"))
    version = spec["services"]["kafka"]["image"].split(":", 1)[1]
    assert f"<kafka.version>{version}</kafka.version>" in pom


def services() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(COMPOSE.read_text("utf-8"))
    return dict(spec["services"])


def image_paths() -> dict[str, Path]:
    """Container path → repo path for what the Dockerfile copies into the image."""
    workdir, copied = PurePosixPath("/"), dict[str, Path]()
    for line in (REPO / "Dockerfile").read_text("utf-8").splitlines():
        words = line.split()
        if words[:1] == ["WORKDIR"]:
            workdir = workdir / words[1]
        if words[:1] == ["COPY"] and not any(w.startswith("--from") for w in words):
            *sources, target = words[1:]
            for source in sources:
                inside = workdir / target
                if target.endswith("/"):
                    inside = inside / PurePosixPath(source).name
                copied[str(inside)] = REPO / source
    return copied


def resolve(service: dict[str, Any], inside: str) -> Path | None:
    """The repo path behind a path inside the service's container, if it comes from the repo."""
    mounts: dict[str, Path] = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith("."):
            mounts[target] = REPO / source
    if "build" in service:
        mounts.update(image_paths())
    for target, source in sorted(mounts.items(), key=lambda item: -len(item[0])):
        if inside == target or inside.startswith(target.rstrip("/") + "/"):
            return source / os.path.relpath(inside, target)
    return None


def test_every_path_in_a_command_exists_in_the_repo() -> None:
    checked = []
    for name, service in services().items():
        for word in service.get("command", []):
            path = word.split("=", 1)[-1]
            if not path.startswith("/") or path.startswith("/prometheus"):
                continue  # not a path, or the named data volume
            source = resolve(service, path)
            assert source is not None, f"{name}: {path} comes from neither a mount nor the image"
            assert source.exists(), f"{name}: {path} → {source} is missing"
            checked.append(path)
    assert "/app/seeds" in checked
    assert "/etc/prometheus/prometheus.yml" in checked


def test_prometheus_rule_files_are_mounted_next_to_its_config() -> None:
    service = services()["prometheus"]
    config = yaml.safe_load((REPO / "ops" / "prometheus" / "prometheus.yml").read_text("utf-8"))
    for rule_file in config["rule_files"]:
        source = resolve(service, f"/etc/prometheus/{rule_file}")
        assert source is not None, rule_file
        assert source.is_file(), rule_file
    assert config["scrape_configs"][0]["dns_sd_configs"][0]["names"] == ["worker"]
    assert config["scrape_configs"][0]["dns_sd_configs"][0]["port"] == 6066


def test_rasd_commands_parse() -> None:
    from services.cli import main

    for name in ("worker", "seed-producer"):
        service = services()[name]
        assert service["image"] == services()["worker"]["image"]
        assert "build" in service, f"{name} builds the image it runs"
        [command, *args] = service["command"]
        sub = main.get_command(main.make_context("rasd", [command]), command)
        assert sub is not None, f"rasd has no command {command}"
        sub.make_context(command, list(args))  # raises on an unknown option


def test_images_are_pinned_health_checked_and_kafka_keeps_its_data() -> None:
    for name, service in services().items():
        image = service["image"]
        tag = image.rsplit(":", 1)[-1]
        assert ":" in image, f"{name}: {image} is not pinned"
        assert tag != "latest", f"{name}: {image} is not pinned"
        assert any(ch.isdigit() for ch in tag), f"{name}: {image} is not pinned"
        if name != "seed-producer":
            assert "healthcheck" in service, f"{name} has no health check"
    kafka = services()["kafka"]
    assert "kafka-data:/var/lib/kafka/data" in kafka["volumes"]
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "KAFKA_LOG_DIRS" in kafka["environment"]
    worker = services()["worker"]
    assert "ports" not in worker, "a fixed host port would stop --scale worker=N"
    assert "container_name" not in worker


def test_host_ports_are_published_on_loopback_unless_rasd_bind_says_otherwise() -> None:
    published = [
        (name, port) for name, service in services().items() for port in service.get("ports", [])
    ]
    assert published, "kafka, prometheus and grafana publish ports"
    for name, port in published:
        assert str(port).startswith("${RASD_BIND:-127.0.0.1}:"), (name, port)
