"""Test helpers that read like the people using the system: a LINE resident and an officer."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from bot.standin import LineStandin, WebhookDriver

__all__ = ["LineUser", "Officer"]


class LineUser:
    """A resident chatting with the bot through the real webhook path and the LINE stand-in."""

    def __init__(self, driver: WebhookDriver, standin: LineStandin, user_id: str):
        self.driver = driver
        self.standin = standin
        self.user_id = user_id
        self.seen = 0
        self.last: list[dict[str, Any]] = []
        self.last_event: dict[str, Any] | None = None

    def _send(self, event: dict[str, Any], expect_answer: bool = True, timeout: float = 30.0) -> list[dict[str, Any]]:
        self.last_event = event
        status = self.driver.send(event)
        assert status == 200, f"webhook answered {status}"
        if not expect_answer:
            return []
        delivered = self.standin.wait_for_delivered(self.user_id, self.seen + 1, timeout=timeout)
        self.last = delivered[self.seen :]
        self.seen = len(delivered)
        return self.last

    def says(self, text: str) -> list[dict[str, Any]]:
        return self._send(self.driver.build_text(self.user_id, text))

    def sends_location(self, lat: float, lon: float, title: str | None = None) -> list[dict[str, Any]]:
        return self._send(self.driver.build_location(self.user_id, lat, lon, title=title))

    def sends_photo(self, data: bytes = b"\xff\xd8\xff\xe0fakejpeg") -> list[dict[str, Any]]:
        return self._send(self.driver.build_image(self.user_id, data))

    def follows(self) -> list[dict[str, Any]]:
        return self._send(self.driver.build_follow(self.user_id))

    def taps(self, label: str) -> list[dict[str, Any]]:
        """Tap the quick reply with this label on the bot's last message."""
        for action in self.quick_replies_actions():
            if action.get("label") == label:
                if action["type"] == "postback":
                    return self._send(self.driver.build_postback(self.user_id, action["data"]))
                return self._send(self.driver.build_text(self.user_id, action.get("text", label)))
        raise AssertionError(f"no quick reply {label!r}; offered: {self.quick_replies()}")

    def quick_replies_actions(self) -> list[dict[str, Any]]:
        items = (self.last[-1].get("quickReply") or {}).get("items", []) if self.last else []
        return [item["action"] for item in items]

    def quick_replies(self) -> list[str]:
        return [a.get("label", "") for a in self.quick_replies_actions()]

    def texts(self) -> str:
        """Everything the bot said in its last answer, as one string (flex as its altText)."""
        return "\n".join(str(m.get("text") or m.get("altText") or "") for m in self.last)


class Officer:
    """A disaster officer using the officers' API with a bearer token."""

    def __init__(self, base_url: str, token: str):
        self.base_url = base_url
        self.token = token

    def get(self, path: str) -> tuple[int, Any]:
        request = urllib.request.Request(self.base_url + path, headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def reports(self, query: str = "") -> list[dict[str, Any]]:
        status, body = self.get("/api/v1/reports" + (f"?{query}" if query else ""))
        assert status == 200, body
        return list(body["reports"])
