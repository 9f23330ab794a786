"""The event queue: Redis Streams split into shards, one consumer group, shard leases.

Events of one chat always go to the same shard, and a shard is processed by one
worker at a time (it holds the shard's lease), so one resident's events are
applied in order however many workers run. Entries stay pending in the group
until their effects are stored; a worker that takes over an expired lease first
finishes the entries its predecessor left pending.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import redis

__all__ = ["Entry", "EventQueue", "QueuedEvent"]

GROUP = "workers"

# Deduplicate by webhookEventId and enqueue in one atomic step (and one round trip for
# the whole webhook body), so a crash can neither lose an accepted event nor let a
# redelivery through twice. KEYS: seen-key, stream per event; ARGV: ttl, body per event.
_ENQUEUE = """
local added = {}
for i = 1, #KEYS / 2 do
  if redis.call('SET', KEYS[2 * i - 1], '1', 'NX', 'EX', ARGV[1]) then
    redis.call('XADD', KEYS[2 * i], '*', 'e', ARGV[i + 1])
    added[i] = 1
  else
    added[i] = 0
  end
end
return added
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


@dataclass(frozen=True)
class QueuedEvent:
    """One webhook event ready to be queued."""

    event_id: str
    shard_key: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Entry:
    shard: int
    entry_id: str
    payload: dict[str, Any]


class EventQueue:
    """Sharded Redis Streams with a consumer group; see the module docstring."""

    def __init__(self, client: redis.Redis, shards: int = 8, prefix: str = "sonae", dedup_ttl_s: int = 604800):
        self.client = client
        self.shards = shards
        self.prefix = prefix
        self.dedup_ttl_s = dedup_ttl_s
        self._enqueue = client.register_script(_ENQUEUE)
        self._release = client.register_script(_RELEASE)
        self._renew = client.register_script(_RENEW)

    def stream(self, shard: int) -> str:
        return f"{self.prefix}:events:{shard}"

    def shard_of(self, key: str) -> int:
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") % self.shards

    def ensure_groups(self) -> None:
        for shard in range(self.shards):
            try:
                self.client.xgroup_create(self.stream(shard), GROUP, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    def enqueue(self, events: list[QueuedEvent]) -> list[bool]:
        """Queue events; False for each one dropped as a duplicate of an earlier delivery."""
        if not events:
            return []
        keys: list[str] = []
        args: list[str | int] = [self.dedup_ttl_s]
        for ev in events:
            keys += [f"{self.prefix}:seen:{ev.event_id}", self.stream(self.shard_of(ev.shard_key))]
            args.append(json.dumps(ev.payload, ensure_ascii=False, separators=(",", ":")))
        return [bool(flag) for flag in self._enqueue(keys=keys, args=args)]

    # --- shard leases -----------------------------------------------------------
    def _lease_key(self, shard: int) -> str:
        return f"{self.prefix}:lease:{shard}"

    def acquire(self, shard: int, owner: str, ttl_ms: int) -> bool:
        return bool(self.client.set(self._lease_key(shard), owner, nx=True, px=ttl_ms))

    def renew(self, shard: int, owner: str, ttl_ms: int) -> bool:
        return bool(self._renew(keys=[self._lease_key(shard)], args=[owner, ttl_ms]))

    def release(self, shard: int, owner: str) -> None:
        self._release(keys=[self._lease_key(shard)], args=[owner])

    # --- reading and acknowledging (only while holding the shard's lease) --------
    def take_over_pending(self, shard: int, consumer: str, count: int = 50, min_idle_ms: int = 0) -> list[Entry]:
        """Entries delivered earlier but never acknowledged, oldest first: our own (to retry)
        and those of a holder idle for ``min_idle_ms`` (gone: its lease has expired)."""
        own: Any = self.client.xreadgroup(GROUP, consumer, {self.stream(shard): "0"}, count=count)
        entries = [self._entry(shard, eid, fields) for _s, items in own or [] for eid, fields in items if fields]
        reply: Any = self.client.xautoclaim(
            self.stream(shard), GROUP, consumer, min_idle_time=min_idle_ms, start_id="0-0", count=count
        )
        seen = {e.entry_id for e in entries}
        entries += [self._entry(shard, eid, f) for eid, f in reply[1] if f and self._id(eid) not in seen]
        return sorted(entries, key=lambda e: tuple(int(part) for part in e.entry_id.split("-")))

    @staticmethod
    def _id(entry_id: Any) -> str:
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)

    def read_new(self, shard: int, consumer: str, count: int = 20) -> list[Entry]:
        reply: Any = self.client.xreadgroup(GROUP, consumer, {self.stream(shard): ">"}, count=count)
        entries: list[Entry] = []
        for _stream, items in reply or []:
            entries.extend(self._entry(shard, eid, fields) for eid, fields in items)
        return entries

    def ack(self, entry: Entry) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.xack(self.stream(entry.shard), GROUP, entry.entry_id)
        pipe.xdel(self.stream(entry.shard), entry.entry_id)
        pipe.execute()

    def backlog(self) -> int:
        """Entries queued or pending across all shards (for metrics and tests)."""
        return sum(int(self.client.xlen(self.stream(s))) for s in range(self.shards))

    @staticmethod
    def _entry(shard: int, entry_id: Any, fields: dict[Any, Any]) -> Entry:
        raw = fields.get(b"e", fields.get("e"))
        eid = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
        text = raw.decode() if isinstance(raw, bytes) else str(raw)
        return Entry(shard=shard, entry_id=eid, payload=json.loads(text))
