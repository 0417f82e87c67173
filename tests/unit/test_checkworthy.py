"""Check-worthiness: numbers and named speakers rank above appeals; the fitter and AUC work."""

from __future__ import annotations

import numpy as np

from services.arabic.analyze import extract
from services.arabic.tokenize import sentence_spans
from services.evaluation.checkworthy import auc, fit


def worthiness(text: str) -> list[float]:
    return [c.check_worthiness for c in extract(text, sentence_spans(text)).claims]


def test_a_casualty_count_from_a_minister_outranks_an_appeal() -> None:
    [count] = worthiness("وقال وزير الصحة الفلسطيني إن 32 ألف شخص قتلوا في غزة.")
    [appeal] = worthiness("ودعا المتحدث جميع الأطراف إلى ضبط النفس.")
    assert 0.0 <= appeal < count <= 1.0


def test_the_fitter_learns_the_direction_of_a_feature() -> None:
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, size=(200, 2)).astype(float)
    y = (x[:, 0] == 1).astype(float)  # only the first feature decides
    y[:10] = 1 - y[:10]  # with some noise
    weights, _ = fit(x, y)
    assert weights[0] > 1.0
    assert abs(weights[1]) < 0.5


def test_auc_of_a_perfect_a_reversed_and_a_tied_ranking() -> None:
    labels = np.array([0, 0, 1, 1])
    assert auc(np.array([0.1, 0.2, 0.8, 0.9]), labels) == 1.0
    assert auc(np.array([0.9, 0.8, 0.2, 0.1]), labels) == 0.0
    assert auc(np.full(4, 0.5), labels) == 0.5
