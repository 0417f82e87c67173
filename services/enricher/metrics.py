"""Every Prometheus metric Rasd exports, created against an explicit registry.

Names follow Prometheus conventions (``rasd_`` prefix, base units, ``_total`` counters). Label
values are bounded: stages, outcomes, entity types, claim kinds, error kinds, boilerplate kinds,
and outlets (``source``: the ones named in RASD_METRICS_SOURCES, then the first
RASD_METRICS_MAX_SOURCES others seen, then ``other``); never article ids, names or URLs. Every
known label combination is created at zero up front, so a series exists before its first event
and ``increase()``/``rate()`` count that first event too (an outlet first seen at run time
starts its series with its first article).

Besides Rasd's own metrics the registry carries the worker's process metrics (``process_*``: CPU,
resident memory, open file descriptors, start time), ``python_info`` and ``python_gc_*``; Faust's
monitor adds its ``faust_*`` metrics to the same registry (see ``app.create_app``). ops/README.md
documents every metric.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)

from services.arabic.segment import BlockKind
from services.contracts.events import ClaimKind, EntityType, ErrorKind, Stage

# Stages the worker runs (publish happens in the producer, outside the worker).
WORKER_STAGES = (Stage.CLEAN, Stage.EXTRACT)
OUTCOMES = ("ok", "dead_letter")
DUPLICATE_KINDS = ("exact", "near")
# `source` of inputs whose outlet is not known (undecodable, invalid JSON, not an article) and of
# outlets beyond the cap.
UNKNOWN_SOURCE = "unknown"
OTHER_SOURCE = "other"

# Stage latencies measured by `rasd bench` are well under 10 ms per seed-sized article (clean ~5 ms,
# extract ~25 ms on a live worker); the buckets resolve that range finely and still catch
# pathological inputs up to seconds.
STAGE_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# End to end includes Kafka hops and commit intervals: tens of milliseconds to minutes of lag.
END_TO_END_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)


@dataclass(frozen=True)
class Metrics:
    registry: CollectorRegistry
    articles: Counter
    stage_seconds: Histogram
    end_to_end_seconds: Histogram
    entities: Counter
    claims: Counter
    dead_letters: Counter
    duplicates: Counter
    boilerplate_removed: Counter
    glued_articles: Counter
    consumer_lag: Gauge
    max_sources: int = 20
    sources: set[str] = field(default_factory=set)  # label values with series
    discovered: set[str] = field(default_factory=set)  # outlets first seen at run time

    @classmethod
    def create(
        cls,
        registry: CollectorRegistry | None = None,
        *,
        sources: tuple[str, ...] = (),
        max_sources: int = 20,
    ) -> Metrics:
        """Metrics on ``registry``; ``sources`` get series from the start, up to ``max_sources``
        other outlets get theirs when first seen, the rest count as ``other``."""
        registry = registry or CollectorRegistry()
        # No `*_created` gauge beside every counter and histogram (process-wide, Faust's too):
        # Prometheus handles counter resets itself, and `rasd_articles_created` misleads.
        disable_created_metrics()  # type: ignore[no-untyped-call]  # untyped upstream
        metrics = cls._create(registry, max_sources)
        metrics._initialize_labels()
        for source in (UNKNOWN_SOURCE, OTHER_SOURCE, *sources):
            metrics._initialize_source(source)
        _register_runtime_collectors(registry)
        return metrics

    def source(self, outlet: str | None) -> str:
        """The bounded ``source`` label value of an article's outlet."""
        if not outlet:
            return UNKNOWN_SOURCE
        if outlet in self.sources:
            return outlet
        if len(self.discovered) >= self.max_sources:
            return OTHER_SOURCE
        self.discovered.add(outlet)
        self._initialize_source(outlet)
        return outlet

    def _initialize_source(self, source: str) -> None:
        if source in self.sources:
            return
        self.sources.add(source)
        for stage in WORKER_STAGES:
            for outcome in OUTCOMES:
                self.articles.labels(stage.value, outcome, source)
            for kind in ErrorKind:
                self.dead_letters.labels(stage.value, kind.value, source)

    @classmethod
    def _create(cls, registry: CollectorRegistry, max_sources: int) -> Metrics:
        return cls(
            max_sources=max_sources,
            registry=registry,
            articles=Counter(
                "rasd_articles",
                "Articles handled, by stage, outcome (ok, dead_letter) and outlet (source).",
                ["stage", "outcome", "source"],
                registry=registry,
            ),
            stage_seconds=Histogram(
                "rasd_stage_seconds",
                "Processing time of one article in a stage.",
                ["stage"],
                buckets=STAGE_BUCKETS,
                registry=registry,
            ),
            end_to_end_seconds=Histogram(
                "rasd_end_to_end_seconds",
                "From the raw event's time (ce_time) to the enriched event being emitted.",
                buckets=END_TO_END_BUCKETS,
                registry=registry,
            ),
            entities=Counter(
                "rasd_entities", "Entities extracted, by type.", ["type"], registry=registry
            ),
            claims=Counter(
                "rasd_claims", "Claims extracted, by kind.", ["kind"], registry=registry
            ),
            dead_letters=Counter(
                "rasd_dead_letters",
                "Inputs sent to the dead-letter topic, by stage, error kind and outlet (source).",
                ["stage", "error_kind", "source"],
                registry=registry,
            ),
            duplicates=Counter(
                "rasd_duplicates",
                "Articles marked as duplicates, by kind (exact, near).",
                ["kind"],
                registry=registry,
            ),
            boilerplate_removed=Counter(
                "rasd_boilerplate_removed",
                "Boilerplate blocks the clean stage removed, by kind.",
                ["kind"],
                registry=registry,
            ),
            glued_articles=Counter(
                "rasd_glued_articles",
                "Articles found glued after another one and split off (re-emitted as raw).",
                registry=registry,
            ),
            consumer_lag=Gauge(
                "rasd_consumer_lag_messages",
                "Messages of an input partition the consumer group has not committed yet.",
                ["topic", "partition"],
                registry=registry,
            ),
        )

    def _initialize_labels(self) -> None:
        """Create every bounded label combination at zero."""
        for stage in WORKER_STAGES:
            self.stage_seconds.labels(stage.value)
        for entity_type in EntityType:
            self.entities.labels(entity_type.value)
        for claim_kind in ClaimKind:
            self.claims.labels(claim_kind.value)
        for duplicate_kind in DUPLICATE_KINDS:
            self.duplicates.labels(duplicate_kind)
        for block_kind in BlockKind:
            self.boilerplate_removed.labels(block_kind.value)


def _register_runtime_collectors(registry: CollectorRegistry) -> None:
    """process_*, python_info and python_gc_* of this process on ``registry``.

    The default registry has them already; registering them again there would be a duplicate.
    """
    if registry is REGISTRY:
        return
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
