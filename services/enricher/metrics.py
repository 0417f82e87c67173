"""Every Prometheus metric Rasd exports, created against an explicit registry.

Names follow Prometheus conventions (``rasd_`` prefix, base units, ``_total`` counters). Label
values are bounded: stages, outcomes, entity types, claim kinds, error kinds; never article ids,
names or URLs.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram

# Stage latencies measured by `rasd bench` are well under 10 ms per seed-sized article; the
# buckets resolve that range finely and still catch pathological inputs up to seconds.
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

    @classmethod
    def create(cls, registry: CollectorRegistry | None = None) -> Metrics:
        registry = registry or CollectorRegistry()
        return cls(
            registry=registry,
            articles=Counter(
                "rasd_articles",
                "Articles handled, by stage and outcome (ok, dead_letter).",
                ["stage", "outcome"],
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
                "Inputs sent to the dead-letter topic.",
                ["stage", "error_kind"],
                registry=registry,
            ),
            duplicates=Counter(
                "rasd_duplicates",
                "Articles marked as duplicates, by kind (exact, near).",
                ["kind"],
                registry=registry,
            ),
        )
