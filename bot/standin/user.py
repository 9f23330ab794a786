"""``LineUser``: one person talking to the bot, for tests and the terminal chat."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.standin.driver import WebhookDriver
from bot.standin.server import LineStandin

__all__ = ["LineUser"]


class LineUser:
    """Says, sends locations and photos, taps buttons; returns what the bot answered.

    Each action posts one webhook event and waits until at least ``expect`` new messages
    reach this user's chat (the group's, with ``group_id``) in the stand-in.
    """

    def __init__(
        self,
        driver: WebhookDriver,
        standin: LineStandin,
        user_id: str,
        *,
        group_id: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.driver = driver
        self.standin = standin
        self.user_id = user_id
        self.group_id = group_id
        self.timeout_s = timeout_s
        self._seen = len(standin.delivered(self.chat_id))

    @property
    def chat_id(self) -> str:
        return self.group_id or self.user_id

    def says(self, text: str, *, expect: int = 1, **opts: Any) -> list[dict[str, Any]]:
        return self._send(self.driver.build_text(self.user_id, text, **self._opts(opts)), expect)

    def sends_location(
        self, latitude: float, longitude: float, *, expect: int = 1, **opts: Any
    ) -> list[dict[str, Any]]:
        event = self.driver.build_location(self.user_id, latitude, longitude, **self._opts(opts))
        return self._send(event, expect)

    def sends_image(self, data: bytes, *, expect: int = 1, **opts: Any) -> list[dict[str, Any]]:
        return self._send(self.driver.build_image(self.user_id, data, **self._opts(opts)), expect)

    def taps(self, data: str, *, params: Mapping[str, str] | None = None, expect: int = 1) -> list[dict[str, Any]]:
        """A postback, as sent by tapping a button or quick-reply item."""
        event = self.driver.build_postback(self.user_id, data, params=params, **self._opts({}))
        return self._send(event, expect)

    def follows(self, *, expect: int = 1) -> list[dict[str, Any]]:
        return self._send(self.driver.build_follow(self.user_id), expect)

    def unfollows(self) -> None:
        self._send(self.driver.build_unfollow(self.user_id), 0)

    def _opts(self, opts: dict[str, Any]) -> dict[str, Any]:
        if self.group_id is not None:
            opts.setdefault("group_id", self.group_id)
        return opts

    def _send(self, event: dict[str, Any], expect: int) -> list[dict[str, Any]]:
        status = self.driver.send(event)
        if status != 200:
            raise RuntimeError(f"the bot answered the webhook with HTTP {status}")
        got = self.standin.wait_for_delivered(self.chat_id, self._seen + expect, self.timeout_s)
        new, self._seen = got[self._seen :], len(got)
        return new
