"""docker-compose.yml: valid for Debian's docker-compose, and everything it mounts exists."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import REPO

COMPOSE = REPO / "docker-compose.yml"


def docker_compose() -> str:
    found = shutil.which("docker-compose")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is not installed; ops/test.sh installs Debian's package")
        pytest.skip("docker-compose not installed (ops/test.sh installs it)")
    return found


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
