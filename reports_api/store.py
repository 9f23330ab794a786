"""Saving residents' reports, idempotently, with an audit entry in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .delivery import enqueue
from .incidents import assign_incident
from .models import AuditEntry, LocationSource, Report, ReportSource, ReportStatus
from .pseudonym import PREFIX, looks_like_line_user_id
from .views import SavedReport, saved_report

__all__ = ["NewReport", "ReportStore", "SavedReport", "report_number"]

JST = timezone(timedelta(hours=9), "JST")


@dataclass(frozen=True)
class NewReport:
    """A report as the bot hands it over; validated on construction."""

    source_event_id: str
    received_at: datetime
    reported_at: datetime
    reporter: str
    source: str = ReportSource.LINE
    text: str = ""
    categories: tuple[str, ...] = ()
    urgent: bool = False
    lat: float | None = None
    lon: float | None = None
    location_source: str = LocationSource.NONE
    location_precision_m: float | None = None
    place_text: str = ""
    municipality: str = ""
    municipality_code: str | None = None
    photos: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not 0 < len(self.source_event_id) <= 64:
            raise ValueError("source_event_id must be 1 to 64 characters")
        for name in ("received_at", "reported_at"):
            if getattr(self, name).utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")
        if not self.reporter.startswith(PREFIX) or looks_like_line_user_id(self.reporter):
            raise ValueError("reporter must be a pseudonym from pseudonymise(), never a user id")
        ReportSource(self.source)
        LocationSource(self.location_source)
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon go together")
        if self.municipality_code is not None and not (
            self.municipality_code.isascii() and self.municipality_code.isdigit() and len(self.municipality_code) == 5
        ):
            raise ValueError("municipality_code must be a 5-digit JIS X 0402 code")


def report_number(report_id: int, received_at: datetime) -> str:
    """The number residents and officers quote: ``R-<JST date>-<id>``, e.g. R-20261129-000007."""
    return f"R-{received_at.astimezone(JST):%Y%m%d}-{report_id:06d}"


class ReportStore:
    """Residents' reports in the reports database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save(self, new: NewReport) -> SavedReport:
        """Store ``new`` once; saving the same ``source_event_id`` again returns the first."""
        existing = self._by_event(new.source_event_id)
        if existing is not None:
            return existing
        try:
            with Session(self._engine, expire_on_commit=False) as session, session.begin():
                report = _insert(session, new)
                # Same transaction: a stored report is always grouped and always announced.
                assign_incident(session, report)
                session.flush()
                saved = saved_report(report)
                enqueue(session, saved, "report.created", report.created_at)
            return saved
        except sa.exc.IntegrityError:
            # A concurrent save of the same event won the unique constraint.
            existing = self._by_event(new.source_event_id)
            if existing is None:
                raise
            return existing

    def get(self, number: str) -> SavedReport | None:
        with Session(self._engine) as session:
            report = session.scalars(sa.select(Report).where(Report.number == number)).first()
            return None if report is None else saved_report(report)

    def count(self) -> int:
        with Session(self._engine) as session:
            return session.scalar(sa.select(sa.func.count()).select_from(Report)) or 0

    def _by_event(self, source_event_id: str) -> SavedReport | None:
        with Session(self._engine) as session:
            query = sa.select(Report).where(Report.source_event_id == source_event_id)
            report = session.scalars(query).first()
            return None if report is None else saved_report(report)


def _insert(session: Session, new: NewReport) -> Report:
    now = datetime.now(UTC)
    report = Report(
        # A unique placeholder until the id, which the number is made from, is known.
        number=f"pending-{uuid.uuid4().hex[:24]}",
        source_event_id=new.source_event_id,
        received_at=new.received_at,
        reported_at=new.reported_at,
        text=new.text,
        categories=list(new.categories),
        category=new.categories[0] if new.categories else "",
        urgent=new.urgent,
        lat=new.lat,
        lon=new.lon,
        location_source=str(new.location_source),
        location_precision_m=new.location_precision_m,
        place_text=new.place_text,
        municipality=new.municipality,
        municipality_code=new.municipality_code,
        reporter=new.reporter,
        source=str(new.source),
        status=ReportStatus.NEW.value,
        photos=list(new.photos),
        created_at=now,
        updated_at=now,
    )
    session.add(report)
    session.flush()
    report.number = report_number(report.id, new.received_at)
    session.add(
        AuditEntry(
            at=now,
            actor="resident",
            action="report.created",
            report_id=report.id,
            # Ids and codes only: the resident's text stays in the report.
            detail={"source": report.source, "categories": report.categories},
        )
    )
    session.flush()
    return report
