"""Builders for LINE webhook event objects (the shapes ``linebot.v3.webhooks`` parses)."""

from __future__ import annotations

import itertools
import os
import secrets
import time
from typing import Any

from bot.standin.limits import utf16_len

__all__ = [
    "ChatRef",
    "MessageIds",
    "image_message",
    "location_message",
    "new_ulid",
    "source",
    "text_message",
]

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ulid(now_ms: int | None = None) -> str:
    """A ULID: 48-bit millisecond time and 80 random bits, 26 Crockford base-32 characters."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    value = (ms & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


class MessageIds:
    """Increasing numeric message ids, like LINE's (18-digit decimal strings)."""

    def __init__(self) -> None:
        self._counter = itertools.count(400_000_000_000_000_000 + secrets.randbelow(10**15))

    def next(self) -> str:
        return str(next(self._counter))


class ChatRef:
    """Where an event comes from: a 1:1 chat, a group or a room."""

    def __init__(self, user_id: str, group_id: str | None = None, room_id: str | None = None):
        if group_id is not None and room_id is not None:
            raise ValueError("an event comes from a group or a room, not both")
        self.user_id = user_id
        self.group_id = group_id
        self.room_id = room_id

    @property
    def chat_id(self) -> str:
        """The id replies and pushes go to."""
        return self.group_id or self.room_id or self.user_id


def source(chat: ChatRef) -> dict[str, Any]:
    if chat.group_id is not None:
        return {"type": "group", "groupId": chat.group_id, "userId": chat.user_id}
    if chat.room_id is not None:
        return {"type": "room", "roomId": chat.room_id, "userId": chat.user_id}
    return {"type": "user", "userId": chat.user_id}


def text_message(message_id: str, text: str, mention_bot: str | None, quote_token: str | None) -> dict[str, Any]:
    """A text message; with ``mention_bot`` the text starts with ``@<bot name> ``."""
    message: dict[str, Any] = {"id": message_id, "type": "text"}
    if mention_bot is not None:
        handle = f"@{mention_bot}"
        text = f"{handle} {text}"
        # LINE counts mention positions in UTF-16 code units.
        mentionee = {"index": 0, "length": utf16_len(handle), "type": "user", "isSelf": True}
        message["mention"] = {"mentionees": [mentionee]}
    message["text"] = text
    message["quoteToken"] = quote_token or secrets.token_urlsafe(32)
    return message


def location_message(
    message_id: str, latitude: float, longitude: float, title: str | None, address: str | None
) -> dict[str, Any]:
    message: dict[str, Any] = {"id": message_id, "type": "location"}
    if title is not None:
        message["title"] = title
    if address is not None:
        message["address"] = address
    message.update(latitude=latitude, longitude=longitude)
    return message


def image_message(message_id: str) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": "image",
        "contentProvider": {"type": "line"},
        "quoteToken": secrets.token_urlsafe(32),
    }
