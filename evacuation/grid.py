"""Exact k-nearest search over one set of points with a lat/lon grid and numpy.

Points are sorted by grid cell. A query reads the cells in growing square rings around the
point and stops once the k-th nearest candidate is closer than anything outside the rings
can be. Distances use the same haversine formula as ``geo.haversine_m``, so the answer is
the brute-force answer (ties broken by the point's index).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from evacuation.geo import EARTH_RADIUS_M

__all__ = ["GridLayer"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_KEY_ROW = 100_000
MAX_RINGS = 12  # beyond this the whole layer is scanned (cheap: it is vectorised)


class GridLayer:
    """Points (given by their global indices) bucketed in cells of ``cell_deg`` degrees."""

    def __init__(self, index: IntArray, lat: FloatArray, lon: FloatArray, cell_deg: float):
        self.cell_deg = cell_deg
        rows = np.floor(lat / cell_deg).astype(np.int64)
        cols = np.floor(lon / cell_deg).astype(np.int64)
        keys = rows * _KEY_ROW + cols
        order = np.lexsort((index, keys))
        self.index: IntArray = index[order]
        self.lat_r: FloatArray = np.radians(lat[order])
        self.lon_r: FloatArray = np.radians(lon[order])
        self.cos_lat: FloatArray = np.cos(self.lat_r)
        unique, starts = np.unique(keys[order], return_index=True)
        ends = np.append(starts[1:], len(order)) if len(order) else starts  # an empty layer has no cells
        self.cells: dict[int, tuple[int, int]] = dict(
            zip(unique.tolist(), zip(starts.tolist(), ends.tolist(), strict=True), strict=True)
        )

    def __len__(self) -> int:
        return len(self.index)

    @property
    def nbytes(self) -> int:
        """Bytes held by the numpy arrays (the cell dictionary is not counted)."""
        return self.index.nbytes + self.lat_r.nbytes + self.lon_r.nbytes + self.cos_lat.nbytes

    def distances(self, lat: float, lon: float, pos: IntArray) -> FloatArray:
        """Haversine metres from (lat, lon) to the points at layer positions ``pos``."""
        p1 = math.radians(lat)
        dp = self.lat_r[pos] - p1
        dl = self.lon_r[pos] - math.radians(lon)
        a = np.sin(dp / 2) ** 2 + math.cos(p1) * self.cos_lat[pos] * np.sin(dl / 2) ** 2
        return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(1.0, a)))

    def _ring(self, row: int, col: int, r: int) -> list[tuple[int, int]]:
        if r == 0:
            keys = [row * _KEY_ROW + col]
        else:
            keys = [(row + dr) * _KEY_ROW + col + dc for dr in (-r, r) for dc in range(-r, r + 1)]
            keys += [(row + dr) * _KEY_ROW + col + dc for dc in (-r, r) for dr in range(1 - r, r)]
        return [self.cells[key] for key in keys if key in self.cells]

    def _covered_m(self, lat: float, lon: float, row: int, col: int, r: int) -> float:
        """A lower bound on the distance from the point to any point outside ring ``r``."""
        c = self.cell_deg
        lat_gap = min(lat - (row - r) * c, (row + r + 1) * c - lat)
        lon_gap = min(lon - (col - r) * c, (col + r + 1) * c - lon, 90.0)
        # Distance to the meridian lon_gap away: asin(cos(lat) * sin(gap)) on the unit sphere.
        lon_m = math.asin(min(1.0, math.cos(math.radians(lat)) * math.sin(math.radians(lon_gap))))
        return EARTH_RADIUS_M * min(math.radians(lat_gap), lon_m) * (1 - 1e-9)

    def nearest(
        self,
        lat: float,
        lon: float,
        k: int,
        max_distance_m: float | None,
        keep: Callable[[IntArray], npt.NDArray[np.bool_]] | None,
    ) -> tuple[IntArray, FloatArray]:
        """Global indices and distances of the k nearest kept points, nearest first."""
        row = math.floor(lat / self.cell_deg)
        col = math.floor(lon / self.cell_deg)
        spans: list[tuple[int, int]] = []
        found = 0
        for r in range(MAX_RINGS + 1):
            ring = self._ring(row, col, r)
            spans.extend(ring)
            found += sum(end - start for start, end in ring)
            covered = math.inf if found == len(self) else self._covered_m(lat, lon, row, col, r)
            radius_done = max_distance_m is not None and covered >= max_distance_m
            if found < k and not radius_done and covered != math.inf:
                continue
            pos = _positions(spans)
            idx, dist = self._select(lat, lon, pos, k, max_distance_m, keep)
            if radius_done or covered == math.inf or (len(idx) == k and dist[-1] < covered):
                return idx, dist
        everything = np.arange(len(self), dtype=np.int64)
        return self._select(lat, lon, everything, k, max_distance_m, keep)

    def _select(
        self,
        lat: float,
        lon: float,
        pos: IntArray,
        k: int,
        max_distance_m: float | None,
        keep: Callable[[IntArray], npt.NDArray[np.bool_]] | None,
    ) -> tuple[IntArray, FloatArray]:
        idx = self.index[pos]
        if keep is not None and len(idx):
            mask = keep(idx)
            pos, idx = pos[mask], idx[mask]
        dist = self.distances(lat, lon, pos)
        if max_distance_m is not None:
            inside = dist <= max_distance_m
            idx, dist = idx[inside], dist[inside]
        order = np.lexsort((idx, dist))[:k]
        return idx[order], dist[order]


def _positions(spans: list[tuple[int, int]]) -> IntArray:
    if not spans:
        return np.empty(0, dtype=np.int64)
    return np.concatenate([np.arange(start, end, dtype=np.int64) for start, end in spans])
