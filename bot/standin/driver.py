"""``WebhookDriver``: builds, signs and posts LINE webhook requests to the bot."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import http.client
import json
import secrets
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from bot.standin import events
from bot.standin.events import ChatRef
from bot.standin.server import LineStandin

__all__ = ["DEFAULT_DESTINATION", "WebhookDriver"]

#: A well-formed bot user id ("U" and 32 hex digits) for the ``destination`` field.
DEFAULT_DESTINATION = "U" + "deadbeef" * 4


class WebhookDriver:
    """Plays the LINE platform's webhook side: event bodies, signatures, HTTP posts.

    Every ``build_*`` takes ``group_id`` / ``room_id`` (default: a 1:1 chat) and
    ``mode`` ("active" or "standby"). When a stand-in is given, reply tokens come from it
    and image bytes are registered with it, so the bot's replies can be checked there.
    """

    def __init__(
        self,
        bot_url: str,
        channel_secret: str,
        standin: LineStandin | None = None,
        destination: str = DEFAULT_DESTINATION,
        *,
        clock: Callable[[], float] = time.time,
        timeout_s: float = 30.0,
    ) -> None:
        self.bot_url = bot_url
        self.standin = standin
        self.destination = destination
        self._secret = channel_secret.encode()
        self._clock = clock
        self._timeout_s = timeout_s
        self._ids = events.MessageIds()

    # -- events ----------------------------------------------------------------------------
    def build_text(
        self,
        user_id: str,
        text: str,
        *,
        mention_bot: str | None = None,
        quote_token: str | None = None,
        **opts: Any,
    ) -> dict[str, Any]:
        """A text message; ``mention_bot="Sonae"`` sends ``@Sonae <text>`` mentioning the bot."""
        message = events.text_message(self._ids.next(), text, mention_bot, quote_token)
        return self._message_event(user_id, message, **opts)

    def build_location(
        self,
        user_id: str,
        latitude: float,
        longitude: float,
        *,
        title: str | None = None,
        address: str | None = None,
        **opts: Any,
    ) -> dict[str, Any]:
        message = events.location_message(self._ids.next(), latitude, longitude, title, address)
        return self._message_event(user_id, message, **opts)

    def build_image(
        self, user_id: str, data: bytes, *, content_type: str = "image/jpeg", **opts: Any
    ) -> dict[str, Any]:
        """An image message whose bytes the stand-in serves under the message id."""
        message = events.image_message(self._ids.next())
        if self.standin is not None:
            self.standin.add_content(message["id"], data, content_type)
        return self._message_event(user_id, message, **opts)

    def build_postback(
        self, user_id: str, data: str, *, params: Mapping[str, str] | None = None, **opts: Any
    ) -> dict[str, Any]:
        postback: dict[str, Any] = {"data": data}
        if params is not None:
            postback["params"] = dict(params)
        return self._event("postback", user_id, {"postback": postback}, reply=True, **opts)

    def build_follow(self, user_id: str, *, unblocked: bool = False, **opts: Any) -> dict[str, Any]:
        extra = {"follow": {"isUnblocked": unblocked}}
        return self._event("follow", user_id, extra, reply=True, **opts)

    def build_unfollow(self, user_id: str, **opts: Any) -> dict[str, Any]:
        return self._event("unfollow", user_id, {}, reply=False, **opts)

    def redeliver(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """The same event redelivered: same webhookEventId and reply token, new timestamp."""
        again = copy.deepcopy(dict(event))
        again["deliveryContext"] = {"isRedelivery": True}
        again["timestamp"] = self._now_ms()
        return again

    # -- wire ------------------------------------------------------------------------------
    def body(self, *evts: Mapping[str, Any]) -> bytes:
        """The webhook request body: compact UTF-8 JSON, as LINE sends it."""
        payload = {"destination": self.destination, "events": [dict(e) for e in evts]}
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()

    def sign(self, body: bytes) -> str:
        """The ``x-line-signature`` value: base64 HMAC-SHA256 of the body."""
        digest = hmac.new(self._secret, body, hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    def post(
        self,
        body: bytes,
        signature: str | None = "auto",
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, str]:
        """POST ``body`` to the bot; ``signature="auto"`` signs it, None sends no signature."""
        all_headers = {"Content-Type": "application/json; charset=utf-8"}
        all_headers["User-Agent"] = "LineBotWebhook/2.0"
        if signature == "auto":
            signature = self.sign(body)
        if signature is not None:
            all_headers["x-line-signature"] = signature
        all_headers.update(headers or {})
        url = urllib.parse.urlsplit(self.bot_url)
        conn_cls: type[http.client.HTTPConnection] = http.client.HTTPConnection
        if url.scheme == "https":
            conn_cls = http.client.HTTPSConnection
        conn = conn_cls(url.hostname or "127.0.0.1", url.port, timeout=self._timeout_s)
        try:
            path = url.path or "/"
            if url.query:
                path = f"{path}?{url.query}"
            conn.request("POST", path, body=body, headers=all_headers)
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()

    def send(self, *evts: Mapping[str, Any]) -> int:
        """Sign and post ``evts`` in one webhook request; the bot's HTTP status."""
        status, _ = self.post(self.body(*evts))
        return status

    # -- internals -------------------------------------------------------------------------
    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def _message_event(self, user_id: str, message: dict[str, Any], **opts: Any) -> dict[str, Any]:
        return self._event("message", user_id, {"message": message}, reply=True, **opts)

    def _event(
        self,
        kind: str,
        user_id: str,
        extra: dict[str, Any],
        *,
        reply: bool,
        group_id: str | None = None,
        room_id: str | None = None,
        mode: str = "active",
    ) -> dict[str, Any]:
        if mode not in ("active", "standby"):
            raise ValueError(f"mode must be 'active' or 'standby', not {mode!r}")
        chat = ChatRef(user_id, group_id, room_id)
        now = self._now_ms()
        event: dict[str, Any] = {
            "type": kind,
            "mode": mode,
            "timestamp": now,
            "source": events.source(chat),
            "webhookEventId": events.new_ulid(now),
            "deliveryContext": {"isRedelivery": False},
        }
        # In standby mode another channel owns the chat and LINE sends no reply token; the
        # SDK's FollowEvent still requires one, so follow events always carry it.
        if reply and (mode == "active" or kind == "follow"):
            event["replyToken"] = self._reply_token(chat.chat_id)
        event.update(extra)
        return event

    def _reply_token(self, chat_id: str) -> str:
        if self.standin is not None:
            return self.standin.issue_reply_token(chat_id)
        return secrets.token_hex(16)
