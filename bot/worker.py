"""Workers: take shards by lease and apply their events in order.

Run as ``sonae worker`` (many processes on many hosts) or, on the embedded
default, as a thread inside the web process.
"""

from __future__ import annotations

import json
import logging
import os
import random
import socket
import threading
import time

import redis
import sqlalchemy.exc

from bot.metrics import DELIVERIES, EVENTS_APPLIED, PROCESSING_SECONDS
from bot.outbound import DeliveryFailed
from bot.processor import Processor
from bot.queue import Entry, EventQueue

__all__ = ["Worker"]

log = logging.getLogger(__name__)

MAX_FAILURES = 3  # a poison event goes to the dead-letter stream after this many crashes
DEAD_LETTER_TTL_S = 30 * 86400
TRANSIENT: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    redis.ConnectionError,
    redis.TimeoutError,
)


class _Heartbeat:
    """Renews a shard lease in the background while one entry is applied."""

    def __init__(self, queue: EventQueue, shard: int, owner: str, lease_ms: int):
        self.queue, self.shard, self.owner, self.lease_ms = queue, shard, owner, lease_ms
        self.lost = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        while not self._done.wait(self.lease_ms / 3000):
            try:
                if not self.queue.renew(self.shard, self.owner, self.lease_ms):
                    self.lost = True
                    return
            except redis.RedisError:
                pass  # try again at the next beat; the lease lasts three beats

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()
        if not self.lost:
            self.lost = not self.queue.renew(self.shard, self.owner, self.lease_ms)


class Worker:
    def __init__(
        self,
        queue: EventQueue,
        processor: Processor,
        name: str | None = None,
        lease_ms: int = 60_000,
        batch: int = 20,
        retry_after_s: float = 2.0,
    ):
        self.queue = queue
        self.processor = processor
        self.name = name or f"{socket.gethostname()}-{os.getpid()}-{random.randrange(1 << 30):x}"
        self.lease_ms = lease_ms
        self.batch = batch
        self.retry_after_s = retry_after_s
        self._paused: dict[int, float] = {}

    def run_once(self) -> int:
        """One pass over every shard whose lease is free; returns events applied."""
        done = 0
        shards = list(range(self.queue.shards))
        random.shuffle(shards)
        now = time.monotonic()
        for shard in shards:
            if self._paused.get(shard, 0.0) > now:
                continue
            if not self.queue.acquire(shard, self.name, self.lease_ms):
                continue
            try:
                done += self._drain(shard)
            finally:
                self.queue.release(shard, self.name)
        return done

    def _drain(self, shard: int) -> int:
        done = 0
        # Entries a previous holder left unacknowledged come first: they are older. Only
        # entries idle for longer than a lease are taken: their holder is gone for sure.
        entries = self.queue.take_over_pending(shard, self.name, min_idle_ms=self.lease_ms) or self.queue.read_new(
            shard, self.name, self.batch
        )
        for entry in entries:
            with _Heartbeat(self.queue, shard, self.name, self.lease_ms) as heartbeat:
                applied = self._apply(entry)
            if heartbeat.lost:  # another worker may own the shard now: leave the entry to it
                log.warning("lost the lease on shard %d while applying an entry; stopping this pass", shard)
                break
            if not applied:
                self._paused[shard] = time.monotonic() + self.retry_after_s
                break
            self.queue.ack(entry)
            done += 1
        return done

    def _apply(self, entry: Entry) -> bool:
        try:
            with PROCESSING_SECONDS.time():
                how = self.processor.process(entry.payload)
            log.debug("entry %s applied (%s)", entry.entry_id, how)
            EVENTS_APPLIED.labels("applied").inc()
            DELIVERIES.labels(how).inc()
            return True
        except DeliveryFailed as exc:
            EVENTS_APPLIED.labels("delivery_failed").inc()
            log.warning("answer not delivered yet, will retry: %s", exc)
            return False
        except TRANSIENT as exc:  # the database or Redis is briefly away: not the event's fault
            EVENTS_APPLIED.labels("service_unavailable").inc()
            log.warning("a service is unavailable, will retry: %s", exc.__class__.__name__)
            return False
        except Exception:
            EVENTS_APPLIED.labels("crashed").inc()
            log.exception("failed to apply queue entry %s", entry.entry_id)
            key = f"{self.queue.prefix}:fail:{entry.entry_id}"
            failures = int(self.queue.client.incr(key))
            self.queue.client.expire(key, 86400)
            if failures < MAX_FAILURES:
                return False
            dead = f"{self.queue.prefix}:dead"
            # Kept for an operator to inspect and replay, but not forever: it holds personal data.
            self.queue.client.xadd(dead, {"e": json.dumps(entry.payload, ensure_ascii=False)}, maxlen=10_000)
            self.queue.client.expire(dead, DEAD_LETTER_TTL_S)
            log.error("entry %s moved to the dead-letter stream after %d failures", entry.entry_id, failures)
            apologise = getattr(self.processor, "apologise", None)
            if apologise is not None:
                apologise(entry.payload)
            return True

    def run(self, stop: threading.Event, wake: threading.Event | None = None, idle_s: float = 0.05) -> None:
        """Process until ``stop`` is set; sleeps briefly (or until woken) when idle."""
        log.info("worker %s started on %d shards", self.name, self.queue.shards)
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:
                log.exception("worker pass failed; retrying")
                busy = 0
                stop.wait(1.0)
            if not busy:
                if wake is not None:
                    wake.wait(idle_s)
                    wake.clear()
                else:
                    stop.wait(idle_s)
        log.info("worker %s stopped", self.name)
