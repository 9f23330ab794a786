"""The event queue's contract, on the Redis twin and on real Redis."""

from __future__ import annotations

import redis

from bot.queue import EventQueue, QueuedEvent


def _event(event_id: str, user: str = "U1", n: int = 0) -> QueuedEvent:
    return QueuedEvent(event_id, user, {"webhookEventId": event_id, "n": n})


def test_duplicates_are_dropped_atomically(any_redis: redis.Redis) -> None:
    queue = EventQueue(any_redis, shards=4)
    queue.ensure_groups()
    assert queue.enqueue([_event("E1"), _event("E2")]) == [True, True]
    assert queue.enqueue([_event("E1"), _event("E3")]) == [False, True]
    assert queue.backlog() == 3


def test_one_chat_stays_on_one_shard_in_order(any_redis: redis.Redis) -> None:
    queue = EventQueue(any_redis, shards=4)
    queue.ensure_groups()
    queue.enqueue([_event(f"E{i}", "Ualice", i) for i in range(10)])
    shard = queue.shard_of("Ualice")
    assert queue.acquire(shard, "w1", 10_000)
    entries = queue.read_new(shard, "w1", count=100)
    assert [e.payload["n"] for e in entries] == list(range(10))


def test_lease_is_exclusive_and_released_only_by_its_owner(any_redis: redis.Redis) -> None:
    queue = EventQueue(any_redis, shards=2)
    assert queue.acquire(0, "w1", 10_000)
    assert not queue.acquire(0, "w2", 10_000)
    queue.release(0, "w2")  # not the owner: nothing happens
    assert not queue.acquire(0, "w2", 10_000)
    assert queue.renew(0, "w1", 10_000)
    queue.release(0, "w1")
    assert queue.acquire(0, "w2", 10_000)


def test_unacknowledged_entries_are_taken_over_before_new_ones(any_redis: redis.Redis) -> None:
    queue = EventQueue(any_redis, shards=1)
    queue.ensure_groups()
    queue.enqueue([_event(f"E{i}", "U1", i) for i in range(3)])
    first = queue.read_new(0, "dead-worker", count=2)  # delivered, never acknowledged
    assert [e.payload["n"] for e in first] == [0, 1]
    taken = queue.take_over_pending(0, "w2")
    assert [e.payload["n"] for e in taken] == [0, 1]
    for entry in taken:
        queue.ack(entry)
    rest = queue.read_new(0, "w2")
    assert [e.payload["n"] for e in rest] == [2]
    queue.ack(rest[0])
    assert queue.take_over_pending(0, "w2") == []
    assert queue.backlog() == 0
