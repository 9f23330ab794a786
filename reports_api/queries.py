"""The officers' report list: filters, municipality scope and keyset (cursor) pagination.

Lists run urgent first, then newest first: the order is (urgent, received_at, id), all
descending, which the (urgent, received_at, id) indexes serve read backwards.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from .models import Report
from .views import SavedReport, saved_report

__all__ = [
    "BBox",
    "Cursor",
    "ReportFilter",
    "ReportPage",
    "conditions",
    "get_report",
    "in_scope",
    "iter_reports",
    "like_pattern",
    "list_reports",
    "representable",
    "text_lower",
]


def representable(at: datetime) -> datetime:
    """``at`` when it can be stored (in UTC, within years 1–9999); ValueError when it cannot.

    ``0001-01-01T00:00:00+05:00`` is a valid ISO 8601 time whose UTC value is before year 1:
    binding it would fail deep in the database layer (a 500), so callers refuse it up front.
    """
    try:
        at.astimezone(UTC)
    except OverflowError:
        raise ValueError("time out of range") from None
    return at


@dataclass(frozen=True)
class BBox:
    """A bounding box in WGS 84 degrees (min lon, min lat, max lon, max lat)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


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
    #: Reports with coordinates inside the box (reports without coordinates are left out).
    bbox: BBox | None = None
    #: Case-insensitive substring of the text or the place text.
    text: str | None = None


@dataclass(frozen=True)
class Cursor:
    """The position after the last report of a page (urgent first, then newest first)."""

    received_at: datetime
    id: int
    urgent: bool = False

    def encode(self) -> str:
        raw = json.dumps({"t": self.received_at.isoformat(), "i": self.id, "u": self.urgent}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Parse a cursor made by :meth:`encode`; ValueError when it is not one."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            data = json.loads(raw)
            at = representable(datetime.fromisoformat(data["t"]))
            report_id = data["i"]
            urgent = data.get("u", False)
        except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError, AttributeError):
            raise ValueError("invalid cursor") from None
        if at.utcoffset() is None or not isinstance(report_id, int) or isinstance(report_id, bool):
            raise ValueError("invalid cursor")
        if not isinstance(urgent, bool) or not -(2**63) < report_id < 2**63:
            raise ValueError("invalid cursor")
        return cls(at, report_id, urgent)


@dataclass(frozen=True)
class ReportPage:
    reports: tuple[SavedReport, ...]
    next_cursor: Cursor | None


def in_scope(
    scope: frozenset[str], column: sa.orm.QueryableAttribute[str | None] | None = None
) -> sa.ColumnElement[bool]:
    """Empty scope: everything (prefecture-wide); else only those municipalities."""
    if not scope:
        return sa.true()
    target = Report.municipality_code if column is None else column
    return target.in_(sorted(scope))


def _has_category(code: str, dialect: str) -> sa.ColumnElement[bool]:
    if dialect == "postgresql":
        return sa.type_coerce(Report.categories, JSONB).contains([code])
    items = sa.func.json_each(Report.categories).table_valued("value")
    return sa.exists().select_from(items).where(items.c.value == code)


class text_lower(sa.sql.functions.GenericFunction[str]):
    """``lower()`` that folds every letter, not only ASCII, on both databases.

    PostgreSQL's ``lower()`` already does; SQLite's folds only A–Z, so on SQLite this calls
    ``sonae_lower`` (Python's ``str.lower``), which ``db.make_engine`` registers on each connection.
    """

    type = sa.String()
    name = "text_lower"
    inherit_cache = True


@compiles(text_lower)
def _text_lower(element: text_lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(text_lower, "sqlite")
def _text_lower_sqlite(element: text_lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"sonae_lower({compiler.process(element.clauses, **kw)})"


def like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def conditions(f: ReportFilter, dialect: str) -> list[sa.ColumnElement[bool]]:
    """SQL conditions on ``reports`` for ``f`` (scope is applied separately)."""
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
    if f.bbox is not None:
        b = f.bbox
        where += [Report.lon.between(b.min_lon, b.max_lon), Report.lat.between(b.min_lat, b.max_lat)]
    if f.text:
        pattern = like_pattern(f.text)
        where.append(
            sa.or_(
                text_lower(Report.text).like(pattern, escape="\\"),
                text_lower(Report.place_text).like(pattern, escape="\\"),
            )
        )
    return where


def _after(cursor: Cursor) -> sa.ColumnElement[bool]:
    """Rows after ``cursor`` in (urgent, received_at, id) descending order (a row-value comparison)."""
    position = sa.tuple_(
        sa.literal(cursor.urgent, Report.urgent.type),
        sa.literal(cursor.received_at, Report.received_at.type),
        sa.literal(cursor.id, Report.id.type),
    )
    return sa.tuple_(Report.urgent, Report.received_at, Report.id) < position


def list_reports(
    engine: Engine,
    filters: ReportFilter,
    *,
    scope: frozenset[str],
    limit: int,
    after: Cursor | None = None,
) -> ReportPage:
    """Reports in ``scope`` matching ``filters``: urgent first, then newest first."""
    query = sa.select(Report).where(in_scope(scope), *conditions(filters, engine.dialect.name))
    if after is not None:
        query = query.where(_after(after))
    query = query.order_by(Report.urgent.desc(), Report.received_at.desc(), Report.id.desc()).limit(limit + 1)
    with Session(engine) as session:
        rows = [saved_report(r) for r in session.scalars(query)]
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    next_cursor = Cursor(last.received_at, last.id, last.urgent) if more and last else None
    return ReportPage(tuple(page), next_cursor)


def iter_reports(
    engine: Engine, filters: ReportFilter, *, scope: frozenset[str], batch: int = 500
) -> Iterator[SavedReport]:
    """Every matching report, page by page, so exports of any size stream in bounded memory."""
    cursor: Cursor | None = None
    while True:
        page = list_reports(engine, filters, scope=scope, limit=batch, after=cursor)
        yield from page.reports
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def get_report(engine: Engine, number: str, *, scope: frozenset[str]) -> SavedReport | None:
    """The report with this number, or None when absent or outside ``scope``."""
    query = sa.select(Report).where(Report.number == number, in_scope(scope))
    with Session(engine) as session:
        row = session.scalars(query).first()
        return None if row is None else saved_report(row)
