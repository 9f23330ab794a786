"""Thread-safe state of the LINE stand-in: recorded calls, deliveries, tokens and faults."""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Fault", "Profile", "RecordedCall", "StandinState", "new_request_id"]


@dataclass(frozen=True)
class RecordedCall:
    """One HTTP call the stand-in answered. Header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int
    at: float


@dataclass
class Fault:
    """The next ``remaining`` calls under ``prefix`` answer ``status`` (0: normal answer)."""

    prefix: str
    status: int
    remaining: int
    retry_after: int | None = None
    delay_s: float = 0.0
    deliver: bool = False


@dataclass(frozen=True)
class Profile:
    user_id: str
    display_name: str
    language: str


@dataclass
class _Token:
    chat_id: str
    expires_at: float
    used: bool = False


@dataclass
class StandinState:
    """Everything the stand-in remembers; every method takes the one lock."""

    reply_token_ttl_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _calls: list[RecordedCall] = field(default_factory=list)
    _delivered: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _loading: dict[str, list[int]] = field(default_factory=dict)
    _tokens: dict[str, _Token] = field(default_factory=dict)
    _retry_keys: dict[str, tuple[str, list[dict[str, str]]]] = field(default_factory=dict)
    _faults: list[Fault] = field(default_factory=list)
    _contents: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    _profiles: dict[str, Profile] = field(default_factory=dict)
    _next_message_id: int = field(default_factory=lambda: 500_000_000_000_000_000)

    # -- recording -------------------------------------------------------------------------
    def record(self, call: RecordedCall) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def calls(self) -> list[RecordedCall]:
        with self._cond:
            return list(self._calls)

    def clear(self) -> None:
        """Forget calls, deliveries, loading calls and pending faults (not tokens or keys)."""
        with self._cond:
            self._calls.clear()
            self._delivered.clear()
            self._loading.clear()
            self._faults.clear()

    # -- deliveries ------------------------------------------------------------------------
    def deliver(self, chat_ids: list[str], messages: list[dict[str, Any]]) -> list[dict[str, str]]:
        """Deliver ``messages`` to every chat; return LINE's ``sentMessages`` entries."""
        with self._cond:
            sent = []
            for message in messages:
                self._next_message_id += 1
                entry = {"id": str(self._next_message_id)}
                if message.get("type") in ("text", "sticker", "image", "video"):
                    entry["quoteToken"] = secrets.token_urlsafe(24)
                sent.append(entry)
            for chat_id in chat_ids:
                self._delivered.setdefault(chat_id, []).extend(dict(m) for m in messages)
            self._cond.notify_all()
            return sent

    def delivered(self, chat_id: str) -> list[dict[str, Any]]:
        with self._cond:
            return list(self._delivered.get(chat_id, []))

    def wait_for_delivered(self, chat_id: str, count: int, timeout: float) -> list[dict[str, Any]]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self._delivered.get(chat_id, [])) >= count, timeout)
            got = list(self._delivered.get(chat_id, []))
        if not ok:
            raise TimeoutError(f"{chat_id}: {len(got)} message(s) delivered, expected {count}")
        return got

    def add_loading(self, chat_id: str, seconds: int) -> None:
        with self._cond:
            self._loading.setdefault(chat_id, []).append(seconds)

    def loading_calls(self, chat_id: str) -> list[int]:
        with self._cond:
            return list(self._loading.get(chat_id, []))

    # -- reply tokens and retry keys -------------------------------------------------------
    def issue_reply_token(self, chat_id: str) -> str:
        token = secrets.token_hex(16)
        with self._cond:
            self._tokens[token] = _Token(chat_id, self.clock() + self.reply_token_ttl_s)
        return token

    def redeem_reply_token(self, token: str) -> str | None:
        """The chat a still-valid, unused token belongs to (marking it used), else None."""
        with self._cond:
            entry = self._tokens.get(token)
            if entry is None or entry.used or self.clock() > entry.expires_at:
                return None
            entry.used = True
            return entry.chat_id

    def deliver_once(
        self, key: str | None, request_id: str, chat_ids: list[str], messages: list[dict[str, Any]]
    ) -> tuple[bool, str, list[dict[str, str]]]:
        """Deliver unless ``key`` was accepted before; (delivered, request id, sentMessages)."""
        with self._cond:
            if key is not None and key in self._retry_keys:
                first_id, sent = self._retry_keys[key]
                return False, first_id, sent
            sent = self.deliver(chat_ids, messages)
            if key is not None:
                self._retry_keys[key] = (request_id, sent)
            return True, request_id, sent

    # -- faults ----------------------------------------------------------------------------
    def add_fault(self, fault: Fault) -> None:
        with self._cond:
            self._faults.append(fault)

    def take_fault(self, path: str) -> Fault | None:
        """Consume one use of the first pending fault matching ``path``."""
        with self._cond:
            for fault in self._faults:
                if path.startswith(fault.prefix):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
            return None

    # -- content and profiles --------------------------------------------------------------
    def add_content(self, message_id: str, data: bytes, content_type: str) -> None:
        with self._cond:
            self._contents[message_id] = (data, content_type)

    def content(self, message_id: str) -> tuple[bytes, str] | None:
        with self._cond:
            return self._contents.get(message_id)

    def add_profile(self, profile: Profile) -> None:
        with self._cond:
            self._profiles[profile.user_id] = profile

    def profile(self, user_id: str) -> Profile | None:
        with self._cond:
            return self._profiles.get(user_id)


def new_request_id() -> str:
    return str(uuid.uuid4())
