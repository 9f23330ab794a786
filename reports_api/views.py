"""Read-only views of stored rows, safe to pass around after the session is closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import Report

__all__ = ["SavedReport", "saved_report"]


@dataclass(frozen=True)
class SavedReport:
    """A stored report. ``reporter`` is a keyed pseudonym, never a LINE user id."""

    id: int
    number: str
    source_event_id: str
    received_at: datetime
    reported_at: datetime
    text: str
    categories: tuple[str, ...]
    urgent: bool
    lat: float | None
    lon: float | None
    location_source: str
    location_precision_m: float | None
    place_text: str
    municipality: str
    municipality_code: str | None
    reporter: str
    source: str
    status: str
    photos: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    reject_reason: str | None = None
    incident_id: int | None = None


def saved_report(row: Report) -> SavedReport:
    return SavedReport(
        id=row.id,
        number=row.number,
        source_event_id=row.source_event_id,
        received_at=row.received_at,
        reported_at=row.reported_at,
        text=row.text,
        categories=tuple(row.categories),
        urgent=row.urgent,
        lat=row.lat,
        lon=row.lon,
        location_source=row.location_source,
        location_precision_m=row.location_precision_m,
        place_text=row.place_text,
        municipality=row.municipality,
        municipality_code=row.municipality_code,
        reporter=row.reporter,
        source=row.source,
        status=row.status,
        photos=tuple(row.photos),
        created_at=row.created_at,
        updated_at=row.updated_at,
        reject_reason=row.reject_reason,
        incident_id=row.incident_id,
    )
