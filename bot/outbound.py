"""Sending answers to LINE through the real line-bot-sdk (v3).

Reply while the reply token is fresh, else push with a deterministic
``X-Line-Retry-Key`` so a retried or re-processed event is delivered once.
Every call has a timeout; 429 and 5xx are retried with backoff, other 4xx never.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
)

__all__ = ["DeliveryFailed", "LineSender", "retry_key_for"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_RETRY_NAMESPACE = uuid.UUID("6f1c1c1e-5a0e-4d8e-9d39-50a2e0c7b0a1")


def retry_key_for(event_id: str) -> str:
    """The same UUID for the same event, in every process and every attempt."""
    return str(uuid.uuid5(_RETRY_NAMESPACE, event_id))


class DeliveryFailed(RuntimeError):
    """LINE could not be reached or kept failing (429/5xx): try again later."""


@dataclass
class _Permanent(Exception):
    status: int
    detail: str


class LineSender:
    def __init__(
        self,
        api_base: str,
        data_api_base: str,
        access_token: str,
        timeout_s: float = 5.0,
        attempts: int = 4,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.timeout_s = timeout_s
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.sleep = sleep
        self._api = MessagingApi(ApiClient(self._config(api_base, access_token)))
        self._blob = MessagingApiBlob(ApiClient(self._config(data_api_base, access_token)))

    @staticmethod
    def _config(host: str, token: str) -> Configuration:
        config = Configuration(host=host, access_token=token)
        config.retries = 0  # retries are ours: urllib3 must not resend a POST behind our back
        return config

    def _call(self, what: str, fn: Callable[[], T], uncertain: list[bool] | None = None) -> T:
        """Call LINE with retries. ``uncertain`` gets True when an attempt may have reached LINE
        without us hearing back (a timeout or a 5xx)."""
        delay = self.backoff_s
        for attempt in range(1, self.attempts + 1):
            try:
                return fn()
            except ApiException as exc:
                status = int(exc.status or 0)
                if status != 429 and status < 500:
                    raise _Permanent(status, _detail(exc)) from None
                if status >= 500 and uncertain is not None:
                    uncertain.append(True)
                wait = _retry_after(exc) or delay
                log.warning("LINE %s answered %d (attempt %d/%d)", what, status, attempt, self.attempts)
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                if uncertain is not None and not isinstance(exc, urllib3.exceptions.NewConnectionError):
                    uncertain.append(True)
                wait = delay
                log.warning("LINE %s failed: %s (attempt %d/%d)", what, exc.__class__.__name__, attempt, self.attempts)
            if attempt < self.attempts:
                self.sleep(min(wait, 30.0))
                delay *= 2
        raise DeliveryFailed(f"LINE {what} kept failing after {self.attempts} attempts")

    def deliver(self, chat_id: str, reply_token: str | None, messages: list[dict[str, Any]], event_id: str) -> str:
        """Send the messages; returns how ("reply", "push", "nothing", "rejected")."""
        if not messages:
            return "nothing"
        if reply_token:
            request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
            uncertain: list[bool] = []
            try:
                send = lambda: self._api.reply_message(request, _request_timeout=self.timeout_s)  # noqa: E731
                self._call("reply", send, uncertain)
                return "reply"
            except _Permanent as exc:
                if exc.status != 400 or "reply token" not in exc.detail.lower():
                    log.error("LINE rejected a reply (%d): %s", exc.status, exc.detail)
                    return "rejected"
                if uncertain:  # an earlier attempt used the token: LINE took that reply
                    log.info("reply token used by an earlier attempt that timed out; not sending again")
                    return "reply"
                log.info("reply token no longer valid; pushing instead")
        push = PushMessageRequest.from_dict({"to": chat_id, "messages": messages})
        key = retry_key_for(event_id)
        try:
            self._call(
                "push", lambda: self._api.push_message(push, x_line_retry_key=key, _request_timeout=self.timeout_s)
            )
        except _Permanent as exc:
            if exc.status == 409:
                return "push"  # accepted earlier under the same retry key
            log.error("LINE rejected a push (%d): %s", exc.status, exc.detail)
            return "rejected"
        return "push"

    def profile_language(self, user_id: str) -> str | None:
        """The language of the resident's LINE profile, or None when it cannot be read."""
        try:
            profile = self._api.get_profile(user_id, _request_timeout=self.timeout_s)
        except (ApiException, urllib3.exceptions.HTTPError, OSError) as exc:
            log.info("LINE profile not read: %s", exc.__class__.__name__)
            return None
        return getattr(profile, "language", None)

    def show_loading(self, chat_id: str, seconds: int = 20) -> None:
        """Best effort: the animation is a courtesy, never a reason to fail."""
        request = ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=seconds)
        try:
            self._api.show_loading_animation(request, _request_timeout=self.timeout_s)
        except (ApiException, urllib3.exceptions.HTTPError, OSError) as exc:
            log.info("loading animation not shown: %s", exc.__class__.__name__)

    def content(self, message_id: str) -> bytes:
        """Download an image or other content a resident sent."""
        try:
            return self._call(
                "content", lambda: self._blob.get_message_content(message_id, _request_timeout=self.timeout_s)
            )
        except _Permanent as exc:
            raise DeliveryFailed(f"content download refused ({exc.status})") from None


def _detail(exc: ApiException) -> str:
    try:
        body = json.loads(exc.body or b"{}")
    except (ValueError, TypeError):
        return str(exc.reason or "")
    return str(body.get("message") or exc.reason or "")


def _retry_after(exc: ApiException) -> float | None:
    headers = exc.headers or {}
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
