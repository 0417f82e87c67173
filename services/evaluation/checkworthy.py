"""Fitting and measuring the check-worthiness model on labelled claims.

Labels are JSON lines ``{file, content_sha1, check_worthy, grade}``: the article file of a gold
set and the SHA-1 of the claim's folded content, so that no article text is copied. Claims are
re-extracted from the articles and joined to their labels by that key; a claim whose span has
changed since labelling is skipped (and counted). The model is an L2-regularized logistic
regression fitted by Newton's method; quality is reported by leave-one-article-out
cross-validation, so no article is scored by weights fitted on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson

from services.arabic.analyze import extract
from services.arabic.checkworthy import FEATURES, features, model
from services.arabic.normalize import fold
from services.contracts.events import RawArticle
from services.enricher.pipeline import appended_articles, clean_article
from services.evaluation.gold import GoldArticle

_L2 = 1.0


def content_key(content: str) -> str:
    return hashlib.sha1(" ".join(fold(content).split()).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LabelledClaim:
    file: str
    vector: tuple[float, ...]
    label: int


@dataclass(frozen=True, slots=True)
class Labelled:
    claims: list[LabelledClaim]
    unmatched: int  # labels of claims no longer extracted
    unlabelled: int  # claims extracted today that have no label


def read_labels(path: Path) -> dict[tuple[str, str], int]:
    labels = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = orjson.loads(line)
            labels[(row["file"], row["content_sha1"])] = int(row["check_worthy"])
    return labels


def labelled_claims(
    articles: Iterable[GoldArticle], labels: dict[tuple[str, str], int]
) -> Labelled:
    lexicon = model()
    out: list[LabelledClaim] = []
    seen: set[tuple[str, str]] = set()
    unlabelled = 0
    for article in articles:
        raw = RawArticle(id="cw", source=article.outlet, content=article.text())
        clean = clean_article(raw)
        for piece in [clean, *(clean_article(a) for a in appended_articles(clean))]:
            spans = [(s.start, s.end) for s in piece.sentences]
            found = extract(piece.text, spans)
            for claim in found.claims:
                key = (
                    article.file,
                    content_key(piece.text[claim.content_start : claim.content_end]),
                )
                if key not in labels:
                    unlabelled += 1
                    continue
                if key in seen:
                    continue
                seen.add(key)
                vector = features(claim, piece.text, found.mentions, lexicon)
                out.append(LabelledClaim(article.file, vector, labels[key]))
    return Labelled(out, sum(1 for key in labels if key not in seen), unlabelled)


def fit(x: np.ndarray, y: np.ndarray, l2: float = _L2) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularized logistic regression (bias not penalized)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty * w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random check-worthy claim outscores a random other one (ties: 1/2)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


@dataclass(frozen=True, slots=True)
class CrossValidated:
    scores: np.ndarray  # each claim scored by a model fitted without its article
    labels: np.ndarray
    auc: float


def _design(data: list[LabelledClaim]) -> tuple[np.ndarray, np.ndarray]:
    """Feature matrix and label vector of ``data``."""
    return (
        np.array([c.vector for c in data], dtype=float),
        np.array([c.label for c in data], dtype=float),
    )


def cross_validate(data: list[LabelledClaim]) -> CrossValidated:
    x, y = _design(data)
    files = np.array([c.file for c in data])
    scores = np.zeros(len(data))
    for file in sorted(set(files)):
        held = files == file
        w, b = fit(x[~held], y[~held])
        scores[held] = 1 / (1 + np.exp(-(x[held] @ w + b)))
    return CrossValidated(scores, y, auc(scores, y))


def calibration_rows(scores: np.ndarray, labels: np.ndarray) -> list[tuple[str, int, float]]:
    """(score band, claims in it, share check-worthy) for bands of 0.2."""
    rows = []
    for low in (0.8, 0.6, 0.4, 0.2, 0.0):
        band = (scores >= low) & (scores < low + 0.2 + (1e-9 if low == 0.8 else 0))
        if band.any():
            rows.append((f"{low:.1f}-{low + 0.2:.1f}", int(band.sum()), float(labels[band].mean())))
    return rows


def fitted_weights(data: list[LabelledClaim]) -> tuple[dict[str, float], float]:
    w, b = fit(*_design(data))
    return {name: round(float(v), 4) for name, v in zip(FEATURES, w, strict=True)}, round(b, 4)
