from __future__ import annotations

import heapq
import math
import random

import pytest

from evacuation import Hazard, NearbySite, OutsideJapanError, ShelterIndex, haversine_m
from evacuation.index import DEFAULT_DATA_DATE

YOKOHAMA_STATION = (35.4658, 139.6223)
KAMAKURA_STATION = (35.3190, 139.5503)


def brute_force(
    index: ShelterIndex,
    lat: float,
    lon: float,
    hazard: Hazard | None,
    k: int,
    max_distance_m: float | None = None,
    excluded: frozenset[str] = frozenset(),
) -> list[tuple[str, float]]:
    found = (
        (haversine_m(lat, lon, s.lat, s.lon), i)
        for i, s in enumerate(index.sites)
        if (hazard is None or hazard in s.hazards) and s.id not in excluded
    )
    nearest = heapq.nsmallest(k, found)
    return [(index.sites[i].id, d) for d, i in nearest if max_distance_m is None or d <= max_distance_m]


def as_pairs(results: list[NearbySite]) -> list[tuple[str, float]]:
    return [(n.site.id, n.distance_m) for n in results]


def assert_same(got: list[tuple[str, float]], want: list[tuple[str, float]]) -> None:
    assert [i for i, _ in got] == [i for i, _ in want]
    assert all(math.isclose(a, b, abs_tol=1e-6) for (_, a), (_, b) in zip(got, want, strict=True))


def random_point(rng: random.Random) -> tuple[float, float]:
    # Kanagawa and its surroundings, sea included.
    return rng.uniform(34.9, 35.9), rng.uniform(138.8, 140.0)


@pytest.mark.parametrize("hazard", [None, *Hazard])
def test_hazard_filter_matches_brute_force(kanagawa: ShelterIndex, hazard: Hazard | None) -> None:
    rng = random.Random(str(hazard))
    for _ in range(60):
        lat, lon = random_point(rng)
        k = rng.choice([1, 5, 12])
        results = kanagawa.nearest(lat, lon, hazard=hazard, k=k)
        got = as_pairs(results)
        assert_same(got, brute_force(kanagawa, lat, lon, hazard, k))
        assert all(hazard is None or hazard in n.site.hazards for n in results)


@pytest.mark.parametrize("cell_deg", [0.003, 0.2, 2.0])
def test_grid_size_does_not_change_answers(kanagawa: ShelterIndex, cell_deg: float) -> None:
    index = ShelterIndex(kanagawa.sites, DEFAULT_DATA_DATE, cell_deg=cell_deg)
    rng = random.Random(cell_deg)
    for _ in range(40):
        lat, lon = random_point(rng)
        hazard = rng.choice([None, Hazard.TSUNAMI, Hazard.VOLCANO])
        assert_same(
            as_pairs(index.nearest(lat, lon, hazard=hazard, k=5)),
            brute_force(kanagawa, lat, lon, hazard, 5),
        )


def test_radius_matches_brute_force(kanagawa: ShelterIndex) -> None:
    rng = random.Random(7)
    for _ in range(60):
        lat, lon = random_point(rng)
        radius = rng.choice([0.0, 300.0, 2_000.0, 30_000.0])
        got = as_pairs(kanagawa.nearest(lat, lon, Hazard.FLOOD, k=20, max_distance_m=radius))
        assert_same(got, brute_force(kanagawa, lat, lon, Hazard.FLOOD, 20, radius))


def test_excluded_sites_are_skipped(kanagawa: ShelterIndex) -> None:
    first = kanagawa.nearest(*YOKOHAMA_STATION, Hazard.EARTHQUAKE, k=6)
    closed = frozenset(n.site.id for n in first[:3])
    by_set = kanagawa.nearest(*YOKOHAMA_STATION, Hazard.EARTHQUAKE, k=3, excluded=closed)
    by_call = kanagawa.nearest(*YOKOHAMA_STATION, Hazard.EARTHQUAKE, k=3, excluded=closed.__contains__)
    assert as_pairs(by_set) == as_pairs(by_call) == as_pairs(first[3:])


def test_walking_time_uses_the_given_pace(kanagawa: ShelterIndex) -> None:
    (normal,) = kanagawa.nearest(*YOKOHAMA_STATION, k=1)
    (slow,) = kanagawa.nearest(*YOKOHAMA_STATION, k=1, walk_speed_m_per_min=40)
    assert normal.walk_minutes == pytest.approx(normal.distance_m / 80)
    assert slow.walk_minutes == pytest.approx(2 * normal.walk_minutes)
    with pytest.raises(ValueError, match="walk_speed"):
        kanagawa.nearest(*YOKOHAMA_STATION, walk_speed_m_per_min=0)


@pytest.mark.parametrize("k", [0, -1])
def test_k_must_be_positive(kanagawa: ShelterIndex, k: int) -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        kanagawa.nearest(*YOKOHAMA_STATION, k=k)


def test_huge_k_is_clamped(kanagawa: ShelterIndex) -> None:
    volcano = kanagawa.nearest(*YOKOHAMA_STATION, Hazard.VOLCANO, k=10**9)
    assert len(volcano) == 280
    assert [n.distance_m for n in volcano] == sorted(n.distance_m for n in volcano)


def test_negative_radius_is_rejected(kanagawa: ShelterIndex) -> None:
    with pytest.raises(ValueError, match="max_distance_m"):
        kanagawa.nearest(*YOKOHAMA_STATION, max_distance_m=-1)


@pytest.mark.parametrize(("lat", "lon"), [(math.nan, 139.6), (35.4, math.inf), (48.85, 2.35), (-35.4, 139.6)])
def test_point_outside_japan_is_a_clear_error(kanagawa: ShelterIndex, lat: float, lon: float) -> None:
    with pytest.raises(OutsideJapanError, match="not inside Japan"):
        kanagawa.nearest(lat, lon)
    assert issubclass(OutsideJapanError, ValueError)


def test_far_point_in_japan_still_gets_exact_answer(kanagawa: ShelterIndex) -> None:
    lat, lon = 26.2, 127.7  # Naha: no Kanagawa site is near, the whole layer is scanned
    got = as_pairs(kanagawa.nearest(lat, lon, Hazard.TSUNAMI, k=3))
    assert_same(got, brute_force(kanagawa, lat, lon, Hazard.TSUNAMI, 3))
    assert kanagawa.nearest(lat, lon, Hazard.TSUNAMI, max_distance_m=50_000) == []


def test_missing_municipalities_are_visible(kanagawa: ShelterIndex) -> None:
    with_tsunami_data = kanagawa.municipalities_with_data(Hazard.TSUNAMI)
    assert "神奈川県鎌倉市" not in with_tsunami_data
    assert "神奈川県逗子市" in with_tsunami_data
    assert not kanagawa.has_data("鎌倉市", Hazard.TSUNAMI)
    assert kanagawa.has_data("鎌倉市")  # 指定避難所 only: places to stay, not to flee to
    for missing in ("伊勢原市", "寒川町", "山北町"):
        assert not kanagawa.has_data(missing)
    assert len(kanagawa.municipalities_with_data()) == 30


def test_nearest_from_kamakura_is_not_in_kamakura(kanagawa: ShelterIndex) -> None:
    # The data gap the bot must disclose: the nearest tsunami sites are in another city.
    results = kanagawa.nearest(*KAMAKURA_STATION, Hazard.TSUNAMI, k=3)
    assert {n.site.municipality for n in results} != {"鎌倉市"}


def test_default_index_is_cached() -> None:
    first = ShelterIndex.load_default()
    assert ShelterIndex.load_default() is first
    assert first.data_date.isoformat() == "2025-10-27"
