"""Reading imported sites back from the database: the index, the data date, ID checks.

When nothing was imported, the packaged Kanagawa snapshot is the data (``ShelterIndex.load_default``).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from evacuation.hazards import Hazard
from evacuation.index import ShelterIndex
from evacuation.site import Site
from evacuation.tables import ShelterImport, ShelterSite

__all__ = ["data_version", "imported_data_date", "load_index", "site_exists", "site_from_row", "site_to_row"]

SITES = cast(sa.Table, ShelterSite.__table__)
IMPORTS = cast(sa.Table, ShelterImport.__table__)
CONTENT_COLUMNS = (
    "name", "address", "prefecture", "municipality", "municipality_code", "ward", "lat", "lon",
    "hazards", "is_shelter", "shelter_id", "shelter_for", "note",
)  # fmt: skip


def site_to_row(site: Site) -> dict[str, Any]:
    """The content columns of ``site`` (plus ``id``), as stored."""
    return {
        "id": site.id,
        "name": site.name,
        "address": site.address,
        "prefecture": site.prefecture,
        "municipality": site.municipality,
        "municipality_code": site.municipality_code,
        "ward": site.ward,
        "lat": site.lat,
        "lon": site.lon,
        "hazards": [h.value for h in Hazard if h in site.hazards],
        "is_shelter": site.is_shelter,
        "shelter_id": site.shelter_id,
        "shelter_for": site.shelter_for,
        "note": site.note,
    }


def site_from_row(row: Any) -> Site:
    return Site(
        id=row.id,
        name=row.name,
        address=row.address,
        prefecture=row.prefecture,
        municipality=row.municipality,
        lat=row.lat,
        lon=row.lon,
        hazards=frozenset(Hazard(h) for h in row.hazards),
        is_shelter=bool(row.is_shelter),
        municipality_code=row.municipality_code,
        ward=row.ward,
        shelter_id=row.shelter_id,
        shelter_for=row.shelter_for,
        note=row.note,
    )


def data_version(engine: Engine) -> int:
    """Changes whenever an import is applied (0 when nothing was ever imported)."""
    with engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.coalesce(sa.func.max(IMPORTS.c.id), 0))) or 0)


def imported_data_date(engine: Engine) -> date | None:
    """The oldest data date among the imports that current sites come from (None: nothing imported)."""
    live = sa.select(SITES.c.import_id).where(SITES.c.removed_at.is_(None)).distinct()
    query = sa.select(sa.func.min(IMPORTS.c.data_date)).where(IMPORTS.c.id.in_(live.scalar_subquery()))
    with engine.connect() as conn:
        found: date | None = conn.scalar(query)
    return found


def load_index(engine: Engine) -> ShelterIndex | None:
    """An index of the imported sites that were not removed, or None when none were imported."""
    data_date = imported_data_date(engine)
    if data_date is None:
        return None
    columns = [SITES.c.id, *(SITES.c[name] for name in CONTENT_COLUMNS)]
    query = sa.select(*columns).where(SITES.c.removed_at.is_(None)).order_by(SITES.c.id)
    with engine.connect() as conn:
        sites = [site_from_row(row) for row in conn.execute(query)]
    return ShelterIndex(sites, data_date)


def site_exists(engine: Engine, site_id: str) -> bool:
    """Whether ``site_id`` is a current site's 共通ID or its linked 指定避難所's.

    The imported sites when there are any, else the packaged snapshot.
    """
    active = SITES.c.removed_at.is_(None)
    with engine.connect() as conn:
        if conn.scalar(sa.select(SITES.c.id).where(active).limit(1)) is None:
            return site_id in _packaged_ids()
        match = sa.or_(SITES.c.id == site_id, SITES.c.shelter_id == site_id)
        return conn.scalar(sa.select(SITES.c.id).where(active, match).limit(1)) is not None


@lru_cache(maxsize=1)
def _packaged_ids() -> frozenset[str]:
    sites = ShelterIndex.load_default().sites
    return frozenset(s.id for s in sites) | frozenset(s.shelter_id for s in sites if s.shelter_id)
