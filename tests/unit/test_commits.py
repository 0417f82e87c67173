"""How the worker keeps its inputs in partition order (at_least_once): an event past the one
after the last processed on its partition is not processed, and the partition is rewound."""

from __future__ import annotations

from faust.types import TP

from services.enricher.commits import InOrder, contiguous_commit, latest_new_offset

RAW0 = TP("rasd.raw", 0)


def test_the_first_event_of_a_partition_is_processed_wherever_faust_starts_it() -> None:
    assert InOrder().follows(RAW0, 37)


def test_then_offsets_follow_one_another() -> None:
    order = InOrder()
    order.processed(RAW0, 10)
    assert order.follows(RAW0, 11)
    assert not order.follows(RAW0, 12)


def test_re_deliveries_before_the_offset_due_are_processed() -> None:
    order = InOrder()
    order.processed(RAW0, 10)
    assert order.follows(RAW0, 4)  # re-delivered from the committed offset
    order.processed(RAW0, 4)
    assert order.follows(RAW0, 5)


def test_an_offset_past_the_one_due_rewinds_the_partition_there() -> None:
    # After a rebalance Faust handed the agent offset 13 after 10: it had dropped 11 and 12.
    order = InOrder()
    order.processed(RAW0, 10)
    assert not order.follows(RAW0, 13)
    assert order.rewind_to(RAW0) == 11


def test_events_fetched_before_the_rewind_do_not_rewind_again_at_once() -> None:
    now = [100.0]
    order = InOrder(every=1.0, clock=lambda: now[0])
    order.processed(RAW0, 10)
    assert order.rewind_to(RAW0) == 11
    assert order.rewind_to(RAW0) is None
    now[0] += 1.5
    assert order.rewind_to(RAW0) == 11


def test_partitions_are_ordered_apart() -> None:
    order = InOrder()
    order.processed(RAW0, 10)
    assert order.follows(TP("rasd.raw", 1), 500)
    assert order.follows(TP("rasd.clean", 0), 500)


def test_the_commit_moves_over_acknowledged_offsets_that_follow_the_committed_one() -> None:
    assert contiguous_commit([10, 11, 12], committed=10) == (13, 3)
    assert contiguous_commit([10, 11, 13, 14], committed=10) == (12, 2)


def test_a_missing_offset_holds_the_commit_even_a_single_one_or_after_zero() -> None:
    # Faust let exactly one missing offset through, and checked nothing after offset 0.
    assert contiguous_commit([11, 12], committed=10) == (None, 0)
    assert contiguous_commit([3, 4], committed=0) == (None, 0)
    assert contiguous_commit([0, 1], committed=0) == (2, 2)


def test_acknowledgements_below_the_committed_offset_never_move_it_back() -> None:
    assert contiguous_commit([7, 8, 10, 11], committed=10) == (12, 4)
    assert contiguous_commit([7, 8], committed=10) == (None, 2)


class _Consumer:
    """The three fields of Faust's consumer that the commit rules read and write."""

    def __init__(self, tp: TP, acked: list[int], committed: int | None) -> None:
        self._acked = {tp: list(acked)}
        self._acked_index = {tp: set(acked)}
        self._committed_offset = {tp: committed}


def test_exactly_once_commits_past_transaction_markers_up_to_the_last_acknowledged() -> None:
    tp = TP("clean", 0)
    consumer = _Consumer(tp, [11, 12, 14, 15], committed=9)  # 10 and 13: commit markers
    assert latest_new_offset(consumer, tp) == 16
    assert consumer._acked[tp] == []
    assert latest_new_offset(consumer, tp) is None


def test_exactly_once_never_moves_the_commit_back() -> None:
    tp = TP("clean", 0)
    assert latest_new_offset(_Consumer(tp, [3, 4], committed=9), tp) is None
    assert latest_new_offset(_Consumer(tp, [3, 4], committed=None), tp) == 5
