"""Officers' view of incidents: list (urgent first), get, merge and split — scoped and audited."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .incidents import absorb, incident_seeded_by, lock_categories, refresh_incident
from .models import AuditEntry, Incident, Report, ReportStatus
from .queries import ReportFilter, in_scope, like_pattern, representable, text_lower

__all__ = [
    "IncidentCursor",
    "IncidentError",
    "IncidentPage",
    "IncidentView",
    "get_incident",
    "list_incidents",
    "merge_incidents",
    "split_incident",
]


class IncidentError(ValueError):
    """A merge or split that cannot be done; the message says why."""


@dataclass(frozen=True)
class IncidentView:
    id: int
    category: str
    municipality: str
    municipality_code: str | None
    first_at: datetime
    last_at: datetime
    lat: float | None
    lon: float | None
    place_text: str
    urgent: bool
    report_count: int
    corroboration: int
    edited: bool
    #: Numbers of the member reports the caller may see.
    reports: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncidentCursor:
    last_at: datetime
    id: int
    urgent: bool

    def encode(self) -> str:
        raw = json.dumps({"t": self.last_at.isoformat(), "i": self.id, "u": self.urgent}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> IncidentCursor:
        try:
            data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            at, ident, urgent = representable(datetime.fromisoformat(data["t"])), data["i"], data["u"]
        except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError, AttributeError):
            raise ValueError("invalid cursor") from None
        if at.utcoffset() is None or type(ident) is not int or type(urgent) is not bool or abs(ident) >= 2**63:
            raise ValueError("invalid cursor")
        return cls(at, ident, urgent)


@dataclass(frozen=True)
class IncidentPage:
    incidents: tuple[IncidentView, ...]
    next_cursor: IncidentCursor | None


def _view(row: Incident, reports: tuple[str, ...] = ()) -> IncidentView:
    return IncidentView(
        id=row.id,
        category=row.category,
        municipality=row.municipality,
        municipality_code=row.municipality_code,
        first_at=row.first_at,
        last_at=row.last_at,
        lat=row.lat,
        lon=row.lon,
        place_text=row.place_text,
        urgent=row.urgent,
        report_count=row.report_count,
        corroboration=row.corroboration,
        edited=row.edited,
        reports=reports,
    )


def _member_summary() -> list[sa.ColumnElement[Any]]:
    """Aggregates over member reports, as ``refresh_incident`` computes them (apply the scope in WHERE)."""
    counted = Report.status != ReportStatus.REJECTED
    located = sa.and_(Report.lat.is_not(None), Report.lon.is_not(None))
    return [
        sa.func.min(Report.received_at).label("first_at"),
        sa.func.max(Report.received_at).label("last_at"),
        (sa.func.max(sa.case((sa.and_(counted, Report.urgent), 1), else_=0)) == 1).label("urgent"),
        sa.type_coerce(sa.func.avg(sa.case((located, Report.lat))), sa.Float).label("lat"),
        sa.type_coerce(sa.func.avg(sa.case((located, Report.lon))), sa.Float).label("lon"),
        sa.func.count(Report.id).label("report_count"),
        sa.func.count(sa.distinct(sa.case((counted, Report.reporter)))).label("corroboration"),
    ]


_SUMMARY_FIELDS = ("first_at", "last_at", "urgent", "lat", "lon", "report_count", "corroboration")


def _scoped_view(session: Session, row: Incident, scope: frozenset[str], reports: tuple[str, ...]) -> IncidentView:
    """The incident as the caller may see it: with a municipality scope, its summary covers only
    the member reports in scope, so other municipalities' reports neither count nor show (how many,
    how urgent, where, when). Prefecture-wide callers get the stored summary over all members.
    """
    view = _view(row, reports)
    if not scope:
        return view
    query = sa.select(*_member_summary()).where(Report.incident_id == row.id, in_scope(scope))
    summary = session.execute(query).one()
    if not summary.report_count:
        return replace(view, urgent=False, lat=None, lon=None, report_count=0, corroboration=0)
    return replace(view, **{name: getattr(summary, name) for name in _SUMMARY_FIELDS})


def _conditions(f: ReportFilter, scope: frozenset[str], s: Any) -> list[sa.ColumnElement[bool]]:
    """Conditions on incidents; ``s`` holds the summary columns (the stored ones, or in-scope aggregates)."""
    where: list[sa.ColumnElement[bool]] = []
    if f.urgent is not None:
        where.append(s.urgent.is_(f.urgent))
    if f.categories:
        where.append(Incident.category.in_(sorted(f.categories)))
    if f.municipality_codes:
        where.append(Incident.municipality_code.in_(sorted(f.municipality_codes)))
    # An incident matches a time range when it overlaps it.
    if f.since is not None:
        where.append(s.last_at >= f.since)
    if f.until is not None:
        where.append(s.first_at < f.until)
    if f.bbox is not None:
        b = f.bbox
        where += [s.lon.between(b.min_lon, b.max_lon), s.lat.between(b.min_lat, b.max_lat)]
    if f.statuses or f.text:
        # Only members the caller may see: else their text would leak through q= (an oracle).
        member = sa.select(Report.id).where(Report.incident_id == Incident.id, in_scope(scope))
        if f.statuses:
            member = member.where(Report.status.in_(sorted(f.statuses)))
        if f.text:
            like = like_pattern(f.text)
            member = member.where(
                sa.or_(
                    text_lower(Report.text).like(like, escape="\\"),
                    text_lower(Report.place_text).like(like, escape="\\"),
                )
            )
        where.append(member.exists())
    return where


def list_incidents(
    engine: Engine, filters: ReportFilter, *, scope: frozenset[str], limit: int, after: IncidentCursor | None = None
) -> IncidentPage:
    """Incidents in scope: urgent first, then most recently active first.

    With a municipality scope, the summaries (and so the urgent/time/bbox filters and the order)
    are computed over the member reports in scope only; prefecture-wide, the stored summaries.
    """
    query = sa.select(Incident).where(in_scope(scope, Incident.municipality_code))
    s: Any = Incident
    if scope:
        members = (
            sa.select(Report.incident_id, *_member_summary())
            .where(Report.incident_id.is_not(None), in_scope(scope))
            .group_by(Report.incident_id)
            .subquery("members")
        )
        s = members.c
        query = query.join(members, members.c.incident_id == Incident.id).add_columns(
            *(getattr(s, name) for name in _SUMMARY_FIELDS)
        )
    query = query.where(*_conditions(filters, scope, s))
    if after is not None:
        position = sa.tuple_(
            sa.literal(after.urgent, Incident.urgent.type),
            sa.literal(after.last_at, Incident.last_at.type),
            sa.literal(after.id, Incident.id.type),
        )
        query = query.where(sa.tuple_(s.urgent, s.last_at, Incident.id) < position)
    query = query.order_by(s.urgent.desc(), s.last_at.desc(), Incident.id.desc()).limit(limit + 1)
    with Session(engine) as session:
        if scope:
            rows = [
                replace(_view(r[0]), **{name: getattr(r, name) for name in _SUMMARY_FIELDS})
                for r in session.execute(query)
            ]
        else:
            rows = [_view(r) for r in session.scalars(query)]
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    cursor = IncidentCursor(last.last_at, last.id, last.urgent) if more and last else None
    return IncidentPage(tuple(page), cursor)


def _member_numbers(session: Session, incident_id: int, scope: frozenset[str]) -> tuple[str, ...]:
    query = (
        sa.select(Report.number)
        .where(Report.incident_id == incident_id, in_scope(scope))
        .order_by(Report.urgent.desc(), Report.received_at.desc(), Report.id.desc())
    )
    return tuple(session.scalars(query))


def _visible(session: Session, incident_id: int, scope: frozenset[str], *, lock: bool = False) -> Incident | None:
    if not -(2**31) < incident_id < 2**31:
        return None
    query = sa.select(Incident).where(Incident.id == incident_id, in_scope(scope, Incident.municipality_code))
    if lock:
        # Read the row as it is now (not as this session first saw it) and hold it until commit.
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalars(query).first()


def _locked(session: Session, ids: list[int], scope: frozenset[str]) -> list[Incident] | None:
    """The incidents, read again under their categories' locks and row locks; None when one is gone or hidden.

    The categories are only known after a first read, so: read, take the category locks, re-read
    ``FOR UPDATE`` and check again (a concurrent merge may have deleted or changed one meanwhile).
    """
    locked: set[str] = set()
    while True:
        rows = [_visible(session, i, scope, lock=bool(locked)) for i in ids]
        incidents = [r for r in rows if r is not None]
        if len(incidents) < len(rows):
            return None
        categories = {i.category for i in incidents}
        if locked and categories <= locked:
            return incidents
        lock_categories(session, sorted(categories - locked))
        locked |= categories


def get_incident(engine: Engine, incident_id: int, *, scope: frozenset[str]) -> IncidentView | None:
    """One incident with the numbers of its reports in scope; None when absent or out of scope."""
    with Session(engine) as session:
        row = _visible(session, incident_id, scope)
        if row is None:
            return None
        view = _scoped_view(session, row, scope, _member_numbers(session, row.id, scope))
        return view if view.report_count else None  # no member in scope: as good as absent


def merge_incidents(engine: Engine, ids: list[int], *, actor: str, scope: frozenset[str]) -> IncidentView | None:
    """Merge incidents into the oldest; None when one of them is absent or out of scope."""
    if len(set(ids)) < 2:
        raise IncidentError("give at least two different incident ids to merge")
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        incidents = _locked(session, sorted(set(ids)), scope)
        if incidents is None:
            return None
        target = incidents[0]
        for other in incidents[1:]:
            absorb(session, target, other, actor=actor, now=now)
        target.edited = True
        refresh_incident(session, target)
        return _scoped_view(session, target, scope, _member_numbers(session, target.id, scope))


def split_incident(
    engine: Engine, incident_id: int, numbers: list[str], *, actor: str, scope: frozenset[str]
) -> tuple[IncidentView, IncidentView] | None:
    """Move the given reports into a new incident; (old, new), or None when absent or out of scope."""
    wanted = sorted(set(numbers))
    if not wanted:
        raise IncidentError("give the numbers of the reports to split off")
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        locked = _locked(session, [incident_id], scope)
        if locked is None:
            return None
        incident = locked[0]
        members = {r.number: r for r in session.scalars(sa.select(Report).where(Report.incident_id == incident.id))}
        outside = [n for n in wanted if n not in members or not in_scope_code(members[n].municipality_code, scope)]
        if outside:
            raise IncidentError(f"report {outside[0]} is not part of incident {incident_id}")
        if len(wanted) == len(members):
            raise IncidentError("a split must leave at least one report in the incident")
        before = {"reports": sorted(members)}
        new = incident_seeded_by(members[wanted[0]], now, edited=True)
        session.add(new)
        session.flush()
        for number in wanted:
            members[number].incident_id = new.id
        incident.edited = True
        refresh_incident(session, incident)
        refresh_incident(session, new)
        session.add(
            AuditEntry(
                at=now,
                actor=actor,
                action="incident.split",
                incident_id=incident.id,
                detail={
                    "before": before,
                    "after": {str(incident.id): sorted(set(members) - set(wanted)), str(new.id): wanted},
                },
            )
        )
        return (
            _scoped_view(session, incident, scope, _member_numbers(session, incident.id, scope)),
            _scoped_view(session, new, scope, _member_numbers(session, new.id, scope)),
        )


def in_scope_code(code: str | None, scope: frozenset[str]) -> bool:
    return not scope or code in scope
