"""The commit rule of the worker (at_least_once): an offset is committed only when every input
before it on its partition has its outcome written."""

from __future__ import annotations

from faust.types import TP

from services.enricher.commits import contiguous_commit, held_commits, strict_new_offset


def test_the_commit_moves_over_acknowledged_offsets_that_follow_the_committed_one() -> None:
    assert contiguous_commit([10, 11, 12], committed=10) == (13, 3)


def test_it_stops_at_the_first_hole() -> None:
    assert contiguous_commit([10, 11, 13, 14], committed=10) == (12, 2)


def test_a_missing_committed_offset_holds_the_commit() -> None:
    # Faust committed here: it let exactly one missing offset through.
    assert contiguous_commit([11, 12], committed=10) == (None, 0)
    assert contiguous_commit([30, 31], committed=10) == (None, 0)


def test_offset_zero_is_an_offset_like_any_other() -> None:
    # Faust skipped its check when the committed offset was 0.
    assert contiguous_commit([3, 4], committed=0) == (None, 0)
    assert contiguous_commit([0, 1], committed=0) == (2, 2)


def test_acknowledgements_below_the_committed_offset_never_move_it_back() -> None:
    assert contiguous_commit([7, 8, 10, 11], committed=10) == (12, 4)
    assert contiguous_commit([7, 8], committed=10) == (None, 2)


def test_without_a_committed_offset_the_first_acknowledged_one_starts() -> None:
    assert contiguous_commit([5, 6, 8], committed=None) == (7, 2)
    assert contiguous_commit([], committed=None) == (None, 0)


class FakeConsumer:
    """The part of Faust's consumer the commit rule reads and writes."""

    def __init__(self, tp: TP, committed: int, acked: list[int]) -> None:
        self._acked: dict[TP, list[int]] = {tp: list(acked)}
        self._acked_index: dict[TP, set[int]] = {tp: set(acked)}
        self._committed_offset: dict[TP, int | None] = {tp: committed}
        self.assigned = {tp}

    def assignment(self) -> set[TP]:
        return self.assigned


def test_a_hole_holds_the_commit_until_the_worker_reports_it() -> None:
    tp = TP("rasd.raw", 0)
    consumer = FakeConsumer(tp, committed=10, acked=[12, 13])
    assert strict_new_offset(consumer, tp) is None
    assert consumer._acked[tp] == [12, 13]  # kept for when offsets 10 and 11 are processed
    assert held_commits(consumer, longer_than=-1.0) == ["rasd.raw[0] at offset 10 for 0s"]
    assert held_commits(consumer, longer_than=3600.0) == []


def test_a_hold_ends_when_the_missing_inputs_are_processed() -> None:
    tp = TP("rasd.raw", 1)
    consumer = FakeConsumer(tp, committed=10, acked=[12])
    assert strict_new_offset(consumer, tp) is None
    consumer._acked[tp] += [10, 11]
    assert strict_new_offset(consumer, tp) == 13
    assert held_commits(consumer, longer_than=-1.0) == []


def test_a_partition_no_longer_assigned_is_never_reported() -> None:
    tp = TP("rasd.raw", 2)
    consumer = FakeConsumer(tp, committed=10, acked=[12])
    assert strict_new_offset(consumer, tp) is None
    consumer.assigned = set()
    assert held_commits(consumer, longer_than=-1.0) == []
