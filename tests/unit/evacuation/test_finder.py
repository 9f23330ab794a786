"""``ShelterFinder`` (bot/wiring.py) over live statuses: skips closed/full sites, labels the rest.

A stub gazetteer stands in for the real one (5 s to load) so these stay quick.
"""

from __future__ import annotations

from typing import cast

import pytest
from sqlalchemy.engine import Engine

from bot.wiring import ShelterFinder
from dialogue.messages import ShelterCard
from evacuation.live import LiveShelters
from evacuation.status import set_status
from nlp import Gazetteer, Municipality

FUJISAWA_STATION = (35.3387, 139.4870)
SAGAMI_BAY = (35.18, 139.45)  # about 13 km off 江の島: no municipality, no site within 10 km
KAMAKURA = (35.3192, 139.5467)


class StubGazetteer:
    """藤沢市 and 鎌倉市 by rough box; anything else is unknown (at sea)."""

    def reverse_municipality(self, lat: float, lon: float) -> Municipality | None:
        if 35.30 <= lat <= 35.45 and 139.40 <= lon <= 139.52:
            return Municipality("藤沢市", "14205", "142051", "神奈川県", "ふじさわし", 35.339, 139.491)
        if 35.29 <= lat <= 35.36 and 139.52 <= lon <= 139.60:
            return Municipality("鎌倉市", "14204", "142042", "神奈川県", "かまくらし", 35.319, 139.547)
        return None


@pytest.fixture
def finder(engine: Engine) -> ShelterFinder:
    return ShelterFinder(LiveShelters(engine), cast(Gazetteer, StubGazetteer()))


def names(cards: tuple[object, ...]) -> list[str]:
    return [cast(ShelterCard, c).name for c in cards]


def test_closed_and_full_sites_are_skipped_at_once(engine: Engine, finder: ShelterFinder) -> None:
    before = finder(*FUJISAWA_STATION, "tsunami", "ja")
    assert before.problem is None and len(before.cards) == 5
    first, second = cast(ShelterCard, before.cards[0]), cast(ShelterCard, before.cards[1])
    index = finder.shelters.index()
    [first_id] = [s.id for s in index.sites if s.name == first.name and s.lat == first.lat]
    [second_id] = [s.id for s in index.sites if s.name == second.name and s.lat == second.lat]

    set_status(engine, first_id, status="closed", author="藤沢市 防災課")
    set_status(engine, second_id, status="open", crowding="full", author="藤沢市 防災課")
    after = finder(*FUJISAWA_STATION, "tsunami", "ja")
    assert first.name not in names(after.cards) and second.name not in names(after.cards)
    assert names(after.cards)[:3] == names(before.cards)[2:5]
    assert len(after.cards) == 5

    set_status(engine, first_id, status="open", crowding="crowded", head_count=120, author="藤沢市 防災課")
    again = cast(ShelterCard, finder(*FUJISAWA_STATION, "tsunami", "ja").cards[0])
    assert again.name == first.name
    assert again.status is not None and again.status.startswith("開設中・混雑（避難者120人・")
    assert again.status_code == "crowded"


def test_status_labels_in_every_language(engine: Engine, finder: ShelterFinder) -> None:
    card = cast(ShelterCard, finder(*FUJISAWA_STATION, None, "ja").cards[0])
    assert card.status is None  # never set: no label
    site = next(s for s in finder.shelters.index().sites if s.name == card.name and s.lat == card.lat)
    set_status(engine, site.id, status="open", author="x")
    labels = {lang: cast(ShelterCard, finder(*FUJISAWA_STATION, None, lang).cards[0]).status for lang in
              ("ja", "easy_ja", "en")}  # fmt: skip
    assert labels["ja"] is not None and labels["ja"].startswith("開設中（")
    assert labels["easy_ja"] is not None and labels["easy_ja"].startswith("あいています（")
    assert labels["en"] is not None and labels["en"].startswith("Open (as of ")


def test_slow_walkers_get_longer_walking_times(finder: ShelterFinder) -> None:
    normal = cast(ShelterCard, finder(*FUJISAWA_STATION, "tsunami", "ja").cards[0])
    slow = cast(ShelterCard, finder(*FUJISAWA_STATION, "tsunami", "ja", slow_walker=True).cards[0])
    assert slow.name == normal.name
    assert slow.walk_minutes >= normal.walk_minutes * 2.5  # 30 m/min against 80 m/min


def test_radius_limits_the_list(finder: ShelterFinder) -> None:
    wide = finder(*FUJISAWA_STATION, "tsunami", "ja")
    near = finder(*FUJISAWA_STATION, "tsunami", "ja", max_distance_m=cast(ShelterCard, wide.cards[1]).distance_m)
    assert names(near.cards) == names(wide.cards)[:2]
    none = finder(*FUJISAWA_STATION, "tsunami", "ja", max_distance_m=10)
    assert none.cards == () and none.problem is None  # nothing that close, but sites exist


def test_sea_far_from_any_site_is_far_and_abroad_is_outside(finder: ShelterFinder) -> None:
    sea = finder(*SAGAMI_BAY, None, "ja")
    assert (sea.cards, sea.problem) == ((), "far")
    for lat, lon in ((15.0, 139.5), (float("nan"), 139.5), (0.0, 0.0), (35.0, 200.0)):
        assert finder(lat, lon, None, "ja").problem == "outside"
    # Inside the loose Japan box but abroad (Seoul): no site anywhere near, also said plainly.
    assert finder(37.5, 127.0, None, "ja").problem == "far"


def test_sea_near_the_coast_gets_the_nearest_sites(finder: ShelterFinder) -> None:
    answer = finder(35.295, 139.478, "tsunami", "ja")  # just off 江の島: no municipality from the stub
    assert answer.problem is None and answer.cards
    assert answer.municipality == "藤沢市"


def test_municipality_without_data_is_no_data(finder: ShelterFinder) -> None:
    answer = finder(*KAMAKURA, "tsunami", "ja")
    assert (answer.problem, answer.municipality, answer.cards) == ("no_data", "鎌倉市", ())


def test_municipality_with_data_but_no_site_for_the_hazard_gets_none(finder: ShelterFinder) -> None:
    answer = finder(35.31, 139.48, "storm_surge", "ja")  # 藤沢市 designates no 高潮 site
    assert (answer.problem, answer.municipality, answer.cards) == (None, "藤沢市", ())
