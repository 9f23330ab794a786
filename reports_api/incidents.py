"""Incidents: reports of one category close in space and time, grouped as they arrive.

The rule (single linkage, like DBSCAN with min_samples=1): a new report joins every
incident that has a report of the same category within ``RADIUS_M`` and ``WINDOW`` of it.
Reports without coordinates link instead to reports without coordinates of the same
category, municipality and place text (case- and space-insensitive) within ``WINDOW``.
When a report links to several incidents they are merged into the oldest (union-find),
unless an officer edited one of them: then it joins the incident of its nearest neighbour.

Grouping runs inside the transaction that stores the report, under a per-category lock
(a PostgreSQL advisory lock; SQLite serialises writers anyway), so concurrent reports
cannot create two incidents that should be one.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .geo import degrees_box, distance_m
from .models import AuditEntry, Incident, Report, ReportStatus

__all__ = [
    "RADIUS_M",
    "WINDOW",
    "absorb",
    "assign_incident",
    "incident_seeded_by",
    "lock_categories",
    "refresh_incident",
]

RADIUS_M = 300.0
WINDOW = timedelta(hours=2)


def _place_key(text: str) -> str:
    return "".join(text.split()).casefold()


def lock_categories(session: Session, categories: list[str]) -> None:
    """Serialise incident changes per category for the rest of the transaction (PostgreSQL)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for category in sorted(set(categories)):
        key = zlib.crc32(f"sonae.incidents:{category}".encode())
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def _neighbours(session: Session, report: Report) -> list[tuple[float, Report]]:
    """Grouped reports that link to ``report``, with their distance (0 for place-text links)."""
    query = sa.select(Report).where(
        Report.category == report.category,
        Report.received_at >= report.received_at - WINDOW,
        Report.received_at <= report.received_at + WINDOW,
        Report.id != report.id,
        Report.incident_id.is_not(None),
    )
    if report.lat is not None and report.lon is not None:
        dlat, dlon = degrees_box(report.lat, RADIUS_M)
        query = query.where(
            Report.lat.between(report.lat - dlat, report.lat + dlat),
            Report.lon.between(report.lon - dlon, report.lon + dlon),
        )
        found = []
        for other in session.scalars(query):
            assert other.lat is not None and other.lon is not None
            d = distance_m(report.lat, report.lon, other.lat, other.lon)
            if d <= RADIUS_M:
                found.append((d, other))
        return found
    key = _place_key(report.place_text)
    if not key:
        return []
    query = query.where(Report.lat.is_(None), Report.municipality_code.is_not_distinct_from(report.municipality_code))
    return [(0.0, other) for other in session.scalars(query) if _place_key(other.place_text) == key]


def refresh_incident(session: Session, incident: Incident) -> None:
    """Recompute the incident's summary from its reports."""
    session.flush()
    members = list(session.scalars(sa.select(Report).where(Report.incident_id == incident.id).order_by(Report.id)))
    if not members:
        return
    first = members[0]
    located = [r for r in members if r.lat is not None and r.lon is not None]
    counted = [r for r in members if r.status != ReportStatus.REJECTED]
    incident.category = first.category
    incident.municipality = first.municipality
    incident.municipality_code = first.municipality_code
    incident.place_text = first.place_text
    incident.first_at = min(r.received_at for r in members)
    incident.last_at = max(r.received_at for r in members)
    incident.urgent = any(r.urgent for r in counted)
    incident.report_count = len(members)
    incident.corroboration = len({r.reporter for r in counted})
    incident.lat = sum(r.lat for r in located if r.lat is not None) / len(located) if located else None
    incident.lon = sum(r.lon for r in located if r.lon is not None) / len(located) if located else None
    incident.updated_at = datetime.now(UTC)


def _summary(incident: Incident) -> dict[str, Any]:
    return {"reports": incident.report_count, "corroboration": incident.corroboration}


def incident_seeded_by(report: Report, now: datetime, *, edited: bool) -> Incident:
    """A new, empty incident that starts from ``report`` (counts are filled by ``refresh_incident``)."""
    return Incident(
        category=report.category,
        municipality=report.municipality,
        municipality_code=report.municipality_code,
        first_at=report.received_at,
        last_at=report.received_at,
        place_text=report.place_text,
        urgent=report.urgent,
        report_count=0,
        corroboration=0,
        edited=edited,
        created_at=now,
        updated_at=now,
    )


def assign_incident(session: Session, report: Report) -> Incident:
    """Put a just-inserted ``report`` into its incident (new, existing or merged)."""
    lock_categories(session, [report.category])
    links = _neighbours(session, report)
    incidents = {i.id: i for i in (session.get(Incident, r.incident_id) for _, r in links) if i is not None}
    now = datetime.now(UTC)
    if not incidents:
        target = incident_seeded_by(report, now, edited=False)
        session.add(target)
        session.flush()
    elif any(i.edited for i in incidents.values()):
        nearest = min(links, key=lambda pair: (pair[0], pair[1].id))[1]
        target = incidents[nearest.incident_id or 0]
    else:
        target = incidents[min(incidents)]
        for other_id in sorted(incidents)[1:]:
            absorb(session, target, incidents[other_id], actor="system", now=now)
    report.incident_id = target.id
    refresh_incident(session, target)
    return target


def absorb(session: Session, target: Incident, other: Incident, *, actor: str, now: datetime) -> None:
    """Move ``other``'s reports into ``target`` and delete ``other``, audited."""
    session.execute(sa.update(Report).where(Report.incident_id == other.id).values(incident_id=target.id))
    session.add(
        AuditEntry(
            at=now,
            actor=actor,
            action="incident.merged",
            incident_id=target.id,
            detail={"merged": other.id, "before": {str(other.id): _summary(other), str(target.id): _summary(target)}},
        )
    )
    session.delete(other)
    session.flush()
