"""Tokens API, rate limits and clear 401/403 errors."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine

from reports_api import create_token

from .conftest import Officer, make_app

REDIS_URL = os.environ.get("SONAE_TEST_REDIS_URL") or None


def test_an_admin_creates_lists_and_revokes_tokens(officer: Callable[..., Officer]) -> None:
    admin = officer("admin")
    created = admin.post("/tokens", {"role": "moderator", "municipalities": ["14205"], "label": "藤沢市 防災課"})
    assert created.status_code == 201 and created.json is not None
    plaintext = created.json["token"]
    assert plaintext.startswith("sonae_")
    assert created.json["municipalities"] == ["14205"] and created.json["role"] == "moderator"
    listed = admin.get("/tokens").json
    assert listed is not None
    assert created.json["id"] in [t["id"] for t in listed["tokens"]]
    assert plaintext not in str(listed) and "token_hash" not in str(listed)  # shown once, never again
    new = Officer(admin.client, plaintext)
    assert new.lists().status_code == 200
    assert admin.delete(f"/tokens/{created.json['id']}").status_code == 204
    assert new.lists().status_code == 401
    assert admin.delete(f"/tokens/{created.json['id']}").status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"role": "root"}, {"role": "viewer", "municipalities": ["藤沢"]}, {"municipalities": []}, []],
)
def test_bad_token_requests(officer: Callable[..., Officer], body: object) -> None:
    response = officer("admin").post("/tokens", body)
    assert response.status_code == 400 and response.json is not None and response.json["error"] == "bad_request"


@pytest.mark.parametrize(("role", "scope"), [("moderator", ()), ("viewer", ()), ("admin", ("14205",))])
def test_only_prefecture_wide_admins_manage_tokens(
    officer: Callable[..., Officer], role: str, scope: tuple[str, ...]
) -> None:
    caller = officer(role, *scope)
    for response in (caller.get("/tokens"), caller.post("/tokens", {"role": "admin"}), caller.get("/subscriptions")):
        assert response.status_code == 403
        assert response.json is not None and response.json["error"] == "forbidden" and response.json["message"]


def _limited_client(engine: Engine, redis_url: str | None) -> Officer:
    client = make_app(engine, rate_limit="3 per minute", redis_url=redis_url).test_client()
    return Officer(client, create_token(engine, "viewer"), engine)


@pytest.mark.parametrize(
    "storage",
    [None, pytest.param(REDIS_URL, marks=pytest.mark.skipif(REDIS_URL is None, reason="SONAE_TEST_REDIS_URL unset"))],
    ids=["memory", "redis"],
)
def test_rate_limits_answer_429_in_json(engine: Engine, storage: str | None) -> None:
    if storage is not None:
        import redis

        redis.Redis.from_url(storage).flushdb()
    officer = _limited_client(engine, storage)
    codes = [officer.lists().status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = officer.lists()
    assert limited.json is not None and limited.json["error"] == "too_many_requests"
    assert "Retry-After" in limited.headers
    # Limits count per token: another officer is not affected.
    other = Officer(officer.client, create_token(engine, "viewer"))
    assert other.lists().status_code == 200
    # The OpenAPI document is not limited.
    assert all(officer.client.get("/api/v1/openapi.json").status_code == 200 for _ in range(5))


def test_rate_limits_count_per_token_id_and_per_address_for_bad_tokens(engine: Engine) -> None:
    client = make_app(engine, rate_limit="3 per minute").test_client()
    token = create_token(engine, "viewer")
    # Spacing and the scheme's case change the header, not the token: one bucket.
    variants = [f"Bearer {token}", f"Bearer  {token}", f"bearer {token}", f"BEARER   {token} "]
    codes = [client.get("/api/v1/reports", headers={"Authorization": v}).status_code for v in variants]
    assert codes == [200, 200, 200, 429]
    # Unknown tokens count per client address, whatever they are.
    other = "10.0.0.7"
    bad = [
        client.get(
            "/api/v1/reports", headers={"Authorization": f"Bearer sonae_guess{n}"}, environ_base={"REMOTE_ADDR": other}
        ).status_code
        for n in range(4)
    ]
    assert bad == [401, 401, 401, 429]
    # A valid token from that address still has its own bucket.
    fresh = create_token(engine, "viewer")
    headers = {"Authorization": f"Bearer {fresh}"}
    assert client.get("/api/v1/reports", headers=headers, environ_base={"REMOTE_ADDR": other}).status_code == 200
