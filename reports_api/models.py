"""The reports schema: residents' reports, officers' API tokens and the audit trail.

Enumerated columns are short strings guarded by CHECK constraints (portable and easy
to extend in a migration); the allowed values live in the enums below.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .sqltypes import JSONValue, UTCDateTime, utcnow

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "Incident",
    "LocationSource",
    "OutboxMessage",
    "RejectReason",
    "Report",
    "ReportNote",
    "ReportSource",
    "ReportStatus",
    "Role",
    "Subscription",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ReportStatus(StrEnum):
    NEW = "new"
    VERIFIED = "verified"
    REJECTED = "rejected"
    RESOLVED = "resolved"


class RejectReason(StrEnum):
    FALSE = "false"
    DUPLICATE = "duplicate"
    NOT_DISASTER = "not_disaster"


class LocationSource(StrEnum):
    LINE_LOCATION = "line_location"
    TEXT = "text"
    HOME_AREA = "home_area"
    NONE = "none"


class ReportSource(StrEnum):
    LINE = "line"
    SIMULATOR = "simulator"
    DRILL = "drill"


class Role(StrEnum):
    VIEWER = "viewer"
    MODERATOR = "moderator"
    ADMIN = "admin"


def _one_of(column: str, enum: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(m.value) for m in enum)})"


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class Report(Base):
    """One resident's report, as received; reviewed by officers."""

    __tablename__ = "reports"
    __table_args__ = (
        sa.CheckConstraint(_one_of("status", ReportStatus), name="status"),
        sa.CheckConstraint(_one_of("source", ReportSource), name="source"),
        sa.CheckConstraint(_one_of("location_source", LocationSource), name="location_source"),
        # The officers' list: newest first, optionally by city, status or urgency.
        # B-tree indexes are read backwards for DESC, so ascending ones suffice.
        sa.Index(None, "received_at", "id"),
        sa.Index(None, "municipality_code", "received_at", "id"),
        sa.Index(None, "status", "received_at", "id"),
        sa.Index(None, "urgent", "received_at", "id"),
        # Urgent first within a city; incident grouping looks up one category in a time window.
        sa.Index(None, "municipality_code", "urgent", "received_at", "id"),
        sa.Index(None, "category", "received_at"),
        # Aggregates read only these columns: index-only scans instead of random heap reads.
        sa.Index(None, "received_at", "municipality_code", "category", "municipality"),
        sa.Index(None, "municipality_code", "received_at", "category", "municipality"),
        sa.CheckConstraint(f"reject_reason IS NULL OR {_one_of('reject_reason', RejectReason)}", name="reject_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    source_event_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(sa.Text, default="")
    categories: Mapped[list[str]] = mapped_column(JSONValue)
    urgent: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    location_source: Mapped[str] = mapped_column(sa.String(16), default=LocationSource.NONE)
    location_precision_m: Mapped[float | None] = mapped_column(sa.Float)
    place_text: Mapped[str] = mapped_column(sa.Text, default="")
    municipality: Mapped[str] = mapped_column(sa.String(64), default="")
    municipality_code: Mapped[str | None] = mapped_column(sa.String(6))
    reporter: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16), default=ReportStatus.NEW)
    photos: Mapped[list[str]] = mapped_column(JSONValue)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    #: The first category code ("" when none): what incidents are grouped by.
    category: Mapped[str] = mapped_column(sa.String(64), default="")
    reject_reason: Mapped[str | None] = mapped_column(sa.String(16))
    incident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incidents.id"), index=True)


class Incident(Base):
    """Reports of one category close in space and time; officers triage these."""

    __tablename__ = "incidents"
    __table_args__ = (sa.Index(None, "urgent", "last_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(64), default="")
    municipality: Mapped[str] = mapped_column(sa.String(64), default="")
    municipality_code: Mapped[str | None] = mapped_column(sa.String(6), index=True)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    place_text: Mapped[str] = mapped_column(sa.Text, default="")
    urgent: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    report_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: Distinct reporters (pseudonyms): how many independent residents saw it.
    corroboration: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: Set once an officer merged or split it: automatic grouping no longer merges it.
    edited: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ReportNote(Base):
    """An officer's note on a report."""

    __tablename__ = "report_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author: Mapped[str] = mapped_column(sa.String(64))
    text: Mapped[str] = mapped_column(sa.Text)


class Subscription(Base):
    """A receiver (the prefecture's system) that gets new and verified reports by signed POST."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    url: Mapped[str] = mapped_column(sa.String(2000))
    secret: Mapped[str] = mapped_column(sa.String(128))
    #: Event names delivered, e.g. ["report.created", "report.verified"].
    events: Mapped[list[str]] = mapped_column(JSONValue)
    #: Municipality codes delivered; empty means all.
    municipalities: Mapped[list[str]] = mapped_column(JSONValue)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """One delivery to one subscription, written in the same transaction as the change it announces."""

    __tablename__ = "outbox"
    __table_args__ = (sa.Index(None, "delivered_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable across retries: receivers deduplicate by it.
    delivery_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    subscription_id: Mapped[int] = mapped_column(sa.ForeignKey("subscriptions.id"), index=True)
    event: Mapped[str] = mapped_column(sa.String(32))
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id"))
    #: The exact body sent on every attempt (JSON text), so a retry is byte-identical.
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Status code or exception type of the last failure, never the receiver's body.
    last_error: Mapped[str] = mapped_column(sa.String(200), default="")


class ApiToken(Base):
    """An officer's bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (sa.CheckConstraint(_one_of("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    # Municipality codes this token may see; empty means all (prefecture-wide).
    municipalities: Mapped[list[str]] = mapped_column(JSONValue)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Who did what and when; one row per write."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # "token:<id>", "resident" or "system".
    actor: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(64))
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reports.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONValue)
