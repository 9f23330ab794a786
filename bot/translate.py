"""LINE webhook events (validated JSON dicts) → neutral ``Incoming`` events.

This is the only place that knows LINE's event shapes on the way in.
"""

from __future__ import annotations

from typing import Any

from dialogue.events import ChatType, EventKind, Incoming

__all__ = ["chat_of", "to_incoming"]


def chat_of(event: dict[str, Any]) -> tuple[ChatType, str, str]:
    """Return (chat type, chat id to answer to, acting user id) of a webhook event."""
    source = event.get("source") or {}
    user_id = str(source.get("userId") or "")
    kind = source.get("type")
    if kind == "group":
        return ChatType.GROUP, str(source.get("groupId") or ""), user_id
    if kind == "room":
        return ChatType.ROOM, str(source.get("roomId") or ""), user_id
    return ChatType.USER, user_id, user_id


def _mentions_bot(message: dict[str, Any]) -> bool:
    mention = message.get("mention") or {}
    return any(m.get("isSelf") for m in mention.get("mentionees") or [])


def to_incoming(event: dict[str, Any]) -> Incoming:
    """Translate one webhook event; types we do not handle become ``EventKind.OTHER``."""
    chat_type, chat_id, user_id = chat_of(event)
    base: dict[str, Any] = {
        "event_id": str(event.get("webhookEventId") or ""),
        "user_id": user_id,
        "chat_type": chat_type,
        "chat_id": chat_id,
        "timestamp_ms": int(event.get("timestamp") or 0),
        "reply_token": event.get("replyToken"),
        "redelivery": bool((event.get("deliveryContext") or {}).get("isRedelivery")),
    }
    etype = event.get("type")
    if etype == "message":
        message = event.get("message") or {}
        mtype = message.get("type")
        if mtype == "text":
            return Incoming(
                kind=EventKind.TEXT,
                text=str(message.get("text") or ""),
                mentioned=_mentions_bot(message),
                **base,
            )
        if mtype == "location":
            return Incoming(
                kind=EventKind.LOCATION,
                lat=float(message["latitude"]),
                lon=float(message["longitude"]),
                address=message.get("address"),
                title=message.get("title"),
                **base,
            )
        if mtype == "image":
            return Incoming(kind=EventKind.IMAGE, message_id=str(message.get("id")), **base)
        return Incoming(kind=EventKind.OTHER, other_type=f"message/{mtype}", **base)
    if etype == "postback":
        data = (event.get("postback") or {}).get("data")
        return Incoming(kind=EventKind.POSTBACK, postback_data=str(data or ""), **base)
    if etype == "follow":
        return Incoming(kind=EventKind.FOLLOW, **base)
    if etype == "unfollow":
        return Incoming(kind=EventKind.UNFOLLOW, **base)
    return Incoming(kind=EventKind.OTHER, other_type=str(etype), **base)
