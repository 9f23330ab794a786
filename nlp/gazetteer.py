"""Place-name gazetteer shipped in ``nlp/data`` (see ``nlp/data/ATTRIBUTION.md``).

Municipality codes: ``code`` is the 5-digit JIS X 0402 code (e.g. 14205 for 藤沢市) and is
what ``Location.municipality_code`` carries; ``lgcode`` keeps the 6-digit 全国地方公共団体コード
with its check digit (142051). Designated cities appear both as the city (横浜市, 14100)
and as wards (横浜市港北区, 14109); places always resolve to the ward.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nlp.gazetteer_index import Entry, build_index, kanagawa_names_by_length

__all__ = ["Entry", "Gazetteer", "Municipality"]

DATA_DIR = Path(__file__).parent / "data"
_TOWN_RADIUS_KM = 3.0  # a 町丁目 representative point is rarely farther from its edge
_HALL_RADIUS_KM = 12.0  # outside Kanagawa only town-hall points are known


@dataclass(frozen=True)
class Municipality:
    """A municipality (or designated-city ward) with its town-hall point."""

    name: str
    code: str
    lgcode: str
    prefecture: str
    kana: str
    lat: float
    lon: float


@dataclass
class Gazetteer:
    """Municipalities, stations, 町丁目 and facilities, indexed for matching."""

    municipalities: dict[str, Municipality]
    surface: dict[str, list[Entry]] = field(default_factory=dict)
    kana: dict[str, list[Entry]] = field(default_factory=dict)
    romaji: dict[str, list[Entry]] = field(default_factory=dict)
    station_kana: list[str] = field(default_factory=list)
    names_by_length: dict[int, list[str]] = field(default_factory=dict)
    towns_by_muni: dict[str, dict[str, Entry]] = field(default_factory=dict)
    _points: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    _point_munis: list[Municipality] = field(default_factory=list)
    _halls: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    _hall_munis: list[Municipality] = field(default_factory=list)

    @classmethod
    def load_default(cls, data_dir: Path = DATA_DIR) -> Gazetteer:
        """Build the gazetteer from the CSV files shipped with the package."""
        munis: dict[str, Municipality] = {}
        with (data_dir / "municipalities.csv").open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                m = Municipality(
                    r["name"], r["code"], r["lgcode"], r["prefecture"], r["kana"],
                    float(r["lat"]), float(r["lon"]),
                )  # fmt: skip
                # Same-named municipalities exist (府中市); Kanagawa wins, else the first.
                if m.name not in munis or m.prefecture == "神奈川県":
                    munis[m.name] = m
                munis[m.prefecture + m.name] = m
        gaz = cls(municipalities=munis)
        gaz._load_points(data_dir)
        gaz.surface, gaz.kana, gaz.romaji, gaz.towns_by_muni = build_index(gaz, data_dir)
        gaz.station_kana = [k for k in gaz.kana if k.endswith("えき")]
        gaz.names_by_length = kanagawa_names_by_length(gaz)
        return gaz

    def _load_points(self, data_dir: Path) -> None:
        pts: list[tuple[float, float]] = []
        with (data_dir / "towns_kanagawa.csv").open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                pts.append((float(r["lat"]), float(r["lon"])))
                self._point_munis.append(self.municipalities[r["municipality"]])
        self._points = np.array(pts)
        parents = {n.split("市")[0] + "市" for n in self.municipalities if n.endswith("区")}
        halls = [m for key, m in self.municipalities.items() if key == m.prefecture + m.name and m.name not in parents]
        self._hall_munis = halls
        self._halls = np.array([(m.lat, m.lon) for m in halls])

    def municipality(self, name: str) -> Municipality | None:
        """Look a municipality up by its full name (藤沢市, 横浜市港北区, 神奈川県藤沢市)."""
        return self.municipalities.get(name)

    def reverse_municipality(self, lat: float, lon: float) -> Municipality | None:
        """The municipality a point falls in: nearest 町丁目 point, else nearest town hall."""
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        for points, munis, radius in (
            (self._points, self._point_munis, _TOWN_RADIUS_KM),
            (self._halls, self._hall_munis, _HALL_RADIUS_KM),
        ):
            if not len(points):
                continue
            dlat = (points[:, 0] - lat) * 111.0
            dlon = (points[:, 1] - lon) * 111.0 * math.cos(math.radians(lat))
            dist = np.hypot(dlat, dlon)
            best = int(np.argmin(dist))
            if dist[best] <= radius:
                return munis[best]
        return None

    def sizes(self) -> dict[str, int]:
        """Counts per index, for reports and sanity tests."""
        kinds: dict[str, int] = defaultdict(int)
        for entries in self.surface.values():
            for e in entries:
                kinds[e.kind] += 1
        return {
            "municipalities": sum(1 for k, m in self.municipalities.items() if k == m.name),
            "surface_keys": len(self.surface),
            "kana_keys": len(self.kana),
            "romaji_keys": len(self.romaji),
            "town_points": len(self._points),
            **{f"entries_{k}": v for k, v in sorted(kinds.items())},
        }
