"""The webhook edge: signature first, schema checks, dedup, size limit, standby."""

from __future__ import annotations

import json
from typing import Any

import fakeredis
import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.queue import EventQueue
from bot.standin import WebhookDriver
from bot.webhook import create_webhook_blueprint

SECRET = "webhook-test-secret"


@pytest.fixture
def queue() -> EventQueue:
    q = EventQueue(fakeredis.FakeRedis(server=fakeredis.FakeServer()), shards=2)
    q.ensure_groups()
    return q


@pytest.fixture
def client(queue: EventQueue) -> FlaskClient:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1_000_000
    app.register_blueprint(create_webhook_blueprint(SECRET, queue))
    return app.test_client()


@pytest.fixture
def driver() -> WebhookDriver:
    return WebhookDriver("http://127.0.0.1:1/callback", SECRET)


def post(client: FlaskClient, driver: WebhookDriver, body: bytes, signature: str | None = "auto") -> Any:
    headers = {"Content-Type": "application/json"}
    if signature == "auto":
        signature = driver.sign(body)
    if signature is not None:
        headers["X-Line-Signature"] = signature
    return client.post("/callback", data=body, headers=headers)


def test_signed_events_are_queued(client: FlaskClient, driver: WebhookDriver, queue: EventQueue) -> None:
    body = driver.body(driver.build_text("U1", "冠水しています"), driver.build_follow("U2"))
    assert post(client, driver, body).status_code == 200
    assert queue.backlog() == 2


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl", "garbage!"])
def test_missing_or_forged_signature_is_rejected_unprocessed(
    client: FlaskClient, driver: WebhookDriver, queue: EventQueue, signature: str | None
) -> None:
    body = driver.body(driver.build_text("U1", "冠水"))
    response = post(client, driver, body, signature=signature)
    assert response.status_code == 400
    assert "signature" in response.get_data(as_text=True)
    assert queue.backlog() == 0


def test_signature_is_over_the_exact_bytes(client: FlaskClient, driver: WebhookDriver, queue: EventQueue) -> None:
    body = driver.body(driver.build_text("U1", "冠水"))
    signature = driver.sign(body)
    tampered = body.replace("冠水".encode(), "火事".encode())
    assert post(client, driver, tampered, signature=signature).status_code == 400
    assert queue.backlog() == 0


def test_verify_request_is_answered(client: FlaskClient, driver: WebhookDriver, queue: EventQueue) -> None:
    assert post(client, driver, driver.body()).status_code == 200
    assert queue.backlog() == 0


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'{"events": {}}', "\ud83d".encode("utf-8", "surrogatepass"), b""],
)
def test_malformed_bodies_get_400(client: FlaskClient, driver: WebhookDriver, body: bytes) -> None:
    assert post(client, driver, body).status_code == 400


def test_schema_invalid_event_gets_400_with_a_reason(
    client: FlaskClient, driver: WebhookDriver, queue: EventQueue, caplog: pytest.LogCaptureFixture
) -> None:
    event = driver.build_location("U1", 35.0, 139.0)
    del event["message"]["latitude"]
    response = post(client, driver, driver.body(event))
    assert response.status_code == 400
    assert "schema" in response.get_data(as_text=True)
    assert any("schema" in r.getMessage() for r in caplog.records)
    assert queue.backlog() == 0


def test_unknown_event_type_is_ignored_and_logged_by_type(
    client: FlaskClient, driver: WebhookDriver, queue: EventQueue, caplog: pytest.LogCaptureFixture
) -> None:
    odd = {**driver.build_follow("U1"), "type": "teleport"}
    caplog.set_level("INFO")
    assert post(client, driver, driver.body(odd, driver.build_text("U1", "こんにちは"))).status_code == 200
    assert queue.backlog() == 1
    assert any("teleport" in r.getMessage() for r in caplog.records)


def test_unknown_message_type_is_queued_for_a_polite_answer(
    client: FlaskClient, driver: WebhookDriver, queue: EventQueue
) -> None:
    event = driver.build_text("U1", "x")
    event["message"] = {"type": "hologram", "id": "123"}
    assert post(client, driver, driver.body(event)).status_code == 200
    assert queue.backlog() == 1


def test_redelivery_is_queued_once(client: FlaskClient, driver: WebhookDriver, queue: EventQueue) -> None:
    event = driver.build_text("U1", "倒木で道が通れない")
    assert post(client, driver, driver.body(event)).status_code == 200
    assert post(client, driver, driver.body(driver.redeliver(event))).status_code == 200
    assert queue.backlog() == 1


def test_standby_events_are_skipped(client: FlaskClient, driver: WebhookDriver, queue: EventQueue) -> None:
    body = driver.body(driver.build_text("U1", "こんにちは", mode="standby"))
    assert post(client, driver, body).status_code == 200
    assert queue.backlog() == 0


def test_group_and_room_events_are_accepted(client: FlaskClient, driver: WebhookDriver, queue: EventQueue) -> None:
    body = driver.body(
        driver.build_text("U1", "@そなえ 避難所は？", group_id="C" + "1" * 32, mention_bot="そなえ"),
        driver.build_text("U2", "こんにちは", room_id="R" + "2" * 32),
    )
    assert post(client, driver, body).status_code == 200
    assert queue.backlog() == 2


def test_two_megabyte_body_gets_413(client: FlaskClient, driver: WebhookDriver, queue: EventQueue) -> None:
    big = json.dumps({"destination": "x", "events": [], "pad": "あ" * 700_000}).encode()
    assert len(big) > 2_000_000
    assert post(client, driver, big).status_code == 413
    assert queue.backlog() == 0


def test_nothing_personal_is_logged(
    client: FlaskClient, driver: WebhookDriver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    event = driver.build_text("Uf00d" + "0" * 28, "藤沢市辻堂1-2-3 で火事")
    post(client, driver, driver.body(event))
    post(client, driver, b"{broken " + "辻堂".encode())
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "辻堂" not in logged and "Uf00d" not in logged
