"""Test helpers that read like the people using the system: a LINE resident and an officer.

``LineUser`` lives in ``bot.standin`` (the terminal chat and evaluators use it too).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from bot.standin import LineUser

__all__ = ["LineUser", "Officer"]


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
