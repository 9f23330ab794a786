"""Great-circle distances, the Japan bounding box and walking-time estimates."""

from __future__ import annotations

import math

__all__ = [
    "DEFAULT_WALK_SPEED_M_PER_MIN",
    "EARTH_RADIUS_M",
    "JAPAN_LAT_RANGE",
    "JAPAN_LON_RANGE",
    "SLOW_WALK_SPEED_M_PER_MIN",
    "OutsideJapanError",
    "check_in_japan",
    "haversine_m",
    "in_japan",
    "walk_minutes",
]

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
# A loose box around Japan's territory, from 沖ノ鳥島 (20.4N) and 与那国島 (122.9E)
# to 択捉島 (45.5N) and 南鳥島 (153.9E). It says "not obviously elsewhere", not "on land".
JAPAN_LAT_RANGE = (20.0, 46.0)
JAPAN_LON_RANGE = (122.0, 154.0)
# A common planning figure for walking evacuation (about 4.8 km/h).
DEFAULT_WALK_SPEED_M_PER_MIN = 80.0
# For residents who registered mobility needs: 0.5 m/s, the pace tsunami-evacuation planning
# in Japan assumes for older people and people with disabilities (消防庁 津波避難対策推進マニュアル).
SLOW_WALK_SPEED_M_PER_MIN = 30.0


class OutsideJapanError(ValueError):
    """The point is not a usable coordinate inside Japan (NaN, infinite or outside the box)."""


def in_japan(lat: float, lon: float) -> bool:
    """Whether (lat, lon) is finite and inside the Japan bounding box."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return JAPAN_LAT_RANGE[0] <= lat <= JAPAN_LAT_RANGE[1] and JAPAN_LON_RANGE[0] <= lon <= JAPAN_LON_RANGE[1]


def check_in_japan(lat: float, lon: float) -> None:
    """Raise ``OutsideJapanError`` unless (lat, lon) is inside the Japan bounding box."""
    if not in_japan(lat, lon):
        raise OutsideJapanError(
            f"point ({lat}, {lon}) is not inside Japan "
            f"(latitude {JAPAN_LAT_RANGE[0]}–{JAPAN_LAT_RANGE[1]}, "
            f"longitude {JAPAN_LON_RANGE[0]}–{JAPAN_LON_RANGE[1]})"
        )


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres on a spherical Earth."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2) - math.radians(lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def walk_minutes(distance_m: float, speed_m_per_min: float = DEFAULT_WALK_SPEED_M_PER_MIN) -> float:
    """Minutes to walk ``distance_m`` in a straight line (real routes are longer)."""
    if not speed_m_per_min > 0:
        raise ValueError(f"walking speed must be positive, got {speed_m_per_min}")
    return distance_m / speed_m_per_min
