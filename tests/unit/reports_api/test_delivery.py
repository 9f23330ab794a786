"""Delivery to the prefecture's system: signed POSTs from an outbox, retried, never lost or duplicated."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from reports_api import ReportStore, SavedReport, run_outbox_once
from reports_api.delivery import retry_delay, start_outbox_scheduler
from reports_api.models import OutboxMessage

from .conftest import YOKOHAMA, Officer, new_report


class Receiver:
    """The prefecture's system on 127.0.0.1: fails the first ``failures`` requests, dedups by delivery id."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.accepted: dict[str, dict[str, Any]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                if receiver.failures > 0:
                    receiver.failures -= 1
                    self.send_response(503)
                else:
                    receiver.accepted.setdefault(self.headers["X-Sonae-Delivery"], json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                return None

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sonae"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(failures=2)
    yield r
    r.close()


def subscribe(admin: Officer, url: str, **body: Any) -> dict[str, Any]:
    response = admin.post("/subscriptions", {"url": url, "label": "神奈川県 防災情報システム", **body})
    assert response.status_code == 201, response.json
    assert response.json is not None
    return response.json


def test_new_and_verified_reports_reach_a_receiver_that_was_down(
    officer: Callable[..., Officer], report: Callable[..., SavedReport], engine: Engine, receiver: Receiver
) -> None:
    admin = officer("admin")
    secret = subscribe(admin, receiver.url)["secret"]
    saved = report()
    officer("moderator").verifies(saved.number)
    now = datetime.now(UTC)
    assert run_outbox_once(engine, now=now) == 0  # the receiver answers 503 twice
    assert run_outbox_once(engine, now=now) == 0  # not due yet: backoff
    later = now + timedelta(minutes=5)
    assert run_outbox_once(engine, now=later) == 2
    assert run_outbox_once(engine, now=later + timedelta(hours=2)) == 0  # nothing is sent twice
    assert len(receiver.requests) == 4
    assert sorted(b["event"] for b in receiver.accepted.values()) == ["report.created", "report.verified"]
    assert {b["report"]["number"] for b in receiver.accepted.values()} == {saved.number}
    # Retries reuse the delivery id and the exact body; every request is signed.
    by_id: dict[str, set[bytes]] = {}
    for headers, body in receiver.requests:
        by_id.setdefault(headers["X-Sonae-Delivery"], set()).add(body)
        expected = hmac.new(secret.encode(), headers["X-Sonae-Timestamp"].encode() + b"." + body, hashlib.sha256)
        assert headers["X-Sonae-Signature"] == "sha256=" + expected.hexdigest()
    assert len(by_id) == 2 and all(len(bodies) == 1 for bodies in by_id.values())
    listed = admin.get("/subscriptions").json
    assert listed is not None and listed["subscriptions"][0]["pending"] == 0
    assert "secret" not in listed["subscriptions"][0]


def test_subscriptions_filter_by_event_and_municipality(
    officer: Callable[..., Officer], engine: Engine, receiver: Receiver
) -> None:
    subscribe(officer("admin"), receiver.url, events=["report.verified"], municipalities=["14205"])
    store = ReportStore(engine)
    ours = store.save(new_report())
    store.save(new_report(municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1]))
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    officer("moderator").verifies(ours.number)
    with Session(engine) as session:
        assert session.scalars(sa.select(OutboxMessage.event)).all() == ["report.verified"]


def test_the_outbox_row_is_part_of_the_reports_transaction(
    officer: Callable[..., Officer], engine: Engine, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscribe(officer("admin"), receiver.url)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("grouping failed")

    monkeypatch.setattr("reports_api.store.assign_incident", broken)
    with pytest.raises(RuntimeError):
        ReportStore(engine).save(new_report())
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert ReportStore(engine).count() == 0


def test_network_errors_are_retried_with_backoff(officer: Callable[..., Officer], engine: Engine) -> None:
    subscribe(officer("admin"), "http://127.0.0.1:9/nothing-listens-here")
    ReportStore(engine).save(new_report())
    calls: list[str] = []

    def refused(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        calls.append(url)
        raise ConnectionRefusedError

    now = datetime.now(UTC)
    assert run_outbox_once(engine, http_post=refused, now=now) == 0
    with Session(engine) as session:
        message = session.scalars(sa.select(OutboxMessage)).one()
        assert (message.attempts, message.last_error) == (1, "ConnectionRefusedError")
        assert message.delivered_at is None
    assert run_outbox_once(engine, http_post=lambda *_a: 204, now=now + retry_delay(1)) == 1
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 10)] == [30, 60, 120, 3600]


