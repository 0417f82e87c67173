"""``rasd demo``: the whole service on a local Kafka with the seeds flowing through it."""

from __future__ import annotations

import asyncio
import os
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.consumer.reader import AllEnriched, Received, collect
from services.enricher.settings import Settings
from services.enricher.topics import ensure_topics
from services.localkafka import (
    REPO,
    LocalKafka,
    LocalWorker,
    free_port,
    kafka_fetched,
    start_local_kafka,
)
from services.producer.publish import publish
from services.producer.readers import read_paths

Echo = Callable[[str], None]


def run_demo(
    seeds: Path,
    *,
    timeout: float,
    echo: Echo,
    keep_running: bool = False,
    wait: Callable[[], None] | None = None,
) -> int:
    """``wait`` blocks while the demo is kept running (default: until Ctrl-C)."""
    kafka: LocalKafka | None = None
    worker: LocalWorker | None = None
    configured = Settings()
    bootstrap = os.environ.get("RASD_KAFKA_BOOTSTRAP")
    try:
        if bootstrap is None:
            # RASD_KAFKA_PORT if set (0/auto: a free one), else a free port.
            port = configured.kafka_port if "kafka_port" in configured.model_fields_set else 0
            if port and LocalKafka(port).running():
                bootstrap = LocalKafka(port).bootstrap
                echo(f"▶ using the local Kafka already running on port {port} (left running)")
            else:
                fetch = "" if kafka_fetched() else " (first run: downloading it from Maven Central)"
                echo(f"▶ starting a local Apache Kafka{fetch} …")
                kafka = start_local_kafka(port or None)
                bootstrap = kafka.bootstrap
        echo(f"▶ Kafka at {bootstrap}")
        run_id = f"demo-{int(time.time())}"
        web_port = (
            configured.web_port
            if "web_port" in configured.model_fields_set and configured.web_port
            else free_port()
        )
        settings = Settings(
            kafka_bootstrap=bootstrap,
            app_id=f"rasd-{run_id}",
            web_port=web_port,
            topic_partitions=1,
            data_dir=REPO / ".cache" / "faust",
        )
        asyncio.run(ensure_topics(settings))
        env = {
            "RASD_KAFKA_BOOTSTRAP": bootstrap,
            "RASD_APP_ID": settings.app_id,
            "RASD_WEB_PORT": str(web_port),
            "RASD_LOG_LEVEL": "warning",
            "RASD_DATA_DIR": str(settings.data_dir),
            "RASD_TOPIC_PARTITIONS": "1",
        }
        worker = LocalWorker(env, REPO / ".cache" / "logs" / f"{run_id}-worker.log").start()
        echo(
            f"▶ worker started (metrics on http://127.0.0.1:{web_port}/metrics, "
            f"log {worker.log_path})"
        )
        report = asyncio.run(
            publish(read_paths([seeds], "seeds"), bootstrap=bootstrap, topic=settings.topic_raw)
        )
        echo(f"▶ published {len(report.published)} article(s) from {seeds}")
        for rejection in report.rejected:
            echo(f"  rejected [{rejection.reason}] {rejection.message}")
        wanted = set(report.published)
        events = asyncio.run(
            collect(
                bootstrap,
                [settings.topic_enriched],
                done=AllEnriched(settings.topic_enriched, wanted),
                within=timeout,
            )
        )
        enriched = _latest_by_id(events)
        if not wanted <= set(enriched):
            echo(f"✗ only {len(enriched)} enriched event(s) after {timeout:.0f}s; worker log:")
            echo(worker.log_tail())
            return 1
        echo(f"▶ {len(enriched)} enriched event(s) on {settings.topic_enriched}:")
        for line in summarize(list(enriched.values())):
            echo(line)
        echo("▶ worker metrics:")
        for line in _metric_lines(web_port):
            echo(f"    {line}")
        if not keep_running:
            echo(
                "▶ done; `rasd demo --keep-running` leaves Kafka and the worker running for "
                "`rasd tail articles.enriched`"
            )
            return 0
        tail = f"rasd tail {settings.topic_enriched} --compact"
        echo(
            f"▶ still running; in another terminal: RASD_KAFKA_BOOTSTRAP={bootstrap} {tail}  "
            f"(or `rasd publish` more articles); Ctrl-C stops Kafka and the worker"
        )
        (wait or _until_interrupted)()
        return 0
    finally:
        if worker is not None:
            worker.stop()
        if kafka is not None:
            echo("▶ stopping the local Kafka")
            kafka.stop()


def _until_interrupted() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def _latest_by_id(events: list[Received]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for event in events:
        data = event.json()
        out[data["id"]] = data
    return out


def summarize(enriched: list[dict[str, Any]]) -> list[str]:
    """Short human summary of enriched events."""
    lines = []
    for art in enriched:
        kinds = Counter(b["kind"] for b in art["removed"])
        lines.append(f"• {art['id']}  {art.get('title') or '(no title)'}")
        lines.append(
            f"    body: {len(art['text'].split())} words in {len(art['paragraphs'])} paragraphs; "
            f"removed: {dict(kinds) or 'nothing'}; appended: {len(art['appended'])}"
            + (f"; split from {art['parent_id']}" if art.get("parent_id") else "")
        )
        ents = ", ".join(f"{e['canonical']} ({e['type']})" for e in art["entities"][:10])
        lines.append(f"    entities ({len(art['entities'])}): {ents}")
        for claim in art["claims"][:4]:
            lines.append(f"    claim [{claim['kind']}] {describe_claim(claim)}")
        if len(art["claims"]) > 4:
            lines.append(f"    … and {len(art['claims']) - 4} more claims")
    return lines


def describe_claim(claim: dict[str, Any], width: int = 80) -> str:
    """One readable line: who said it with which cue, what, and according to whom.

    «بلينكن أكد: …»; without a speaker the content comes first and the source after it
    («… (according to السلطات الصحية)»); an unattributed statement says so.
    """
    content = claim["content"]
    if len(content) > width:
        head = content[: width + 1]
        content = (head.rsplit(maxsplit=1)[0] if " " in head else content[:width]) + " …"
    speaker = (claim.get("speaker") or {}).get("text")
    according = (claim.get("according_to") or {}).get("text")
    source = f" (according to {according})" if according and according != speaker else ""
    if speaker:
        cue = f" {claim['cue']}" if claim.get("cue") else ""
        return f"{speaker}{cue}: «{content}»{source}"
    if according:
        return f"«{content}»{source}"
    return f"unattributed: «{content}»"


def _metric_lines(port: int) -> list[str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError as exc:
        return [f"(metrics unavailable: {exc})"]
    return [
        line
        for line in text.splitlines()
        if not line.endswith(" 0.0")  # series exist from the start at zero; show what moved
        and line.startswith(
            (
                "rasd_articles_total",
                "rasd_entities_total",
                "rasd_claims_total",
                "rasd_dead_letters_total",
            )
        )
    ]
