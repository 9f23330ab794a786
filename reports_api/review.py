"""The review workflow: status changes, notes and the audit trail of a report.

Every write happens in one transaction with its audit entry (who, what, when, before/after)
and, for a verification, the outbox rows that announce it to subscribers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .delivery import enqueue
from .incidents import lock_categories, refresh_incident
from .models import AuditEntry, Incident, RejectReason, Report, ReportNote, ReportStatus
from .queries import in_scope
from .views import SavedReport, saved_report

__all__ = [
    "TRANSITIONS",
    "AuditView",
    "NoteView",
    "ReviewError",
    "add_note",
    "audit_trail",
    "change_status",
    "list_notes",
]

#: Allowed status changes. Corrections (verified ⇄ rejected) are allowed and audited.
TRANSITIONS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.NEW: frozenset({ReportStatus.VERIFIED, ReportStatus.REJECTED}),
    ReportStatus.VERIFIED: frozenset({ReportStatus.RESOLVED, ReportStatus.REJECTED}),
    ReportStatus.REJECTED: frozenset({ReportStatus.VERIFIED, ReportStatus.RESOLVED}),
    ReportStatus.RESOLVED: frozenset({ReportStatus.VERIFIED}),
}


class ReviewError(ValueError):
    """A change the workflow does not allow; ``conflict`` when it clashes with the current state."""

    def __init__(self, message: str, *, conflict: bool = False) -> None:
        super().__init__(message)
        self.conflict = conflict


@dataclass(frozen=True)
class NoteView:
    id: int
    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


def _locked_report(session: Session, number: str, scope: frozenset[str]) -> Report | None:
    query = sa.select(Report).where(Report.number == number, in_scope(scope)).with_for_update()
    return session.scalars(query).first()


def change_status(
    engine: Engine,
    number: str,
    *,
    status: str,
    reason: str | None,
    actor: str,
    scope: frozenset[str],
) -> SavedReport | None:
    """Move a report to ``status``; None when absent or out of scope; ReviewError when not allowed."""
    target = ReportStatus(status)
    if target is ReportStatus.REJECTED:
        if reason is None:
            raise ReviewError(f"rejecting needs a reason: one of {', '.join(r.value for r in RejectReason)}")
        RejectReason(reason)
    elif reason is not None:
        raise ReviewError("a reason is given only when rejecting")
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        # The grouping lock first, the row lock second: the order ReportStore.save uses.
        category = session.scalar(sa.select(Report.category).where(Report.number == number, in_scope(scope)))
        if category is None:
            return None
        lock_categories(session, [category])
        report = _locked_report(session, number, scope)
        if report is None:
            return None
        current = ReportStatus(report.status)
        if target not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current]))
            raise ReviewError(f"a {current.value} report can become: {allowed}", conflict=True)
        before = {"status": report.status, "reject_reason": report.reject_reason}
        report.status = target.value
        report.reject_reason = reason
        report.updated_at = now
        session.add(
            AuditEntry(
                at=now,
                actor=actor,
                action="report.status_changed",
                report_id=report.id,
                incident_id=report.incident_id,
                detail={"before": before, "after": {"status": report.status, "reject_reason": reason}},
            )
        )
        if report.incident_id is not None:
            incident = session.get(Incident, report.incident_id)
            if incident is not None:
                refresh_incident(session, incident)
        session.flush()
        saved = saved_report(report)
        if target is ReportStatus.VERIFIED:
            enqueue(session, saved, "report.verified", now)
        return saved


def add_note(engine: Engine, number: str, *, text: str, actor: str, scope: frozenset[str]) -> NoteView | None:
    """Add an officer's note; None when the report is absent or out of scope."""
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        report = _locked_report(session, number, scope)
        if report is None:
            return None
        note = ReportNote(report_id=report.id, at=now, author=actor, text=text)
        session.add(note)
        session.flush()
        session.add(
            AuditEntry(
                at=now,
                actor=actor,
                action="report.note_added",
                report_id=report.id,
                detail={"before": None, "after": {"note_id": note.id, "length": len(text)}},
            )
        )
        return NoteView(note.id, note.at, note.author, note.text)


def _report_id(session: Session, number: str, scope: frozenset[str]) -> int | None:
    return session.scalar(sa.select(Report.id).where(Report.number == number, in_scope(scope)))


def list_notes(engine: Engine, number: str, *, scope: frozenset[str]) -> list[NoteView] | None:
    """Notes oldest first; None when the report is absent or out of scope."""
    with Session(engine) as session:
        report_id = _report_id(session, number, scope)
        if report_id is None:
            return None
        query = sa.select(ReportNote).where(ReportNote.report_id == report_id).order_by(ReportNote.id)
        return [NoteView(n.id, n.at, n.author, n.text) for n in session.scalars(query)]


def audit_trail(engine: Engine, number: str, *, scope: frozenset[str]) -> list[AuditView] | None:
    """The report's audit entries oldest first; None when absent or out of scope."""
    with Session(engine) as session:
        report_id = _report_id(session, number, scope)
        if report_id is None:
            return None
        query = sa.select(AuditEntry).where(AuditEntry.report_id == report_id).order_by(AuditEntry.id)
        return [AuditView(a.id, a.at, a.actor, a.action, dict(a.detail)) for a in session.scalars(query)]
