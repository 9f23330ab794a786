"""The sites and statuses a search should use right now.

The index comes from the database when sites were imported there (rebuilt after each new
import), else from the packaged snapshot. An officer's "closed" or "full" must take effect
for the very next resident: every search asks the database one small question (latest import,
number and newest id of status rows) and re-reads the statuses only when the answer changed.
The status table is append-only, so any committed change alters the row count.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from evacuation.index import ShelterIndex
from evacuation.site import Site
from evacuation.status import EVENTS, StatusRecord, current_statuses
from evacuation.store import IMPORTS, data_version, load_index

__all__ = ["LiveShelters", "Snapshot", "status_of"]


@dataclass(frozen=True)
class Snapshot:
    """What one search uses: the index, every current status, and the sites to skip."""

    index: ShelterIndex
    statuses: Mapping[str, StatusRecord]
    turned_away: frozenset[str]


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
        self._snapshot: tuple[tuple[int, int, int], Snapshot] | None = None

    def snapshot(self) -> Snapshot:
        """The current index and statuses (one cheap query when nothing changed)."""
        if self.engine is None:
            return Snapshot(self._fallback(), {}, frozenset())
        version = self._versions(self.engine)
        cached = self._snapshot
        if cached is not None and cached[0] == version:
            return cached[1]
        with self._lock:
            if self._snapshot is not None and self._snapshot[0] == version:
                return self._snapshot[1]
            index = self._index_for(version[0])
            # Read after the version: a change committed in between is caught by the next search.
            statuses = current_statuses(self.engine)
            snap = Snapshot(index, statuses, self.turned_away(index, statuses))
            self._snapshot = (version, snap)
            return snap

    @staticmethod
    def _versions(engine: Engine) -> tuple[int, int, int]:
        query = sa.select(
            sa.select(sa.func.coalesce(sa.func.max(IMPORTS.c.id), 0)).scalar_subquery(),
            sa.select(sa.func.count()).select_from(EVENTS).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.max(EVENTS.c.id), 0)).scalar_subquery(),
        )
        with engine.connect() as conn:
            row = conn.execute(query).one()
        return int(row[0]), int(row[1]), int(row[2])

    def _index_for(self, version: int) -> ShelterIndex:
        assert self.engine is not None
        if self._index is None or version != self._version:
            self._index = load_index(self.engine) or self._fallback()
            self._version = version
        return self._index

    def index(self) -> ShelterIndex:
        """The index of the newest import (one cheap query to notice a new one)."""
        if self.engine is None:
            return self._fallback()
        version = data_version(self.engine)
        if self._index is None or version != self._version:
            with self._lock:  # one thread rebuilds; the others wait for its result
                return self._index_for(version)
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
