"""The sites and statuses a search should use right now.

The index comes from the database when sites were imported there (rebuilt after each new
import), else from the packaged snapshot. Statuses are read on every search: an officer's
"closed" or "full" must take effect for the very next resident (it costs one small query).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from sqlalchemy.engine import Engine

from evacuation.index import ShelterIndex
from evacuation.site import Site
from evacuation.status import StatusRecord, current_statuses
from evacuation.store import data_version, load_index

__all__ = ["LiveShelters", "status_of"]


def status_of(site: Site, statuses: Mapping[str, StatusRecord]) -> StatusRecord | None:
    """The newest status set on the site or on its linked 指定避難所, if any."""
    found = [r for r in (statuses.get(site.id), statuses.get(site.shelter_id or "")) if r is not None]
    return max(found, key=lambda r: r.at) if found else None


class LiveShelters:
    """Current index and statuses; ``engine=None`` means the packaged data and no statuses."""

    def __init__(self, engine: Engine | None, fallback: Callable[[], ShelterIndex] = ShelterIndex.load_default):
        self.engine = engine
        self._fallback = fallback
        self._lock = threading.Lock()
        self._version = -1
        self._index: ShelterIndex | None = None

    def index(self) -> ShelterIndex:
        """The index of the newest import (one cheap query to notice a new one)."""
        if self.engine is None:
            return self._fallback()
        version = data_version(self.engine)
        if self._index is None or version != self._version:
            with self._lock:  # one thread rebuilds; the others wait for its result
                if self._index is None or version != self._version:
                    self._index = load_index(self.engine) or self._fallback()
                    self._version = version
        return self._index

    def statuses(self) -> dict[str, StatusRecord]:
        """Every site's current status (the table holds only sites officers touched)."""
        return {} if self.engine is None else current_statuses(self.engine)

    def turned_away(self, index: ShelterIndex, statuses: Mapping[str, StatusRecord]) -> frozenset[str]:
        """IDs of the index's sites that are closed or full (directly or via their 避難所)."""
        if not statuses:
            return frozenset()
        out: set[str] = set()
        for site_id in statuses:
            site = index.get(site_id)
            candidates = [site] if site is not None else []
            candidates += index.linked_to_shelter(site_id)
            for candidate in candidates:
                record = status_of(candidate, statuses)
                if record is not None and record.turns_away:
                    out.add(candidate.id)
        return frozenset(out)
