"""Workers: one chat's events in order across several workers, takeover, ack after effects."""

from __future__ import annotations

import threading
import time
from typing import Any

import redis

from bot.outbound import DeliveryFailed
from bot.queue import EventQueue, QueuedEvent
from bot.worker import Worker


class RecordingProcessor:
    """Stands in for the dialogue processor: records the order events were applied in."""

    def __init__(self, fail_first: int = 0, crash_on: str | None = None) -> None:
        self.applied: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        self.fail_first = fail_first
        self.crash_on = crash_on

    def process(self, payload: dict[str, Any]) -> str:
        if payload["webhookEventId"] == self.crash_on:
            raise RuntimeError("a bug")
        with self.lock:
            if self.fail_first > 0:
                self.fail_first -= 1
                raise DeliveryFailed("LINE is down")
        time.sleep(0.001)  # widen any race window between workers
        with self.lock:
            self.applied.append((payload["user"], payload["n"]))
        return "reply"


def _fill(queue: EventQueue, users: int, per_user: int) -> None:
    events = [
        QueuedEvent(f"E{u}-{n}", f"U{u}", {"webhookEventId": f"E{u}-{n}", "user": f"U{u}", "n": n})
        for n in range(per_user)
        for u in range(users)
    ]
    queue.enqueue(events)


def test_each_users_events_are_applied_in_order_by_several_workers(any_redis: redis.Redis) -> None:
    queue = EventQueue(any_redis, shards=4)
    queue.ensure_groups()
    processor = RecordingProcessor()
    _fill(queue, users=6, per_user=15)
    workers = [Worker(queue, processor, name=f"w{i}", batch=3) for i in range(3)]  # type: ignore[arg-type]
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop,), kwargs={"idle_s": 0.01}) for w in workers]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while len(processor.applied) < 90 and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    for t in threads:
        t.join()
    assert len(processor.applied) == 90
    for u in range(6):
        assert [n for user, n in processor.applied if user == f"U{u}"] == list(range(15))
    assert queue.backlog() == 0


def test_entries_of_a_dead_worker_are_finished_by_another(any_redis: redis.Redis) -> None:
    queue = EventQueue(any_redis, shards=1)
    queue.ensure_groups()
    _fill(queue, users=1, per_user=4)
    # A worker took two entries and died without acknowledging them; its lease expired.
    assert queue.acquire(0, "dead", 50)
    assert len(queue.read_new(0, "dead", count=2)) == 2
    time.sleep(0.1)
    processor = RecordingProcessor()
    survivor = Worker(queue, processor, name="alive", lease_ms=50)  # type: ignore[arg-type]
    while survivor.run_once():
        pass
    assert processor.applied == [("U0", 0), ("U0", 1), ("U0", 2), ("U0", 3)]
    assert queue.backlog() == 0


def test_an_event_is_acknowledged_only_after_it_was_applied(any_redis: redis.Redis) -> None:
    queue = EventQueue(any_redis, shards=1)
    queue.ensure_groups()
    _fill(queue, users=1, per_user=2)
    processor = RecordingProcessor(fail_first=1)
    worker = Worker(queue, processor, retry_after_s=0.0)  # type: ignore[arg-type]
    assert worker.run_once() == 0  # delivery failed: nothing acknowledged, order kept
    assert queue.backlog() == 2
    while worker.run_once():
        pass
    assert processor.applied == [("U0", 0), ("U0", 1)]
    assert queue.backlog() == 0


def test_a_poison_event_goes_to_the_dead_letter_stream_not_lost(any_redis: redis.Redis) -> None:
    queue = EventQueue(any_redis, shards=1)
    queue.ensure_groups()
    _fill(queue, users=1, per_user=2)
    processor = RecordingProcessor(crash_on="E0-0")
    worker = Worker(queue, processor, retry_after_s=0.0)  # type: ignore[arg-type]
    for _ in range(10):
        worker.run_once()
    assert processor.applied == [("U0", 1)]
    assert any_redis.xlen("sonae:dead") == 1
    assert queue.backlog() == 0


def test_a_slow_event_keeps_its_lease_so_no_other_worker_applies_it_again(any_redis: redis.Redis) -> None:
    queue = EventQueue(any_redis, shards=1)
    queue.ensure_groups()
    _fill(queue, users=1, per_user=3)

    class Slow(RecordingProcessor):
        def process(self, payload: dict[str, Any]) -> str:
            if payload["n"] == 0:
                time.sleep(1.0)  # several leases long
            return super().process(payload)

    processor = Slow()
    workers = [Worker(queue, processor, name=f"w{i}", lease_ms=300) for i in range(2)]  # type: ignore[arg-type]
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop,), kwargs={"idle_s": 0.01}) for w in workers]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while len(processor.applied) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # room for a duplicate to show up
    stop.set()
    for t in threads:
        t.join()
    assert processor.applied == [("U0", 0), ("U0", 1), ("U0", 2)]
