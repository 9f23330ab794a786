"""NGSI-LD entities for FIWARE-based data platforms (都市OS / データ連携基盤).

Modelled on the Smart Data Models ``Alert`` type: category/subCategory, severity, location
(GeoProperty, [lon, lat]), dateIssued, description, alertSource, address, areaServed.
What the review workflow adds (status, corroborating incident) is kept as extra properties
in the way ``IssueReporting`` carries a status; the mapping is in docs/reports_api.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..api_json import timestamp
from ..geo import round_coordinate
from ..views import SavedReport
from .categories import sdm_category

__all__ = ["NGSI_CONTEXT", "ngsi_chunks", "ngsi_entity"]

NGSI_CONTEXT = [
    "https://raw.githubusercontent.com/smart-data-models/dataModel.Alert/master/context.jsonld",
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
]
_STATUS = {"new": "open", "verified": "confirmed", "rejected": "rejected", "resolved": "closed"}


def _prop(value: Any) -> dict[str, Any]:
    return {"type": "Property", "value": value}


def ngsi_entity(report: SavedReport, precision: int | None = None) -> dict[str, Any]:
    """One report as an NGSI-LD ``Alert`` entity (normalised form)."""
    category, sub = sdm_category(report.categories[0] if report.categories else "")
    entity: dict[str, Any] = {
        "id": f"urn:ngsi-ld:Alert:sonae:{report.number}",
        "type": "Alert",
        "category": _prop(category),
        "subCategory": _prop(sub),
        "severity": _prop("critical" if report.urgent else "medium"),
        "dateIssued": {"type": "Property", "value": {"@type": "DateTime", "@value": timestamp(report.received_at)}},
        "description": _prop(report.text),
        "alertSource": _prop(f"sonae:{report.source}"),
        "address": _prop({"addressLocality": report.municipality, "streetAddress": report.place_text}),
        "reportStatus": _prop(_STATUS.get(report.status, report.status)),
    }
    if report.municipality_code:
        entity["areaServed"] = _prop(report.municipality_code)
    if report.lat is not None and report.lon is not None:
        coordinates = [round_coordinate(report.lon, precision), round_coordinate(report.lat, precision)]
        entity["location"] = {"type": "GeoProperty", "value": {"type": "Point", "coordinates": coordinates}}
    if report.incident_id is not None:
        entity["incident"] = _prop(f"sonae:incident:{report.incident_id}")
    entity["@context"] = NGSI_CONTEXT
    return entity


def ngsi_chunks(reports: Iterable[SavedReport], precision: int | None = None) -> Iterator[str]:
    """A JSON array of entities (as POSTed to /ngsi-ld/v1/entityOperations/upsert), one per chunk."""
    yield "["
    for i, report in enumerate(reports):
        text = json.dumps(ngsi_entity(report, precision), ensure_ascii=False, separators=(",", ":"))
        yield text if i == 0 else "," + text
    yield "]"
