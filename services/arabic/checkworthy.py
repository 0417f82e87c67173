"""Check-worthiness: how much a claim deserves a fact-checker's time, from 0 to 1.

A logistic model over a few features a fact-checker looks at first: numbers (casualties, money,
percentages rank highest), who is named as speaker or source, whether the cue asserts (أكد، أعلن،
نفى، اتهم) or only opines, predicts or appeals (اعتبر، توقع، دعا), hedges in the content (قد،
ربما), and named entities in the content. The weights live in ``resources/checkworthy.json``,
fitted by ``rasd train checkworthiness`` on labelled development claims (see its model card there).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from services.arabic.claims import ClaimFound, cue_lemma
from services.arabic.entities import EntityMention
from services.arabic.normalize import fold


@dataclass(frozen=True, slots=True)
class CheckworthyModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    opinion_cues: frozenset[str]  # folded lemmas
    assertive_cues: frozenset[str]
    hedges: frozenset[str]
    stakes: frozenset[str]  # folded counted nouns that raise the stakes (قتيل، دولار)


FEATURES: tuple[str, ...] = (
    "numeric",
    "high_stakes_number",
    "named_speaker",
    "title_speaker",
    "unattributed",
    "cited_source",
    "assertive_cue",
    "opinion_cue",
    "hedged",
    "entities_in_content",
    "long_content",
)


@cache
def model() -> CheckworthyModel:
    package = resources.files("services.arabic.resources")
    data: dict[str, Any] = json.loads(package.joinpath("checkworthy.json").read_text("utf-8"))
    weights = data["weights"]
    return CheckworthyModel(
        features=FEATURES,
        weights=tuple(float(weights.get(name, 0.0)) for name in FEATURES),
        bias=float(data["bias"]),
        opinion_cues=frozenset(fold(w) for w in data["opinion_cues"]),
        assertive_cues=frozenset(fold(w) for w in data["assertive_cues"]),
        hedges=frozenset(fold(w) for w in data["hedges"]),
        stakes=frozenset(fold(w) for w in data["stakes"]),
    )


def features(
    claim: ClaimFound, text: str, mentions: list[EntityMention], lexicon: CheckworthyModel
) -> tuple[float, ...]:
    """The feature vector of ``claim`` in the order of ``FEATURES``."""
    content = text[claim.content_start : claim.content_end]
    words = fold(content).split()
    speaker = claim.speaker.resolved_from if claim.speaker else None
    lemma = cue_lemma(claim.cue)
    counted = {
        fold(text[q.what[0] : q.what[1]]).removeprefix("ال") for q in claim.quantities if q.what
    }
    stakes = any(q.unit == "%" for q in claim.quantities) or bool(counted & lexicon.stakes)
    in_content = sum(1 for m in mentions if claim.content_start <= m.start < claim.content_end)
    return (
        float(bool(claim.quantities)),
        float(stakes),
        float(speaker == "name"),
        float(speaker == "title"),
        float(claim.speaker is None and claim.according_to is None),
        float(claim.according_to is not None),
        float(lemma in lexicon.assertive_cues),
        float(lemma in lexicon.opinion_cues),
        float(any(w in lexicon.hedges for w in words)),
        min(in_content, 3) / 3,
        float(len(words) >= 12),
    )


def score(vector: tuple[float, ...], lexicon: CheckworthyModel) -> float:
    z = lexicon.bias + sum(w * x for w, x in zip(lexicon.weights, vector, strict=True))
    return 1 / (1 + math.exp(-z))


def check_worthiness(claim: ClaimFound, text: str, mentions: list[EntityMention]) -> float:
    """Probability-like score that ``claim`` is worth checking (fitted on labelled dev claims)."""
    lexicon = model()
    return round(score(features(claim, text, mentions, lexicon), lexicon), 3)
