"""The one precision/recall/F1 arithmetic every ``rasd eval`` report uses."""

from __future__ import annotations


def ratio(part: int, whole: int, *, empty: float) -> float:
    """``part / whole``, or ``empty`` when there is nothing to divide by."""
    return part / whole if whole else empty


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
