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
    "LocationSource",
    "Report",
    "ReportSource",
    "ReportStatus",
    "Role",
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
    detail: Mapped[dict[str, Any]] = mapped_column(JSONValue)
