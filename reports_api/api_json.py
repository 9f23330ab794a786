"""JSON shapes of the officers' API: reports and errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

from .views import SavedReport

if TYPE_CHECKING:
    from .incident_queries import IncidentView

__all__ = ["error_response", "incident_json", "report_json", "timestamp"]


def timestamp(value: datetime) -> str:
    """ISO 8601 in UTC with a "Z", e.g. 2026-11-29T03:12:45.123456Z."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def report_json(report: SavedReport) -> dict[str, Any]:
    """A report as officers see it. Carries the reporter pseudonym, never a LINE user id."""
    return {
        "number": report.number,
        "received_at": timestamp(report.received_at),
        "reported_at": timestamp(report.reported_at),
        "categories": list(report.categories),
        "urgent": report.urgent,
        "text": report.text,
        "location": {
            "lat": report.lat,
            "lon": report.lon,
            "source": report.location_source,
            "precision_m": report.location_precision_m,
            "place_text": report.place_text,
        },
        "municipality": {"name": report.municipality, "code": report.municipality_code},
        "reporter": report.reporter,
        "source": report.source,
        "status": report.status,
        "reject_reason": report.reject_reason,
        "incident_id": report.incident_id,
        "photos": len(report.photos),
    }


def incident_json(incident: IncidentView, *, with_reports: bool = False) -> dict[str, Any]:
    """An incident: where, when, how urgent, how many reports and independent reporters."""
    body: dict[str, Any] = {
        "id": incident.id,
        "category": incident.category,
        "first_at": timestamp(incident.first_at),
        "last_at": timestamp(incident.last_at),
        "urgent": incident.urgent,
        "location": {"lat": incident.lat, "lon": incident.lon, "place_text": incident.place_text},
        "municipality": {"name": incident.municipality, "code": incident.municipality_code},
        "report_count": incident.report_count,
        "corroboration": incident.corroboration,
        "edited": incident.edited,
    }
    if with_reports:
        body["reports"] = list(incident.reports)
    return body


def error_response(exc: HTTPException) -> Response:
    """``{"error": "not_found", "message": "..."}`` keeping the exception's headers."""
    code = exc.code or 500
    slug = (exc.name or "error").lower().replace(" ", "_").replace("'", "")
    body = {"error": slug, "message": exc.description or exc.name}
    response = jsonify(body)
    response.status_code = code
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
