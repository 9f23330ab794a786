"""The shipped gazetteer: sizes, codes and reverse geocoding."""

from __future__ import annotations

import pytest

import nlp


def test_sizes(gazetteer: nlp.Gazetteer) -> None:
    sizes = gazetteer.sizes()
    assert sizes["municipalities"] > 1800
    assert sizes["entries_station"] >= 340
    assert sizes["town_points"] >= 4800


def test_codes(gazetteer: nlp.Gazetteer) -> None:
    fujisawa = gazetteer.municipality("藤沢市")
    assert fujisawa is not None
    assert (fujisawa.code, fujisawa.lgcode, fujisawa.prefecture) == ("14205", "142051", "神奈川県")
    kohoku = gazetteer.municipality("横浜市港北区")
    assert kohoku is not None and kohoku.code == "14109"


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (35.3386, 139.4871, "藤沢市"),  # 藤沢駅
        (35.5540, 139.6470, "横浜市港北区"),  # 日吉駅
        (35.2564, 139.1565, "小田原市"),  # 小田原駅
        # Outside Kanagawa only town-hall points are known: near a hall is right, but a
        # point near a border can fall to the neighbour (東京駅 → 中央区, not 千代田区).
        (35.0990, 139.0720, "熱海市"),
    ],
)
def test_reverse_municipality(gazetteer: nlp.Gazetteer, lat: float, lon: float, expected: str) -> None:
    muni = gazetteer.reverse_municipality(lat, lon)
    assert muni is not None and muni.name == expected


@pytest.mark.parametrize(("lat", "lon"), [(0.0, 0.0), (34.0, 141.0), (float("nan"), 139.0)])
def test_reverse_far_away_is_none(gazetteer: nlp.Gazetteer, lat: float, lon: float) -> None:
    assert gazetteer.reverse_municipality(lat, lon) is None
