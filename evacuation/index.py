"""``ShelterIndex``: the k nearest designated sites for a hazard, from a point."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from evacuation.geo import DEFAULT_WALK_SPEED_M_PER_MIN, check_in_japan, in_japan, walk_minutes
from evacuation.grid import GridLayer
from evacuation.hazards import Hazard
from evacuation.importer import load_sites
from evacuation.site import PREFECTURES, Site

__all__ = ["DEFAULT_DATA_DATE", "DEFAULT_DATA_FILES", "NearbySite", "ShelterIndex"]

DEFAULT_DATA_DATE = date(2025, 10, 27)  # GSI snapshot shipped in evacuation/data/
DEFAULT_DATA_FILES = ("kanagawa_shitei_kinkyu_hinan_basho.csv", "kanagawa_shitei_hinanjo.csv")
DEFAULT_CELL_DEG = 0.1  # fastest of 0.02/0.05/0.1/0.2 on the nationwide data
Excluded = Callable[[str], bool] | frozenset[str]


@dataclass(frozen=True, slots=True)
class NearbySite:
    """A site with its great-circle distance and a straight-line walking estimate."""

    site: Site
    distance_m: float
    walk_minutes: float


class ShelterIndex:
    """Designated sites searchable by hazard and distance. Immutable once built."""

    def __init__(self, sites: Iterable[Site], data_date: date, cell_deg: float = DEFAULT_CELL_DEG):
        self.sites: tuple[Site, ...] = tuple(sites)
        self.data_date = data_date
        for site in self.sites:
            if not in_japan(site.lat, site.lon):
                raise ValueError(f"site {site.id} has coordinates outside Japan")
        self._by_id = {site.id: i for i, site in enumerate(self.sites)}
        self._ids = [site.id for site in self.sites]
        self._by_shelter: dict[str, list[int]] = {}
        for i, site in enumerate(self.sites):
            if site.shelter_id and site.shelter_id != site.id:
                self._by_shelter.setdefault(site.shelter_id, []).append(i)
        lat = np.array([s.lat for s in self.sites], dtype=np.float64)
        lon = np.array([s.lon for s in self.sites], dtype=np.float64)
        everything = np.arange(len(self.sites), dtype=np.int64)
        self._layers: dict[Hazard | None, GridLayer] = {None: GridLayer(everything, lat, lon, cell_deg)}
        for hazard in Hazard:
            mask = np.array([hazard in s.hazards for s in self.sites], dtype=bool)
            self._layers[hazard] = GridLayer(everything[mask], lat[mask], lon[mask], cell_deg)

    @classmethod
    def from_files(cls, paths: Iterable[str | Path], data_date: date) -> ShelterIndex:
        """An index of the sites in GSI CSVs (bad rows are skipped; see ``load_sites``)."""
        return cls(load_sites(paths).sites, data_date)

    @classmethod
    def load_default(cls) -> ShelterIndex:
        """The packaged Kanagawa snapshot (parsed once per process, then shared)."""
        return _default_index()

    def __len__(self) -> int:
        return len(self.sites)

    def get(self, site_id: str) -> Site | None:
        """The site with this 共通ID, if any."""
        i = self._by_id.get(site_id)
        return None if i is None else self.sites[i]

    def linked_to_shelter(self, shelter_id: str) -> list[Site]:
        """Emergency sites linked to the 指定避難所 with this 共通ID (e.g. a school's buildings)."""
        return [self.sites[i] for i in self._by_shelter.get(shelter_id, ())]

    @property
    def nbytes(self) -> int:
        """Bytes held by the numpy arrays of all layers."""
        return sum(layer.nbytes for layer in self._layers.values())

    def municipalities_with_data(self, hazard: Hazard | None = None) -> frozenset[str]:
        """Full municipality names (神奈川県横浜市) with at least one site (for ``hazard``).

        A municipality missing here has no designated-site data in this snapshot: say so
        rather than offering another city's sites as if they were complete.
        """
        return frozenset(s.municipality_full for s in self.sites if hazard is None or hazard in s.hazards)

    def has_data(self, municipality: str, hazard: Hazard | None = None) -> bool:
        """Whether ``municipality`` (鎌倉市 or 神奈川県鎌倉市) has sites (for ``hazard``).

        A bare name matches any prefecture's municipality of that name (府中市 is in two).
        """
        name = municipality.strip()
        return any(
            full == name or (full.endswith(name) and full[: -len(name)] in PREFECTURES)
            for full in self.municipalities_with_data(hazard)
        )

    def nearest(
        self,
        lat: float,
        lon: float,
        hazard: Hazard | None = None,
        k: int = 5,
        max_distance_m: float | None = None,
        excluded: Excluded = frozenset(),
        walk_speed_m_per_min: float = DEFAULT_WALK_SPEED_M_PER_MIN,
    ) -> list[NearbySite]:
        """The ``k`` nearest sites designated for ``hazard`` (any site when None), nearest first.

        ``excluded`` holds (or tells) the ids of sites to skip, e.g. closed or full ones.
        Raises ``OutsideJapanError`` for NaN or out-of-Japan points, ``ValueError`` for
        ``k <= 0``, a negative radius or a non-positive walking speed. A huge ``k`` is clamped.
        """
        check_in_japan(lat, lon)
        if k <= 0:
            raise ValueError(f"k must be at least 1, got {k}")
        if max_distance_m is not None and not max_distance_m >= 0:
            raise ValueError(f"max_distance_m must be >= 0, got {max_distance_m}")
        if not walk_speed_m_per_min > 0 or not math.isfinite(walk_speed_m_per_min):
            raise ValueError(f"walk_speed_m_per_min must be positive, got {walk_speed_m_per_min}")
        layer = self._layers[hazard]
        k = min(k, len(layer))
        if k == 0:
            return []
        idx, dist = layer.nearest(lat, lon, k, max_distance_m, self._keep(excluded))
        return [
            NearbySite(self.sites[i], d, walk_minutes(d, walk_speed_m_per_min))
            for i, d in zip(idx.tolist(), dist.tolist(), strict=True)
        ]

    def _keep(self, excluded: Excluded) -> Callable[[npt.NDArray[np.int64]], npt.NDArray[np.bool_]] | None:
        if isinstance(excluded, frozenset | set):
            if not excluded:
                return None
            skip: Callable[[str], bool] = excluded.__contains__
        else:
            skip = excluded
        ids = self._ids
        return lambda idx: np.fromiter((not skip(ids[i]) for i in idx.tolist()), bool, len(idx))


@lru_cache(maxsize=1)
def _default_index() -> ShelterIndex:
    data = resources.files("evacuation") / "data"
    with resources.as_file(data) as folder:
        paths = [Path(folder) / name for name in DEFAULT_DATA_FILES]
        return ShelterIndex(load_sites(paths).sites, DEFAULT_DATA_DATE)
