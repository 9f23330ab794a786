"""The officers' report list: filters, municipality scope and keyset (cursor) pagination."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .models import Report
from .views import SavedReport, saved_report

__all__ = ["Cursor", "ReportFilter", "ReportPage", "get_report", "list_reports"]


@dataclass(frozen=True)
class ReportFilter:
    """What an officer asked for; empty sets and None mean "any"."""

    statuses: frozenset[str] = frozenset()
    urgent: bool | None = None
    #: Reports carrying any of these NLU category codes.
    categories: frozenset[str] = frozenset()
    municipality_codes: frozenset[str] = frozenset()
    #: Received at or after ``since`` and strictly before ``until``.
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Cursor:
    """The position after the last report of a page (lists run newest first)."""

    received_at: datetime
    id: int

    def encode(self) -> str:
        raw = json.dumps({"t": self.received_at.isoformat(), "i": self.id}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Parse a cursor made by :meth:`encode`; ValueError when it is not one."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            data = json.loads(raw)
            at = datetime.fromisoformat(data["t"])
            report_id = data["i"]
        except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
            raise ValueError("invalid cursor") from None
        if at.utcoffset() is None or not isinstance(report_id, int) or isinstance(report_id, bool):
            raise ValueError("invalid cursor")
        return cls(at, report_id)


@dataclass(frozen=True)
class ReportPage:
    reports: tuple[SavedReport, ...]
    next_cursor: Cursor | None


def _in_scope(scope: frozenset[str]) -> sa.ColumnElement[bool]:
    """Empty scope: everything (prefecture-wide); else only those municipalities."""
    if not scope:
        return sa.true()
    return Report.municipality_code.in_(sorted(scope))


def _has_category(code: str, dialect: str) -> sa.ColumnElement[bool]:
    if dialect == "postgresql":
        return sa.type_coerce(Report.categories, JSONB).contains([code])
    items = sa.func.json_each(Report.categories).table_valued("value")
    return sa.exists().select_from(items).where(items.c.value == code)


def _conditions(f: ReportFilter, dialect: str) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if f.statuses:
        where.append(Report.status.in_(sorted(f.statuses)))
    if f.urgent is not None:
        where.append(Report.urgent.is_(f.urgent))
    if f.categories:
        where.append(sa.or_(*(_has_category(c, dialect) for c in sorted(f.categories))))
    if f.municipality_codes:
        where.append(Report.municipality_code.in_(sorted(f.municipality_codes)))
    if f.since is not None:
        where.append(Report.received_at >= f.since)
    if f.until is not None:
        where.append(Report.received_at < f.until)
    return where


def list_reports(
    engine: Engine,
    filters: ReportFilter,
    *,
    scope: frozenset[str],
    limit: int,
    after: Cursor | None = None,
) -> ReportPage:
    """Reports in ``scope`` matching ``filters``, newest first (received_at, id)."""
    query = sa.select(Report).where(_in_scope(scope), *_conditions(filters, engine.dialect.name))
    if after is not None:
        query = query.where(
            sa.or_(
                Report.received_at < after.received_at,
                sa.and_(Report.received_at == after.received_at, Report.id < after.id),
            )
        )
    query = query.order_by(Report.received_at.desc(), Report.id.desc()).limit(limit + 1)
    with Session(engine) as session:
        rows = [saved_report(r) for r in session.scalars(query)]
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    next_cursor = Cursor(last.received_at, last.id) if more and last else None
    return ReportPage(tuple(page), next_cursor)


def get_report(engine: Engine, number: str, *, scope: frozenset[str]) -> SavedReport | None:
    """The report with this number, or None when absent or outside ``scope``."""
    query = sa.select(Report).where(Report.number == number, _in_scope(scope))
    with Session(engine) as session:
        row = session.scalars(query).first()
        return None if row is None else saved_report(row)
