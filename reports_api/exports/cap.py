"""CAP 1.2 (OASIS Common Alerting Protocol) for officer-approved (verified) reports.

CAP writes points as "lat,lon" (the reverse of GeoJSON) and times as
YYYY-MM-DDThh:mm:ss+hh:mm without fractions or "Z". In drill mode, and for drill reports,
<status> is "Exercise" so that no receiving system treats the alert as real.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal

from ..aggregates import JST
from ..geo import round_coordinate
from ..models import ReportSource
from ..views import SavedReport
from .categories import cap_category

__all__ = ["CAP_NS", "cap_alert", "cap_time", "plain_decimal", "xml_text"]

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
#: Characters XML 1.0 does not allow (its Char production), also as character references.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (control characters, U+FFFE, …)."""
    return _XML_ILLEGAL.sub("", text)


def plain_decimal(value: float) -> str:
    """A number as CAP's decimal values expect it: ``0.000001``, never ``1e-06``."""
    if not math.isfinite(value) or value == 0:
        value = 0.0  # also turns -0.0 into 0
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cap_time(value: datetime) -> str:
    """CAP's date-time: Japan time, whole seconds, explicit offset."""
    return value.astimezone(JST).replace(microsecond=0).isoformat()


def _add(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CAP_NS}}}{tag}")
    element.text = xml_text(text)
    return element


def cap_alert(
    report: SavedReport,
    *,
    sender: str,
    sent: datetime,
    drill: bool,
    precision: int | None = None,
    sender_name: str = "",
) -> bytes:
    """One <alert> (UTF-8 XML) with one Japanese <info> describing the verified report."""
    ET.register_namespace("", CAP_NS)
    alert = ET.Element(f"{{{CAP_NS}}}alert")
    _add(alert, "identifier", f"sonae-{report.number}")
    _add(alert, "sender", sender)
    _add(alert, "sent", cap_time(sent))
    _add(alert, "status", "Exercise" if drill or report.source == ReportSource.DRILL else "Actual")
    _add(alert, "msgType", "Alert")
    _add(alert, "scope", "Public")
    info = ET.SubElement(alert, f"{{{CAP_NS}}}info")
    _add(info, "language", "ja-JP")
    for category in dict.fromkeys(cap_category(c) for c in (report.categories or ("",))):
        _add(info, "category", category)
    _add(info, "event", "、".join(report.categories) or "住民からの通報")
    _add(info, "urgency", "Immediate" if report.urgent else "Expected")
    _add(info, "severity", "Severe" if report.urgent else "Moderate")
    _add(info, "certainty", "Observed")
    _add(info, "effective", cap_time(report.reported_at))
    if sender_name:
        _add(info, "senderName", sender_name)
    _add(info, "headline", f"{report.municipality or '所在地不明'}: {report.place_text or report.number}"[:160])
    if report.text:
        _add(info, "description", report.text)
    area = ET.SubElement(info, f"{{{CAP_NS}}}area")
    _add(area, "areaDesc", report.place_text or report.municipality or "不明")
    if report.lat is not None and report.lon is not None:
        lat, lon = round_coordinate(report.lat, precision) or 0.0, round_coordinate(report.lon, precision) or 0.0
        radius_km = (report.location_precision_m or 0.0) / 1000
        _add(area, "circle", f"{plain_decimal(lat)},{plain_decimal(lon)} {plain_decimal(radius_km)}")
    if report.municipality_code:
        geocode = ET.SubElement(area, f"{{{CAP_NS}}}geocode")
        _add(geocode, "valueName", "JIS X 0402")
        _add(geocode, "value", report.municipality_code)
    return ET.tostring(alert, encoding="utf-8", xml_declaration=True)
