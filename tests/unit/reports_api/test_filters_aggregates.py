"""Bounding box and text filters, and counts by municipality × category × hour/day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from reports_api import SavedReport

from .conftest import YOKOHAMA, Officer

T0 = datetime(2026, 11, 29, 0, 30, tzinfo=UTC)  # 09:30 in Japan


def test_bounding_box(officer: Callable[..., Officer], report: Callable[..., SavedReport]) -> None:
    inside = report(lat=35.34, lon=139.49)
    report(lat=35.45, lon=139.63)
    report(lat=None, lon=None)
    viewer = officer()
    assert viewer.numbers(bbox="139.40,35.30,139.55,35.40") == [inside.number]
    assert viewer.numbers(bbox="139.40, 35.30, 139.55, 35.40") == [inside.number]


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "139.6,35.3,139.4,35.4", "0,0,0,nan", "0,-91,1,1"])
def test_bad_bounding_boxes(officer: Callable[..., Officer], bbox: str) -> None:
    response = officer().lists(bbox=bbox)
    assert response.status_code == 400 and response.json is not None and "bbox" in response.json["message"]


def test_text_search(officer: Callable[..., Officer], report: Callable[..., SavedReport]) -> None:
    river = report(text="川が溢れそうです", place_text="境川の橋")
    shop = report(text="Shop sign 100% down", place_text="駅前")
    viewer = officer()
    assert viewer.numbers(q="溢れ") == [river.number]
    assert viewer.numbers(q="境川") == [river.number]
    assert viewer.numbers(q="SHOP") == [shop.number]
    assert viewer.numbers(q="100%") == [shop.number]
    assert viewer.numbers(q="%") == [shop.number]  # wildcards are literal
    assert viewer.numbers(q="_") == []


def test_aggregates_by_hour_and_day_in_japan_time(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    report(received_at=T0)
    report(received_at=T0 + timedelta(minutes=20))
    report(received_at=T0 + timedelta(hours=1), categories=("fire",))
    report(received_at=T0 + timedelta(hours=16), municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1])
    viewer = officer()
    hourly = viewer.get("/aggregates", bucket="hour").json
    assert hourly is not None and hourly["bucket"] == "hour"
    assert [(c["municipality_code"], c["category"], c["bucket_start"], c["count"]) for c in hourly["counts"]] == [
        ("14205", "flood", "2026-11-29T09:00:00+09:00", 2),
        ("14205", "fire", "2026-11-29T10:00:00+09:00", 1),
        ("14100", "flood", "2026-11-30T01:00:00+09:00", 1),
    ]
    daily = viewer.get("/aggregates").json
    assert daily is not None
    assert [(c["municipality"], c["category"], c["bucket_start"][:10], c["count"]) for c in daily["counts"]] == [
        ("藤沢市", "fire", "2026-11-29", 1),
        ("藤沢市", "flood", "2026-11-29", 2),
        ("横浜市", "flood", "2026-11-30", 1),
    ]
    fujisawa = officer("viewer", "14205").get("/aggregates", category="flood").json
    assert fujisawa is not None and [c["count"] for c in fujisawa["counts"]] == [2]
    assert officer("viewer", "14205").get("/aggregates", municipality="14100").status_code == 403
    assert viewer.get("/aggregates", bucket="week").status_code == 400


def test_text_search_ignores_case_beyond_ascii(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    foreign = report(text="ПОЖАР near Ärztehaus", place_text="ＡＢＣビル")
    report(text="別の通報")
    viewer = officer()
    assert viewer.numbers(q="пожар") == [foreign.number]
    assert viewer.numbers(q="ärztehaus") == [foreign.number]
    assert viewer.numbers(q="ÄRZTEHAUS") == [foreign.number]
    assert viewer.numbers(q="ａｂｃ") == [foreign.number]  # full-width Latin letters fold too
    incidents = viewer.get("/incidents", q="ärztehaus").json
    assert incidents is not None and [i["id"] for i in incidents["incidents"]] == [foreign.incident_id]
