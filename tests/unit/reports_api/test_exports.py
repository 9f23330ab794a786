"""Exports validate: GeoJSON (RFC 7946), CSV round trip for Excel, CAP 1.2 structure, NGSI-LD shape."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine

from reports_api import SavedReport
from reports_api.exports import CSV_COLUMNS

from .conftest import LINE_USER, YOKOHAMA, Officer, make_app

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
CAP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
# CAP 1.2 sequences (OASIS schema order) and enumerations, checked without the XSD.
ALERT_ORDER = [
    "identifier",
    "sender",
    "sent",
    "status",
    "msgType",
    "source",
    "scope",
    "restriction",
    "addresses",
    "code",
    "note",
    "references",
    "incidents",
    "info",
]
INFO_ORDER = [
    "language",
    "category",
    "event",
    "responseType",
    "urgency",
    "severity",
    "certainty",
    "audience",
    "eventCode",
    "effective",
    "onset",
    "expires",
    "senderName",
    "headline",
    "description",
    "instruction",
    "web",
    "contact",
    "parameter",
    "resource",
    "area",
]
ENUMS = {
    "status": {"Actual", "Exercise", "System", "Test", "Draft"},
    "msgType": {"Alert", "Update", "Cancel", "Ack", "Error"},
    "scope": {"Public", "Restricted", "Private"},
    "category": {
        "Geo",
        "Met",
        "Safety",
        "Security",
        "Rescue",
        "Fire",
        "Health",
        "Env",
        "Transport",
        "Infra",
        "CBRNE",
        "Other",
    },
    "urgency": {"Immediate", "Expected", "Future", "Past", "Unknown"},
    "severity": {"Extreme", "Severe", "Moderate", "Minor", "Unknown"},
    "certainty": {"Observed", "Likely", "Possible", "Unlikely", "Unknown"},
}


def check_cap(xml: bytes) -> ET.Element:
    root = ET.fromstring(xml)
    assert root.tag == f"{CAP}alert"

    def check_order(element: ET.Element, order: list[str], required: set[str]) -> None:
        names = [child.tag.removeprefix(CAP) for child in element]
        assert all(child.tag.startswith(CAP) for child in element)
        assert [order.index(n) for n in names] == sorted(order.index(n) for n in names), names
        assert required <= set(names)
        for child in element:
            name = child.tag.removeprefix(CAP)
            if name in ENUMS:
                assert child.text in ENUMS[name], (name, child.text)

    check_order(root, ALERT_ORDER, {"identifier", "sender", "sent", "status", "msgType", "scope"})
    assert CAP_TIME.match(root.findtext(f"{CAP}sent") or "")
    assert re.fullmatch(r"[^\s,<&]+", root.findtext(f"{CAP}identifier") or "")
    for info in root.iter(f"{CAP}info"):
        check_order(info, INFO_ORDER, {"category", "event", "urgency", "severity", "certainty"})
        for area in info.iter(f"{CAP}area"):
            assert area.findtext(f"{CAP}areaDesc")
            for circle in area.iter(f"{CAP}circle"):
                lat, lon, radius = re.fullmatch(r"(-?[\d.]+),(-?[\d.]+) ([\d.]+)", circle.text or "").groups()  # type: ignore[union-attr]
                assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180 and float(radius) >= 0
    return root


@pytest.fixture
def saved(report: Callable[..., SavedReport]) -> list[SavedReport]:
    return [
        report(urgent=True, text='=HYPERLINK("http://x")', place_text="境川の橋"),
        report(text='改行\nと,カンマと"引用"', lat=None, lon=None, location_source="none"),
        report(municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1], lat=35.4437, lon=139.638),
    ]


def test_geojson_is_rfc_7946(officer: Callable[..., Officer], saved: list[SavedReport]) -> None:
    response = officer().get("/exports/reports.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    doc = json.loads(response.get_data(as_text=True))
    assert doc["type"] == "FeatureCollection"
    assert {f["id"] for f in doc["features"]} == {r.number for r in saved}
    for feature in doc["features"]:
        assert feature["type"] == "Feature" and set(feature) == {"type", "id", "geometry", "properties"}
        geometry = feature["geometry"]
        if geometry is not None:
            lon, lat = geometry["coordinates"]
            assert geometry["type"] == "Point" and 139 < lon < 140 and 35 < lat < 36  # lon first
    yokohama = next(f for f in doc["features"] if f["id"] == saved[2].number)
    assert yokohama["geometry"]["coordinates"] == [139.638, 35.4437]


def test_exports_honour_filters_scope_and_precision(officer: Callable[..., Officer], saved: list[SavedReport]) -> None:
    fujisawa = officer("viewer", "14205")
    doc = fujisawa.get("/exports/reports.geojson", urgent="true", precision=2).json
    assert doc is not None and [f["id"] for f in doc["features"]] == [saved[0].number]
    assert doc["features"][0]["geometry"]["coordinates"] == [139.49, 35.34]
    assert fujisawa.get("/exports/reports.csv", municipality=YOKOHAMA[1]).status_code == 403
    assert fujisawa.get("/exports/reports.csv", precision=9).status_code == 400


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_csv_round_trips_for_excel(officer: Callable[..., Officer], saved: list[SavedReport], lang: str) -> None:
    response = officer().get("/exports/reports.csv", lang=lang)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # BOM for Excel, CRLF
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header = [ja if lang == "ja" else en for en, ja in CSV_COLUMNS]
    assert rows[0] == header
    records = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(records) == {r.number for r in saved}
    text = "通報内容" if lang == "ja" else "text"
    assert records[saved[1].number][text] == '改行\nと,カンマと"引用"'
    assert records[saved[0].number][text] == '\'=HYPERLINK("http://x")'  # never a formula in Excel
    received = "受信日時" if lang == "ja" else "received_at"
    assert records[saved[0].number][received] == "2026-11-29 12:00:00"  # Japan time


def test_ngsi_ld_entities(officer: Callable[..., Officer], saved: list[SavedReport]) -> None:
    response = officer().get("/exports/reports.ngsi-ld.json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    entities = json.loads(response.get_data(as_text=True))
    assert len(entities) == 3
    for entity in entities:
        assert entity["id"].startswith("urn:ngsi-ld:Alert:") and entity["type"] == "Alert"
        assert isinstance(entity["@context"], list) and entity["@context"]
        for name, attribute in entity.items():
            if name not in ("id", "type", "@context"):
                assert attribute["type"] in ("Property", "GeoProperty", "Relationship"), name
                assert "value" in attribute
    located = next(e for e in entities if e["id"].endswith(saved[2].number))
    assert located["location"]["value"] == {"type": "Point", "coordinates": [139.638, 35.4437]}
    assert located["severity"]["value"] == "medium"


def test_cap_for_verified_reports_only(officer: Callable[..., Officer], saved: list[SavedReport]) -> None:
    moderator = officer("moderator")
    number = saved[0].number
    assert moderator.get(f"/reports/{number}/cap").status_code == 409
    moderator.verifies(number)
    response = moderator.get(f"/reports/{number}/cap", precision=3)
    assert response.status_code == 200 and response.mimetype == "application/cap+xml"
    root = check_cap(response.get_data())
    assert root.findtext(f"{CAP}status") == "Actual"
    info = root.find(f"{CAP}info")
    assert info is not None and info.findtext(f"{CAP}urgency") == "Immediate"
    assert info.findtext(f"{CAP}description") == '=HYPERLINK("http://x")'  # escaped by the XML writer
    assert info.findtext(f"{CAP}area/{CAP}circle") == "35.339,139.49 0.02"  # lat,lon in CAP
    assert officer("viewer", "14100").get(f"/reports/{number}/cap").status_code == 404


def test_cap_says_exercise_in_drill_mode(engine: Engine, saved: list[SavedReport]) -> None:
    from .conftest import create_token

    client = make_app(engine, drill_mode=True).test_client()
    moderator = Officer(client, create_token(engine, "moderator"), engine)
    moderator.verifies(saved[1].number)
    root = check_cap(moderator.get(f"/reports/{saved[1].number}/cap").get_data())
    assert root.findtext(f"{CAP}status") == "Exercise"
    assert root.find(f"{CAP}info/{CAP}area/{CAP}circle") is None  # no coordinates, no circle


def test_no_export_contains_a_line_user_id(officer: Callable[..., Officer], saved: list[SavedReport]) -> None:
    moderator = officer("moderator")
    moderator.verifies(saved[0].number)
    paths = [
        "/exports/reports.geojson",
        "/exports/reports.csv",
        "/exports/reports.ngsi-ld.json",
        f"/reports/{saved[0].number}/cap",
        "/incidents",
        f"/reports/{saved[0].number}/audit",
    ]
    for path in paths:
        body = moderator.get(path).get_data(as_text=True)
        assert re.search(r"U[0-9a-f]{32}", body) is None and LINE_USER not in body, path


def test_exports_stream(officer: Callable[..., Officer], saved: list[SavedReport]) -> None:
    response = officer().get("/exports/reports.csv")
    assert response.is_streamed


@pytest.mark.parametrize("path", ["/exports/reports.csv", "/exports/reports.geojson", "/exports/reports.ngsi-ld.json"])
def test_an_export_that_fails_at_once_is_a_json_500_not_a_cut_off_200(
    officer: Callable[..., Officer], report: Callable[..., SavedReport], monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    report()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr("reports_api.queries.list_reports", broken)
    response = officer("viewer").get(path)
    assert response.status_code == 500
    assert response.json is not None and response.json["error"] == "internal_server_error"


def test_cap_is_well_formed_whatever_residents_type(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    saved = report(
        text="川が\x01溢れ\x0bそう\ufffeです\ttab",
        place_text="境川\x1fの橋",
        municipality="藤沢\x08市",
        location_precision_m=0.001,
        lat=0.00001,
        lon=139.49,
    )
    moderator = officer("moderator")
    assert moderator.verifies(saved.number).status_code == 200
    response = moderator.get(f"/reports/{saved.number}/cap")
    assert response.status_code == 200
    root = check_cap(response.get_data())  # parses: no XML-illegal characters
    info = root.find(f"{CAP}info")
    assert info is not None
    assert info.findtext(f"{CAP}description") == "川が溢れそうです\ttab"
    assert info.findtext(f"{CAP}area/{CAP}areaDesc") == "境川の橋"
    assert info.findtext(f"{CAP}headline") == "藤沢市: 境川の橋"
    assert info.findtext(f"{CAP}area/{CAP}circle") == "0.00001,139.49 0.000001"  # plain decimals, no 1e-06
