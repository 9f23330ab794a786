"""Delivery to the prefecture's system: subscriptions, a transactional outbox, signed POSTs.

A change that subscribers must hear about (a new report, a verification) writes one outbox
row per matching subscription in the same transaction as the change, so nothing is lost
while a receiver is down. :func:`run_outbox_once` POSTs due rows; a failure is retried with
exponential backoff. Each row keeps its ``delivery_id`` and exact body across retries, so a
receiver that deduplicates by ``X-Sonae-Delivery`` sees each event once.

Signature: ``X-Sonae-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Sonae-Timestamp>." + body)>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .api_json import report_json, timestamp
from .models import AuditEntry, OutboxMessage, Subscription
from .views import SavedReport

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

__all__ = [
    "EVENTS",
    "HttpPost",
    "SubscriptionView",
    "create_subscription",
    "enqueue",
    "list_subscriptions",
    "retry_delay",
    "revoke_subscription",
    "run_outbox_once",
    "sign",
    "start_outbox_scheduler",
]

log = logging.getLogger(__name__)
EVENTS = ("report.created", "report.verified")
MAX_DELAY = timedelta(hours=1)
#: 30 s × 2**7 is past MAX_DELAY: a larger exponent only risks overflowing timedelta.
_MAX_EXPONENT = 7
#: How long a worker owns the rows it claimed while it POSTs them (another worker may retry after).
LEASE = timedelta(minutes=2)
#: (url, body, headers, timeout in seconds) -> HTTP status code; raises on network errors.
HttpPost = Callable[[str, bytes, dict[str, str], float], int]


@dataclass(frozen=True)
class SubscriptionView:
    id: int
    label: str
    url: str
    events: tuple[str, ...]
    municipalities: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None
    pending: int = 0


def sign(secret: str, stamp: str, body: bytes) -> str:
    """The ``X-Sonae-Signature`` value for ``body`` sent at ``stamp``."""
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at one hour."""
    exponent = min(max(attempts - 1, 0), _MAX_EXPONENT)
    return min(timedelta(seconds=30 * 2**exponent), MAX_DELAY)


def _view(row: Subscription, pending: int = 0) -> SubscriptionView:
    return SubscriptionView(
        row.id,
        row.label,
        row.url,
        tuple(row.events),
        tuple(row.municipalities),
        row.created_at,
        row.revoked_at,
        pending,
    )


def create_subscription(
    engine: Engine, *, url: str, events: Iterable[str], municipalities: Iterable[str] = (), label: str, actor: str
) -> tuple[SubscriptionView, str]:
    """Create a subscription; returns it with its signing secret (shown only this once)."""
    chosen = sorted(set(events))
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown or not chosen:
        raise ValueError(f"events must be among: {', '.join(EVENTS)}")
    if not url.startswith(("https://", "http://")):
        raise ValueError("url must be an http(s) URL")
    secret = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        row = Subscription(
            label=label,
            url=url,
            secret=secret,
            events=chosen,
            municipalities=sorted(set(municipalities)),
            created_at=now,
        )
        session.add(row)
        session.flush()
        session.add(
            AuditEntry(
                at=now,
                actor=actor,
                action="subscription.created",
                detail={"before": None, "after": {"subscription_id": row.id, "events": chosen}},
            )
        )
        return _view(row), secret


def list_subscriptions(engine: Engine) -> list[SubscriptionView]:
    pending = (
        sa.select(sa.func.count())
        .where(OutboxMessage.subscription_id == Subscription.id, OutboxMessage.delivered_at.is_(None))
        .scalar_subquery()
    )
    with Session(engine) as session:
        rows = session.execute(sa.select(Subscription, pending).order_by(Subscription.id)).all()
        return [_view(row, count) for row, count in rows]


def revoke_subscription(engine: Engine, subscription_id: int, *, actor: str) -> bool:
    """Stop a subscription (pending deliveries are dropped); False when absent or already revoked."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        row = session.get(Subscription, subscription_id) if abs(subscription_id) < 2**31 else None
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = now
        session.add(
            AuditEntry(
                at=now,
                actor=actor,
                action="subscription.revoked",
                detail={"before": {"subscription_id": row.id}, "after": {"revoked": True}},
            )
        )
        return True


def enqueue(session: Session, report: SavedReport, event: str, now: datetime) -> int:
    """Write outbox rows for ``event`` on ``report`` in the caller's transaction; returns how many."""
    subscriptions = session.scalars(sa.select(Subscription).where(Subscription.revoked_at.is_(None))).all()
    count = 0
    for sub in subscriptions:
        if event not in sub.events or (sub.municipalities and report.municipality_code not in sub.municipalities):
            continue
        delivery_id = str(uuid.uuid4())
        payload = {
            "delivery_id": delivery_id,
            "event": event,
            "occurred_at": timestamp(now),
            "report": report_json(report),
        }
        session.add(
            OutboxMessage(
                delivery_id=delivery_id,
                subscription_id=sub.id,
                event=event,
                report_id=report.id,
                body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                created_at=now,
                attempts=0,
                next_attempt_at=now,
                last_error="",
            )
        )
        count += 1
    return count


