"""Routes for aggregates and exports (GeoJSON, CSV, NGSI-LD, CAP); exports stream."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import Response, request
from flask_smorest import Blueprint
from sqlalchemy.engine import Engine
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import Conflict, NotFound

from .aggregates import count_reports
from .api_auth import caller
from .api_json import timestamp
from .api_params import bad, parse_list_params, single
from .api_reports import check_requested_scope
from .api_schemas import AggregateQuery, AggregatesOut, ExportQuery, doc
from .exports import cap_alert, csv_chunks, geojson_chunks, ngsi_chunks
from .models import ReportStatus
from .queries import ReportFilter, get_report, iter_reports
from .views import SavedReport

if TYPE_CHECKING:
    from .api import ApiOptions

__all__ = ["register_export_routes"]

_EXPORT_EXTRA = ("precision", "lang")


def _precision(args: MultiDict[str, str]) -> int | None:
    raw = single(args, "precision")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) > 6:
        raise bad("'precision' must be a whole number of decimals from 0 to 6 (3 ≈ 110 m)")
    return int(raw)


def _export_params(extra: tuple[str, ...] = _EXPORT_EXTRA) -> tuple[ReportFilter, int | None]:
    params = parse_list_params(request.args, extra=extra)
    check_requested_scope(params.filters)
    return params.filters, _precision(request.args)


def _primed(reports: Iterator[SavedReport]) -> Iterator[SavedReport]:
    """Run the first page's query now, so that a failure is a clean error response, not a cut-off 200."""
    first = next(reports, None)
    return iter(()) if first is None else itertools.chain([first], reports)


def _stream(chunks: Iterator[str], mimetype: str, filename: str) -> Response:
    response = Response(chunks, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def register_export_routes(bp: Blueprint, engine: Engine, options: ApiOptions) -> None:
    @bp.route("/aggregates", methods=["GET"])
    @bp.doc(**doc(200, AggregatesOut, 403, query=AggregateQuery, tags=("aggregates",)))
    def aggregates() -> dict[str, Any]:
        """Report counts by municipality × category × hour or day (Japan time), in scope and filtered."""
        params = parse_list_params(request.args, extra=("bucket",))
        check_requested_scope(params.filters)
        bucket = single(request.args, "bucket") or "day"
        if bucket not in ("hour", "day"):
            raise bad("'bucket' must be hour or day")
        rows = count_reports(engine, params.filters, scope=caller().municipalities, bucket=bucket)
        return {
            "bucket": bucket,
            "counts": [
                {
                    "municipality_code": r.municipality_code,
                    "municipality": r.municipality,
                    "category": r.category,
                    "bucket_start": r.bucket_start.isoformat(),
                    "count": r.count,
                }
                for r in rows
            ],
        }

    @bp.route("/exports/reports.geojson", methods=["GET"])
    @bp.doc(**doc(200, None, 403, query=ExportQuery, media="application/geo+json", tags=("exports",)))
    def export_geojson() -> Response:
        """Reports as a GeoJSON FeatureCollection (RFC 7946, [lon, lat]); honours the filters."""
        filters, precision = _export_params()
        reports = _primed(iter_reports(engine, filters, scope=caller().municipalities))
        return _stream(geojson_chunks(reports, precision), "application/geo+json", "reports.geojson")

    @bp.route("/exports/reports.csv", methods=["GET"])
    @bp.doc(**doc(200, None, 403, query=ExportQuery, media="text/csv", tags=("exports",)))
    def export_csv() -> Response:
        """Reports as CSV for Excel (UTF-8 with BOM, CRLF); ``lang=ja`` for Japanese column names."""
        filters, precision = _export_params()
        lang = single(request.args, "lang") or "en"
        if lang not in ("en", "ja"):
            raise bad("'lang' must be en or ja")
        reports = _primed(iter_reports(engine, filters, scope=caller().municipalities))
        chunks = csv_chunks(reports, lang=lang, precision=precision)
        return _stream(chunks, "text/csv; charset=utf-8", "reports.csv")

    @bp.route("/exports/reports.ngsi-ld.json", methods=["GET"])
    @bp.doc(**doc(200, None, 403, query=ExportQuery, media="application/ld+json", tags=("exports",)))
    def export_ngsi() -> Response:
        """Reports as NGSI-LD ``Alert`` entities (Smart Data Models); honours the filters."""
        filters, precision = _export_params()
        reports = _primed(iter_reports(engine, filters, scope=caller().municipalities))
        return _stream(ngsi_chunks(reports, precision), "application/ld+json", "reports.ngsi-ld.json")

    @bp.route("/reports/<number>/cap", methods=["GET"])
    @bp.doc(**doc(200, None, 404, 409, media="application/cap+xml", tags=("exports",)))
    def export_cap(number: str) -> Response:
        """A verified report as a CAP 1.2 alert ("Exercise" in drill mode); ``precision`` rounds the point."""
        unknown = sorted(set(request.args) - {"precision"})
        if unknown:
            raise bad(f"unknown parameter '{unknown[0]}'; expected: precision")
        precision = _precision(request.args)
        report = get_report(engine, number, scope=caller().municipalities)
        if report is None:
            raise NotFound(description=f"no report {number}")
        if report.status not in (ReportStatus.VERIFIED, ReportStatus.RESOLVED):
            raise Conflict(description="only reports an officer verified become CAP alerts")
        body = cap_alert(
            report, sender=options.cap_sender, sent=datetime.now(UTC), drill=options.drill_mode, precision=precision
        )
        response = Response(body, mimetype="application/cap+xml")
        response.headers["X-Sonae-Generated"] = timestamp(datetime.now(UTC))
        return response
