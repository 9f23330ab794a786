"""Evacuation guidance: GSI designated sites, hazard-aware nearest search.

Never imports linebot, flask or redis: rendering lives in ``bot/``. Database storage is in
the submodules ``db_import``, ``store``, ``status`` and ``live`` (import them explicitly;
their tables sit on ``reports_api.models.Base``).
"""

from evacuation.csvfile import GsiFileError, SiteKind
from evacuation.geo import DEFAULT_WALK_SPEED_M_PER_MIN, SLOW_WALK_SPEED_M_PER_MIN, OutsideJapanError, haversine_m
from evacuation.hazards import HAZARD_LABELS_JA, Hazard, parse_hazard
from evacuation.importer import BadRow, ImportResult, load_sites, read_gsi_csv
from evacuation.index import DEFAULT_DATA_DATE, NearbySite, ShelterIndex
from evacuation.linking import link_sites
from evacuation.site import Site

__all__ = [
    "DEFAULT_DATA_DATE",
    "DEFAULT_WALK_SPEED_M_PER_MIN",
    "HAZARD_LABELS_JA",
    "SLOW_WALK_SPEED_M_PER_MIN",
    "BadRow",
    "GsiFileError",
    "Hazard",
    "ImportResult",
    "NearbySite",
    "OutsideJapanError",
    "ShelterIndex",
    "Site",
    "SiteKind",
    "haversine_m",
    "link_sites",
    "load_sites",
    "parse_hazard",
    "read_gsi_csv",
]
