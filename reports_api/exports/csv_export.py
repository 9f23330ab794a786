"""CSV that opens correctly in Excel in a Japanese office: UTF-8 with a BOM, CRLF, Japan time.

Cells that Excel would read as a formula (=, +, -, @ first) are prefixed with ' : residents'
text must never run as a formula on an officer's PC.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from ..aggregates import JST
from ..geo import round_coordinate
from ..views import SavedReport

__all__ = ["BOM", "CSV_COLUMNS", "csv_chunks", "csv_row"]

BOM = "\ufeff"
#: (English name, Japanese name) of each column, in order.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "受付番号"),
    ("received_at", "受信日時"),
    ("reported_at", "通報日時"),
    ("status", "状態"),
    ("reject_reason", "却下理由"),
    ("urgent", "緊急"),
    ("categories", "分類"),
    ("text", "通報内容"),
    ("place_text", "場所"),
    ("lat", "緯度"),
    ("lon", "経度"),
    ("location_source", "位置の取得方法"),
    ("location_precision_m", "位置の精度(m)"),
    ("municipality", "市区町村"),
    ("municipality_code", "市区町村コード"),
    ("reporter", "通報者(仮名)"),
    ("source", "経路"),
    ("incident_id", "事案番号"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _jst(value: datetime) -> str:
    return value.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")


def csv_row(r: SavedReport, precision: int | None = None) -> list[str]:
    def num(value: float | None) -> str:
        return "" if value is None else repr(value)

    return [
        r.number,
        _jst(r.received_at),
        _jst(r.reported_at),
        r.status,
        r.reject_reason or "",
        "1" if r.urgent else "0",
        _safe(";".join(r.categories)),
        _safe(r.text),
        _safe(r.place_text),
        num(round_coordinate(r.lat, precision)),
        num(round_coordinate(r.lon, precision)),
        r.location_source,
        num(r.location_precision_m),
        _safe(r.municipality),
        r.municipality_code or "",
        r.reporter,
        r.source,
        "" if r.incident_id is None else str(r.incident_id),
    ]


def csv_chunks(reports: Iterable[SavedReport], *, lang: str = "en", precision: int | None = None) -> Iterator[str]:
    """BOM and header, then one chunk per report."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([ja if lang == "ja" else en for en, ja in CSV_COLUMNS])
    yield BOM + flush()
    for report in reports:
        writer.writerow(csv_row(report, precision))
        yield flush()
