"""Hazard types for which a 指定緊急避難場所 can be designated."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["HAZARD_COLUMNS", "HAZARD_LABELS_JA", "Hazard", "parse_hazard"]


class Hazard(StrEnum):
    """The eight hazard types of the Disaster Countermeasures Basic Act (災害対策基本法)."""

    FLOOD = "flood"
    LANDSLIDE = "landslide"
    STORM_SURGE = "storm_surge"
    EARTHQUAKE = "earthquake"
    TSUNAMI = "tsunami"
    LARGE_FIRE = "large_fire"
    INLAND_FLOOD = "inland_flood"
    VOLCANO = "volcano"


HAZARD_LABELS_JA: dict[Hazard, str] = {
    Hazard.FLOOD: "洪水",
    Hazard.LANDSLIDE: "崖崩れ・土石流・地滑り",
    Hazard.STORM_SURGE: "高潮",
    Hazard.EARTHQUAKE: "地震",
    Hazard.TSUNAMI: "津波",
    Hazard.LARGE_FIRE: "大規模な火事",
    Hazard.INLAND_FLOOD: "内水氾濫",
    Hazard.VOLCANO: "火山現象",
}

# Column names in GSI's nationwide 指定緊急避難場所 CSV.
HAZARD_COLUMNS: dict[Hazard, str] = {
    Hazard.FLOOD: "洪水",
    Hazard.LANDSLIDE: "崖崩れ、土石流及び地滑り",
    Hazard.STORM_SURGE: "高潮",
    Hazard.EARTHQUAKE: "地震",
    Hazard.TSUNAMI: "津波",
    Hazard.LARGE_FIRE: "大規模な火事",
    Hazard.INLAND_FLOOD: "内水氾濫",
    Hazard.VOLCANO: "火山現象",
}


def parse_hazard(name: str) -> Hazard:
    """Return the hazard named ``name`` (English value, case-insensitive, or Japanese label).

    Raises ``ValueError`` listing the valid names when ``name`` is unknown.
    """
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    for hazard in Hazard:
        if key == hazard.value or name.strip() in (
            HAZARD_LABELS_JA[hazard],
            HAZARD_COLUMNS[hazard],
        ):
            return hazard
    valid = ", ".join(h.value for h in Hazard)
    raise ValueError(f"unknown hazard {name!r}; valid hazards: {valid}")