def test_revoked_subscriptions_receive_nothing(officer: Callable[..., Officer], engine: Engine) -> None:
    admin = officer("admin")
    sub = subscribe(admin, "http://127.0.0.1:9/x")
    ReportStore(engine).save(new_report())
    assert admin.delete(f"/subscriptions/{sub['id']}").status_code == 204
    assert run_outbox_once(engine, http_post=lambda *_a: 200) == 0
    assert admin.post("/subscriptions", {"url": "ftp://x"}).status_code == 400


def test_the_scheduler_runs_the_loop(engine: Engine) -> None:
    scheduler = start_outbox_scheduler(engine, interval_s=3600)
    try:
        assert scheduler.get_job("sonae-outbox") is not None
    finally:
        scheduler.shutdown(wait=True)


def test_retry_delay_stays_capped_after_a_long_outage(officer: Callable[..., Officer], engine: Engine) -> None:
    assert [retry_delay(n).total_seconds() for n in (0, 8, 43, 1000, 10**6)] == [30, 3600, 3600, 3600, 3600]
    subscribe(officer("admin"), "http://127.0.0.1:9/x")
    ReportStore(engine).save(new_report())
    ReportStore(engine).save(new_report())
    with Session(engine) as session, session.begin():
        first, _second = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        first.attempts = 42  # a receiver down for about 35 hours
    answers = iter([503, 200])
    assert run_outbox_once(engine, http_post=lambda *_a: next(answers), now=datetime.now(UTC)) == 1
    with Session(engine) as session:
        rows = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert (rows[0].attempts, rows[0].last_error, rows[0].delivered_at) == (43, "HTTP 503", None)
        assert rows[1].delivered_at is not None  # accepted deliveries are not rolled back


def test_each_post_is_leased_signed_when_sent_and_recorded_on_its_own(
    officer: Callable[..., Officer], engine: Engine
) -> None:
    subscribe(officer("admin"), "http://127.0.0.1:9/x")
    for _ in range(3):
        ReportStore(engine).save(new_report())
    clock = datetime.now(UTC) + timedelta(days=1)  # the caller's clock decides what is due
    stamps: list[int] = []
    nested: list[int] = []

    def receiver(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        stamps.append(int(headers["X-Sonae-Timestamp"]))
        if len(stamps) == 1:
            # The claim is committed before any POST: other workers (and readers) see the lease.
            with Session(engine) as session:
                rows = session.scalars(sa.select(OutboxMessage)).all()
                assert all(r.next_attempt_at > clock and r.attempts == 1 for r in rows)
            nested.append(run_outbox_once(engine, http_post=lambda *_a: 200, now=clock))
            return 200
        if len(stamps) == 2:
            return 500
        raise SystemExit("the worker dies in the middle of the batch")

    with pytest.raises(SystemExit):
        run_outbox_once(engine, http_post=receiver, now=clock)
    assert nested == [0]  # a second worker takes nothing that is leased
    # Signed with the time of sending, not the batch's (simulated) clock.
    assert all(abs(s - datetime.now(UTC).timestamp()) < 60 for s in stamps)
    with Session(engine) as session:
        first, second, third = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert first.delivered_at is not None  # the crash did not lose it: no duplicate later
    assert (second.delivered_at, second.last_error, second.next_attempt_at) == (
        None,
        "HTTP 500",
        clock + retry_delay(1),
    )
    assert third.delivered_at is None and third.next_attempt_at > clock  # retried once its lease ends
    assert run_outbox_once(engine, http_post=lambda *_a: 200, now=clock + timedelta(minutes=1)) == 1
    assert run_outbox_once(engine, http_post=lambda *_a: 200, now=clock + timedelta(hours=1)) == 1
