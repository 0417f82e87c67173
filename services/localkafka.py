"""Drive the local Apache Kafka of ``ops/kafka/kafka.sh`` from Python (demo, bench, tests)."""

from __future__ import annotations

import contextlib
import os
import random
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "ops" / "kafka" / "kafka.sh"


class LocalKafkaError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True, slots=True)
class LocalKafka:
    port: int

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _run(self, command: str, timeout: float, *args: str) -> subprocess.CompletedProcess[str]:
        if not SCRIPT.is_file():
            raise LocalKafkaError(f"{SCRIPT} is missing: run from a Rasd checkout")
        env = {**os.environ, "RASD_KAFKA_PORT": str(self.port)}
        return subprocess.run(
            ["bash", str(SCRIPT), command, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, timeout: float = 300) -> LocalKafka:
        """Fetch (first time only) and start the broker; raise with its log when it fails."""
        done = self._run("start", timeout)
        if done.returncode != 0:
            raise LocalKafkaError(
                f"local Kafka did not start on port {self.port} (exit {done.returncode}).\n"
                f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}\n"
                "Check that Java 17+ and Maven are installed and Maven Central is reachable; "
                "`bash ops/kafka/kafka.sh start` shows the same output."
            )
        return self

    def stop(self, keep: bool = False) -> None:
        """Stop the broker; ``keep`` keeps its data for the next ``start`` (a restart)."""
        self._run("stop", 120, *(["--keep"] if keep else []))

    def running(self) -> bool:
        """Whether ``kafka.sh`` runs a broker on this port that answers."""
        return self._run("status", 30).returncode == 0


def kafka_fetched() -> bool:
    """Whether the Kafka jars are in the cache already (starting will not download them)."""
    if not SCRIPT.is_file():
        return False
    done = subprocess.run(
        ["bash", str(SCRIPT), "fetched"], capture_output=True, timeout=30, check=False
    )
    return done.returncode == 0


def broker_port() -> int:
    """A free port below the kernel's ephemeral range (as kafka.sh's auto ports): a client
    reconnecting to a restarted broker can never be handed it as its own local port."""
    low = 32768
    with contextlib.suppress(OSError, ValueError):
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for _ in range(200):
        port = random.randint(20000, max(20001, min(low, 32768) - 1))
        with socket.socket() as s, contextlib.suppress(OSError):
            s.bind(("127.0.0.1", port))
            return port
    return free_port()


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def start_local_kafka(port: int | None = None) -> LocalKafka:
    return LocalKafka(port or broker_port()).start()


@dataclass
class LocalWorker:
    """A ``rasd worker`` subprocess with its own environment (topics, app id, web port)."""

    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    options: tuple[str, ...] = ()  # of `rasd worker`

    def start(self) -> LocalWorker:
        import sys

        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")  # a restarted worker appends to the same log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "worker", *self.options],
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
        return self

    def stop(self, timeout: float = 30) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.terminate()
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no commit (a crash)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text("utf-8", "replace")[-chars:]
        except OSError:
            return ""