def urllib_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST with the standard library; the status code, also for 4xx/5xx answers."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@dataclass(frozen=True)
class _Claimed:
    """A delivery a worker leased: everything needed to POST it outside any transaction."""

    message_id: int
    delivery_id: str
    event: str
    body: bytes
    subscription_id: int
    url: str
    secret: str
    attempts: int


def _claim(engine: Engine, now: datetime, batch: int, timeout: float) -> list[_Claimed]:
    """Lease up to ``batch`` due rows (attempt counted, ``next_attempt_at`` pushed past the sends) and commit."""
    due = (
        sa.select(OutboxMessage, Subscription)
        .join(Subscription, Subscription.id == OutboxMessage.subscription_id)
        .where(
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            Subscription.revoked_at.is_(None),
        )
        .order_by(OutboxMessage.id)
        .limit(batch)
        # Several workers may run this loop: each row goes to one of them (PostgreSQL).
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    # The lease outlasts every POST of the batch, so no other worker takes a row while it is in flight;
    # if this worker dies, the rows become due again when the lease ends.
    lease_until = now + max(LEASE, timedelta(seconds=timeout * batch))
    claimed: list[_Claimed] = []
    with Session(engine) as session, session.begin():
        for message, sub in session.execute(due).all():
            message.attempts += 1
            message.next_attempt_at = lease_until
            claimed.append(
                _Claimed(
                    message.id,
                    message.delivery_id,
                    message.event,
                    message.body.encode(),
                    sub.id,
                    sub.url,
                    sub.secret,
                    message.attempts,
                )
            )
    return claimed


def _record(engine: Engine, item: _Claimed, error: str, at: datetime) -> None:
    """Store one POST's outcome in its own short transaction."""
    with Session(engine) as session, session.begin():
        message = session.get(OutboxMessage, item.message_id)
        if message is None or message.delivered_at is not None:
            return
        if error:
            message.last_error = error[:200]
            message.next_attempt_at = at + retry_delay(item.attempts)
        else:
            message.delivered_at = at
            message.last_error = ""


def run_outbox_once(
    engine: Engine,
    http_post: HttpPost | None = None,
    *,
    batch: int = 50,
    timeout: float = 10.0,
    now: datetime | None = None,
) -> int:
    """Send the due deliveries once; returns how many the receivers accepted (2xx).

    Due rows are claimed (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and leased in one short
    transaction; each POST then happens outside any transaction, signed with the time it is
    sent, and its outcome is committed on its own, so a crash loses at most the one result
    in flight. ``now`` (tests) fixes the clock for due times and backoff.
    """
    post = http_post or urllib_post
    started = now or datetime.now(UTC)
    delivered = 0
    for item in _claim(engine, started, batch, timeout):
        sent_at = now or datetime.now(UTC)
        stamp = str(int(datetime.now(UTC).timestamp()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "sonae-delivery/1",
            "X-Sonae-Delivery": item.delivery_id,
            "X-Sonae-Event": item.event,
            "X-Sonae-Timestamp": stamp,
            "X-Sonae-Signature": sign(item.secret, stamp, item.body),
        }
        try:
            status = post(item.url, item.body, headers, timeout)
            error = "" if 200 <= status < 300 else f"HTTP {status}"
        except Exception as exc:  # any network failure is retried
            error = type(exc).__name__
        if error:
            log.warning("delivery %s to subscription %s failed: %s", item.delivery_id, item.subscription_id, error)
        else:
            delivered += 1
        _record(engine, item, error, sent_at)
    return delivered


def start_outbox_scheduler(engine: Engine, *, interval_s: float = 15.0) -> BackgroundScheduler:
    """Run :func:`run_outbox_once` every ``interval_s`` seconds in a background thread (the worker calls this)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        run_outbox_once,
        "interval",
        seconds=interval_s,
        args=[engine],
        id="sonae-outbox",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    scheduler.start()
    return scheduler
