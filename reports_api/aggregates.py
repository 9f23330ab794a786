"""Counts of reports by municipality × category × time bucket (hour or day, Japan time).

Each report counts once, under its first (primary) category: the one incidents group by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .models import Report
from .queries import ReportFilter, conditions, in_scope

__all__ = ["BUCKETS", "JST", "AggregateRow", "count_reports"]

JST = timezone(timedelta(hours=9), "JST")
BUCKETS = ("hour", "day")
_SQLITE_FORMAT = {"hour": "%Y-%m-%dT%H:00:00", "day": "%Y-%m-%dT00:00:00"}


@dataclass(frozen=True)
class AggregateRow:
    municipality_code: str | None
    municipality: str
    category: str
    bucket_start: datetime
    count: int


def _bucket(bucket: str, dialect: str) -> sa.ColumnElement[str | datetime]:
    if dialect == "postgresql":
        local = sa.func.timezone("Asia/Tokyo", Report.received_at)
        return sa.func.date_trunc(bucket, local)
    # SQLite stores naive UTC: shift to Japan time, then truncate as text.
    return sa.func.strftime(_SQLITE_FORMAT[bucket], Report.received_at, "+9 hours")


def _as_jst(value: str | datetime) -> datetime:
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=JST)


def count_reports(engine: Engine, filters: ReportFilter, *, scope: frozenset[str], bucket: str) -> list[AggregateRow]:
    """Counts in scope matching ``filters``, ordered by bucket, municipality code, category."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {BUCKETS}")
    start = _bucket(bucket, engine.dialect.name).label("bucket_start")
    query = (
        sa.select(
            Report.municipality_code,
            sa.func.max(Report.municipality),
            Report.category,
            start,
            sa.func.count(),
        )
        .where(in_scope(scope), *conditions(filters, engine.dialect.name))
        .group_by(Report.municipality_code, Report.category, start)
        .order_by(start, Report.municipality_code, Report.category)
    )
    with Session(engine) as session:
        return [
            AggregateRow(code, name or "", category, _as_jst(at), count)
            for code, name, category, at, count in session.execute(query)
        ]
