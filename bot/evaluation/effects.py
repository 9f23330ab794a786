"""Effects a turn should have had, read back where officers would see them.

Reports are read through the officers' API with a viewer token. Safety answers are read
from their table under the resident's pseudonym (officers' API for them may come later).
A check for a feature this version lacks raises ``Unsupported`` instead of failing.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from sqlalchemy.engine import Engine

__all__ = ["OfficersApi", "Unsupported", "safety_answers"]


class Unsupported(Exception):
    """The scenario needs something this version of Sonae does not do (yet)."""


class OfficersApi:
    """The officers' ``/api/v1`` as a duty officer reads it."""

    def __init__(self, base_url: str, token: str, timeout_s: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s

    def reports(self) -> list[dict[str, Any]]:
        """Every report in the token's scope, newest first (follows the cursor)."""
        found: list[dict[str, Any]] = []
        query = "?limit=100"
        for _ in range(50):
            body = self._get("/api/v1/reports" + query)
            found.extend(body.get("reports") or [])
            cursor = body.get("next_cursor")
            if not cursor:
                break
            query = f"?limit=100&cursor={urllib.parse.quote(str(cursor))}"
        return found

    def _get(self, path: str) -> dict[str, Any]:
        request = urllib.request.Request(self.base_url + path, headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                data: dict[str, Any] = json.loads(response.read())
                return data
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"officers' API {path}: HTTP {exc.code}") from None


def safety_answers(engine: Engine, pseudonym_key: str, user_id: str) -> list[dict[str, Any]]:
    """This resident's stored safety answers, oldest first."""
    try:
        import sqlalchemy as sa

        from reports_api.pseudonym import pseudonymise
        from reports_api.safety import SafetyAnswerRow
    except ImportError:
        raise Unsupported("safety answers are not recorded by this version of Sonae yet") from None
    respondent = pseudonymise(pseudonym_key, user_id)
    query = sa.select(SafetyAnswerRow).where(SafetyAnswerRow.respondent == respondent).order_by(SafetyAnswerRow.id)
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
    except sa.exc.SQLAlchemyError as exc:
        raise Unsupported(f"safety answers cannot be read here ({type(exc).__name__})") from None
    return [{"answer": r["answer"], "campaign_id": r["campaign_id"], "text": r["text"]} for r in rows]
