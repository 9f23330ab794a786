"""The officers' side of the walking path: a resident's report reaches the prefecture's system
(signed, once) and can be reviewed through the API."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.embedded import EmbeddedStack
from bot.standin import LineUser, WebhookDriver
from reports_api import create_token
from tests.e2e.conftest import stack_settings

pytestmark = pytest.mark.slow


class Receiver:
    """The prefecture's disaster information system: records signed deliveries."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sonae"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()


@pytest.fixture
def quick_outbox(tmp_path: Path, database_url: str, redis_client: object) -> Iterator[EmbeddedStack]:
    settings = stack_settings(tmp_path, database_url).replace(outbox_interval_s=0.2)
    with EmbeddedStack(settings, standin=True, migrate=True) as running:
        yield running


def call(stack: EmbeddedStack, token: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        stack.url + path, data=data, method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def test_a_report_reaches_the_prefecture_system_signed_and_once(quick_outbox: EmbeddedStack) -> None:
    stack = quick_outbox
    assert stack.standin is not None
    receiver = Receiver()
    admin = create_token(stack.runtime.engine, "admin", label="prefecture admin")
    subscription = {"url": receiver.url, "events": ["report.created", "report.verified"], "label": "県システム"}
    status, created = call(stack, admin, "POST", "/api/v1/subscriptions", subscription)
    assert status in (200, 201), created
    secret = created["secret"]

    driver = WebhookDriver(stack.url + "/callback", stack.settings.line_channel_secret, stack.standin)
    resident = LineUser(driver, stack.standin, "U" + "9a" * 16, timeout_s=30.0)
    resident.says("辻堂駅の前で道路が陥没して通れません")
    resident.taps("送信")
    number = resident.texts().split("受付番号は ")[1].split(" ")[0]

    moderator = create_token(stack.runtime.engine, "moderator", ["14205"], label="藤沢市 当番")
    status, _ = call(stack, moderator, "POST", f"/api/v1/reports/{number}/status", {"status": "verified"})
    assert status == 200

    deadline = time.monotonic() + 20
    while len(receiver.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    events = []
    for headers, body in receiver.received:
        timestamp = headers.get("x-sonae-timestamp", "")
        expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        assert headers["x-sonae-signature"] == f"sha256={expected}"
        payload = json.loads(body)
        assert payload["report"]["number"] == number
        assert resident.user_id not in body.decode()
        events.append(payload["event"])
    assert sorted(events) == ["report.created", "report.verified"]
    time.sleep(0.5)  # further outbox passes send nothing again
    assert len(receiver.received) == 2
