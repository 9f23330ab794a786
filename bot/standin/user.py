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
        #: The bot's answer to the last action, and the last event sent.
        self.last: list[dict[str, Any]] = []
        self.last_event: dict[str, Any] | None = None

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

    def posts_back(
        self, data: str, *, params: Mapping[str, str] | None = None, expect: int = 1
    ) -> list[dict[str, Any]]:
        """A postback with this data, as sent by a button or quick-reply item."""
        event = self.driver.build_postback(self.user_id, data, params=params, **self._opts({}))
        return self._send(event, expect)

    def taps(self, label: str, *, expect: int = 1) -> list[dict[str, Any]]:
        """Tap the quick reply with this label on the bot's last answer, as a person would."""
        for action in self.quick_reply_actions():
            if action.get("label") != label:
                continue
            if action.get("type") == "postback":
                return self.posts_back(str(action["data"]), expect=expect)
            if action.get("type") == "message":
                return self.says(str(action.get("text", label)), expect=expect)
            raise ValueError(f"quick reply {label!r} is a {action.get('type')} action; send the event directly")
        raise LookupError(f"no quick reply {label!r}; offered: {self.quick_replies()}")

    def quick_reply_actions(self) -> list[dict[str, Any]]:
        """The actions of the quick replies on the last message of the bot's last answer."""
        if not self.last:
            return []
        items = (self.last[-1].get("quickReply") or {}).get("items") or []
        return [item["action"] for item in items]

    def quick_replies(self) -> list[str]:
        return [str(a.get("label", "")) for a in self.quick_reply_actions()]

    def texts(self) -> str:
        """Everything the bot said in its last answer (flex messages by their altText)."""
        return "\n".join(str(m.get("text") or m.get("altText") or "") for m in self.last)

    def follows(self, *, expect: int = 1) -> list[dict[str, Any]]:
        return self._send(self.driver.build_follow(self.user_id), expect)

    def unfollows(self) -> None:
        self._send(self.driver.build_unfollow(self.user_id), 0)

    def _opts(self, opts: dict[str, Any]) -> dict[str, Any]:
        if self.group_id is not None:
            opts.setdefault("group_id", self.group_id)
        return opts

    def _send(self, event: dict[str, Any], expect: int) -> list[dict[str, Any]]:
        self.last_event = event
        status = self.driver.send(event)
        if status != 200:
            raise RuntimeError(f"the bot answered the webhook with HTTP {status}")
        got = self.standin.wait_for_delivered(self.chat_id, self._seen + expect, self.timeout_s)
        self.last, self._seen = got[self._seen :], len(got)
        return self.last
