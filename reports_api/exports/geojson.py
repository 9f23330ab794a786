"""GeoJSON (RFC 7946): a FeatureCollection of Points in WGS 84, coordinates [lon, lat]."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..api_json import timestamp
from ..geo import round_coordinate
from ..views import SavedReport

__all__ = ["geojson_chunks", "geojson_feature"]


def geojson_feature(report: SavedReport, precision: int | None = None) -> dict[str, Any]:
    """One report as a Feature; ``geometry`` is null when the report has no coordinates."""
    geometry = None
    if report.lat is not None and report.lon is not None:
        lon, lat = round_coordinate(report.lon, precision), round_coordinate(report.lat, precision)
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {
        "type": "Feature",
        "id": report.number,
        "geometry": geometry,
        "properties": {
            "number": report.number,
            "received_at": timestamp(report.received_at),
            "categories": list(report.categories),
            "urgent": report.urgent,
            "status": report.status,
            "text": report.text,
            "place_text": report.place_text,
            "municipality": report.municipality,
            "municipality_code": report.municipality_code,
            "incident_id": report.incident_id,
            "location_precision_m": report.location_precision_m,
        },
    }


def geojson_chunks(reports: Iterable[SavedReport], precision: int | None = None) -> Iterator[str]:
    """The FeatureCollection as text, one feature per chunk."""
    yield '{"type":"FeatureCollection","features":['
    for i, report in enumerate(reports):
        feature = json.dumps(geojson_feature(report, precision), ensure_ascii=False, separators=(",", ":"))
        yield feature if i == 0 else "," + feature
    yield "]}"
