"""How the worker keeps its inputs in partition order (at_least_once): an event past the one
after the last processed on its partition is not processed, and the partition is rewound."""

from __future__ import annotations

from faust.types import TP

from services.enricher.commits import InOrder

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
