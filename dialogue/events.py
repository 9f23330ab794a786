"""Neutral incoming events: what a resident did, independent of LINE's wire format.

``bot/`` translates LINE webhook events into these; ``dialogue/`` only sees these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ChatType", "EventKind", "Incoming"]


class EventKind(StrEnum):
    TEXT = "text"
    LOCATION = "location"
    IMAGE = "image"
    POSTBACK = "postback"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    OTHER = "other"  # a type we do not handle (sticker, video, beacon...)


class ChatType(StrEnum):
    USER = "user"
    GROUP = "group"
    ROOM = "room"


@dataclass(frozen=True)
class Incoming:
    """One resident action, as the dialogue sees it."""

    event_id: str
    kind: EventKind
    user_id: str
    chat_type: ChatType
    #: Where answers go: the user id in a 1:1 chat, else the group or room id.
    chat_id: str
    timestamp_ms: int
    reply_token: str | None = None
    redelivery: bool = False
    text: str | None = None
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    title: str | None = None
    message_id: str | None = None
    postback_data: str | None = None
    #: The bot was mentioned (only meaningful in groups and rooms).
    mentioned: bool = False
    #: The raw LINE type name when ``kind`` is OTHER, for logging.
    other_type: str | None = None
