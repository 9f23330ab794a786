"""Small geodesy helpers: great-circle distance and coordinate rounding."""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_M", "degrees_box", "distance_m", "round_coordinate"]

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def degrees_box(lat: float, radius_m: float) -> tuple[float, float]:
    """Half-sizes (dlat, dlon) in degrees of a box that contains a circle of ``radius_m``."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return dlat, dlon


def round_coordinate(value: float | None, decimals: int | None) -> float | None:
    """``value`` rounded to ``decimals`` places (3 ≈ 110 m, 2 ≈ 1.1 km); unchanged when None."""
    if value is None or decimals is None:
        return value
    return round(value, decimals)
