"""How the NLU's category codes map onto CAP 1.2 and Smart Data Models Alert vocabularies."""

from __future__ import annotations

__all__ = ["cap_category", "sdm_category"]

# NLU code -> (CAP <category>, SDM Alert (category, subCategory))
_MAP: dict[str, tuple[str, tuple[str, str]]] = {
    "flood": ("Met", ("naturalDisaster", "flood")),
    "landslide": ("Geo", ("naturalDisaster", "landslide")),
    "earthquake": ("Geo", ("naturalDisaster", "earthquake")),
    "tsunami": ("Geo", ("naturalDisaster", "tsunami")),
    "fire": ("Fire", ("naturalDisaster", "forestFire")),
    "injury": ("Health", ("health", "injury")),
    "trapped": ("Rescue", ("security", "trapped")),
    "road": ("Transport", ("traffic", "roadClosed")),
    "outage": ("Infra", ("environment", "outage")),
}


def cap_category(code: str) -> str:
    """CAP 1.2 <category> for an NLU code; "Other" when there is no better one."""
    return _MAP.get(code, ("Other", ("", "")))[0]


def sdm_category(code: str) -> tuple[str, str]:
    """Smart Data Models Alert (category, subCategory) for an NLU code."""
    return _MAP.get(code, ("Other", ("naturalDisaster", code or "other")))[1]
