"""Conversation state in Redis: JSON with a schema version and a TTL on every key.

The state of a conversation and the record that an event was applied (with the
messages it produced) are written in one MULTI, so a redelivered or re-claimed
event is never applied twice and its answer can be sent again unchanged.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

__all__ = ["SCHEMA_VERSION", "Conversation", "StateStore"]

SCHEMA_VERSION = 2


@dataclass
class Conversation:
    state: str = "idle"
    slots: dict[str, Any] = field(default_factory=dict)
    misses: int = 0
    #: Quick replies offered in the last answer: normalised label → postback data, so a
    #: resident who types a button's label gets the same result as tapping it.
    offered: dict[str, str] = field(default_factory=dict)
    #: A report interrupted by another question: {"state": ..., "slots": ...}.
    suspended: dict[str, Any] | None = None
    updated_at: float = 0.0

    def to_json(self) -> str:
        return json.dumps({"v": SCHEMA_VERSION, **asdict(self)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes | None) -> Conversation:
        if not raw:
            return cls()
        data = json.loads(raw)
        if data.pop("v", None) != SCHEMA_VERSION:
            return cls()  # an older schema: start afresh rather than misread it
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


class StateStore:
    """Conversations and applied-event records, keyed by a hash of the chat and user."""

    def __init__(
        self,
        client: redis.Redis,
        idle_ttl_s: int = 1800,
        prefix: str = "sonae",
        done_ttl_s: int = 7 * 86400,
        clock: Callable[[], float] = time.time,
    ):
        self.clock = clock
        self.client = client
        self.idle_ttl_s = idle_ttl_s
        self.prefix = prefix
        self.done_ttl_s = done_ttl_s

    def key(self, chat_id: str, user_id: str) -> str:
        digest = hashlib.blake2b(f"{chat_id}\x00{user_id}".encode(), digest_size=16).hexdigest()
        return f"{self.prefix}:conv:{digest}"

    def load(self, key: str) -> Conversation:
        conv = Conversation.from_json(self.client.get(key))
        if conv.updated_at and self.clock() - conv.updated_at > self.idle_ttl_s:
            return Conversation()  # expired: nothing half-done survives
        return conv

    def applied(self, event_id: str) -> list[dict[str, Any]] | None:
        """The messages an already applied event produced, or None if it was never applied."""
        raw = self.client.get(f"{self.prefix}:done:{event_id}")
        return None if raw is None else list(json.loads(raw))

    def mark_sent(self, event_id: str) -> None:
        """Record that the event's answer reached LINE, so a re-run does not send it again."""
        self.client.set(f"{self.prefix}:sent:{event_id}", "1", ex=self.done_ttl_s)

    def was_sent(self, event_id: str) -> bool:
        return bool(self.client.exists(f"{self.prefix}:sent:{event_id}"))

    def mark_applied(self, event_id: str, outbox: list[dict[str, Any]]) -> None:
        """Record an event that changed no conversation (e.g. a group message)."""
        self.client.set(f"{self.prefix}:done:{event_id}", json.dumps(outbox, ensure_ascii=False), ex=self.done_ttl_s)

    def commit(
        self,
        key: str,
        conv: Conversation | None,
        event_id: str,
        outbox: list[dict[str, Any]],
        also: Callable[[Any], None] | None = None,
    ) -> None:
        """Store the new state (None forgets it) and mark the event applied, atomically.

        ``also`` adds more writes (e.g. the resident's profile) to the same transaction.
        """
        pipe = self.client.pipeline(transaction=True)
        if also is not None:
            also(pipe)
        if conv is None:
            pipe.delete(key)
        else:
            conv.updated_at = self.clock()
            pipe.set(key, conv.to_json(), ex=self.idle_ttl_s)
        pipe.set(f"{self.prefix}:done:{event_id}", json.dumps(outbox, ensure_ascii=False), ex=self.done_ttl_s)
        pipe.execute()
