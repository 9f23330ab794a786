"""The LINE webhook blueprint: ``POST /callback``.

Order matters: size limit, then the signature over the exact raw bytes, then
parsing and schema validation, then dedup + enqueue; the answer is sent as soon
as the events are safely in Redis. No message text, body or user id is logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, request
from linebot.v3.webhooks.models import Event, MessageContent
from pydantic.v1 import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from bot.metrics import WEBHOOK_EVENTS, WEBHOOK_REQUESTS
from bot.queue import EventQueue, QueuedEvent
from bot.translate import chat_of

__all__ = ["create_webhook_blueprint"]

log = logging.getLogger(__name__)

KNOWN_EVENT_TYPES = frozenset(Event._Event__discriminator_value_class_map)
KNOWN_MESSAGE_TYPES = frozenset(MessageContent._MessageContent__discriminator_value_class_map)


class BadEvent(ValueError):
    """The body parsed as JSON but does not follow LINE's webhook schema."""


def _validate(body: bytes) -> list[dict[str, Any]]:
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadEvent(f"malformed JSON: {exc.__class__.__name__} at position {getattr(exc, 'pos', '?')}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
        raise BadEvent("body must be an object with an 'events' array")
    if not isinstance(doc.get("destination", ""), str):
        raise BadEvent("'destination' must be a string")
    events: list[dict[str, Any]] = []
    for index, event in enumerate(doc["events"]):
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise BadEvent(f"events[{index}] must be an object with a 'type'")
        if event["type"] not in KNOWN_EVENT_TYPES:
            log.info("ignoring event of unknown type %r", event["type"][:40])
            continue
        message = event.get("message")
        unknown_message = isinstance(message, dict) and message.get("type") not in KNOWN_MESSAGE_TYPES
        try:
            if unknown_message:
                # A message type newer than our SDK: check the envelope only.
                for field in ("webhookEventId", "timestamp", "mode"):
                    if field not in event:
                        raise BadEvent(f"events[{index}] lacks '{field}'")
            else:
                Event.from_dict(event)
        except (ValidationError, ValueError, TypeError, KeyError) as exc:
            if isinstance(exc, BadEvent):
                raise
            raise BadEvent(f"events[{index}] ({event['type']}) does not match the schema: {_short(exc)}") from None
        events.append(event)
    return events


def signature_ok(secret: bytes, body: bytes, signature: str) -> bool:
    """HMAC-SHA256 of the exact raw bytes, base64, compared in constant time."""
    expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.strip().encode("ascii", "replace"))


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(".".join(str(p) for p in err["loc"]) + ": " + err["msg"] for err in exc.errors()[:3])
    return exc.__class__.__name__


def _plain(status: int, text: str) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


def create_webhook_blueprint(
    channel_secret: str,
    queue: EventQueue,
    max_body_bytes: int = 1_000_000,
    on_enqueued: Callable[[], None] | None = None,
) -> Blueprint:
    """Build the webhook blueprint; ``on_enqueued`` wakes an in-process worker."""
    bp = Blueprint("line_webhook", __name__)
    secret = channel_secret.encode()

    @bp.post("/callback")
    def callback() -> Response:
        if request.content_length is not None and request.content_length > max_body_bytes:
            WEBHOOK_REQUESTS.labels("too_large").inc()
            return _plain(413, "request body too large")
        try:
            body = request.get_data(cache=False)
        except RequestEntityTooLarge:
            WEBHOOK_REQUESTS.labels("too_large").inc()
            return _plain(413, "request body too large")
        if len(body) > max_body_bytes:
            WEBHOOK_REQUESTS.labels("too_large").inc()
            return _plain(413, "request body too large")
        signature = request.headers.get("X-Line-Signature")
        if not signature:
            WEBHOOK_REQUESTS.labels("bad_signature").inc()
            log.warning("webhook rejected: missing X-Line-Signature")
            return _plain(400, "missing signature")
        if not signature_ok(secret, body, signature):
            WEBHOOK_REQUESTS.labels("bad_signature").inc()
            log.warning("webhook rejected: invalid signature")
            return _plain(400, "invalid signature")
        try:
            events = _validate(body)
        except BadEvent as exc:
            WEBHOOK_REQUESTS.labels("bad_body").inc()
            log.warning("webhook rejected: %s", exc)
            return _plain(400, f"invalid body: {exc}")

        queued: list[QueuedEvent] = []
        for event in events:
            if event.get("mode") == "standby":
                WEBHOOK_EVENTS.labels("standby").inc()
                continue  # another channel (e.g. a module) is answering this chat
            _chat_type, chat_id, user_id = chat_of(event)
            queued.append(
                QueuedEvent(
                    event_id=str(event["webhookEventId"]),
                    shard_key=chat_id or user_id or str(event["webhookEventId"]),
                    payload=event,
                )
            )
        accepted = queue.enqueue(queued)
        dropped = accepted.count(False)
        WEBHOOK_REQUESTS.labels("accepted").inc()
        WEBHOOK_EVENTS.labels("queued").inc(len(accepted) - dropped)
        WEBHOOK_EVENTS.labels("duplicate").inc(dropped)
        if dropped:
            log.info("dropped %d redelivered event(s) already queued", dropped)
        if any(accepted) and on_enqueued is not None:
            on_enqueued()
        current_app.logger.debug("webhook accepted %d event(s)", len(queued) - dropped)
        return _plain(200, "OK")

    return bp
