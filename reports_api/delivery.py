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
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_DELAY)


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


def run_outbox_once(
    engine: Engine,
    http_post: HttpPost | None = None,
    *,
    batch: int = 50,
    timeout: float = 10.0,
    now: datetime | None = None,
) -> int:
    """Send the due deliveries once; returns how many the receivers accepted (2xx)."""
    post = http_post or urllib_post
    now = now or datetime.now(UTC)
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
        # Several workers may run this loop: each row goes to one of them.
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    delivered = 0
    with Session(engine) as session, session.begin():
        for message, sub in session.execute(due).all():
            body = message.body.encode()
            stamp = str(int(now.timestamp()))
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "sonae-delivery/1",
                "X-Sonae-Delivery": message.delivery_id,
                "X-Sonae-Event": message.event,
                "X-Sonae-Timestamp": stamp,
                "X-Sonae-Signature": sign(sub.secret, stamp, body),
            }
            message.attempts += 1
            try:
                status = post(sub.url, body, headers, timeout)
                error = "" if 200 <= status < 300 else f"HTTP {status}"
            except Exception as exc:  # any network failure is retried
                error = type(exc).__name__
            if error:
                message.last_error = error[:200]
                message.next_attempt_at = now + retry_delay(message.attempts)
                log.warning("delivery %s to subscription %s failed: %s", message.delivery_id, sub.id, error)
            else:
                message.delivered_at = now
                message.last_error = ""
                delivered += 1
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
