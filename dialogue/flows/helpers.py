"""Small pieces shared by the flows: postback data, places, menus."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from dialogue.flow import Turn
from dialogue.ports import Place
from nlp import NluResult

__all__ = ["menu_replies", "place_from_dict", "place_from_nlu", "place_to_dict", "postback"]


def postback(turn: Turn) -> dict[str, str]:
    """Postback data ``a=send&h=tsunami`` as a dict (empty for other events)."""
    data = turn.event.postback_data or ""
    return {k: v[0] for k, v in parse_qs(data, keep_blank_values=True).items()}


#: 「AじゃなくてB」「AではなくB」「not A but B」: what follows the marker is the correction.
CORRECTION = re.compile(r"(じゃなくて|じゃなく|ではなくて|ではなく|でなくて|でなく|ではありません|じゃない|\bnot\b)")


def place_from_nlu(nlu: NluResult, text: str | None = None) -> Place | None:
    """The first usable place (geocoded, else at least a municipality); after a correction
    marker in ``text``, the one that follows it."""
    locations = list(nlu.locations)
    marker = CORRECTION.search(text) if text else None
    if marker is not None:
        locations = [loc for loc in locations if loc.start >= marker.end()] or locations
    for loc in locations:
        if loc.lat is not None and loc.lon is not None:
            return Place(
                lat=loc.lat,
                lon=loc.lon,
                text=loc.text,
                source="text",
                municipality=loc.municipality,
                municipality_code=loc.municipality_code,
            )
    for loc in locations:
        if loc.municipality:
            return Place(
                text=loc.text, source="text", municipality=loc.municipality, municipality_code=loc.municipality_code
            )
    return None


def place_to_dict(place: Place) -> dict[str, Any]:
    return {
        "lat": place.lat,
        "lon": place.lon,
        "text": place.text,
        "source": place.source,
        "municipality": place.municipality,
        "municipality_code": place.municipality_code,
    }


def place_from_dict(data: Any) -> Place | None:
    if not isinstance(data, dict):
        return None
    return Place(
        **{k: data.get(k) for k in ("lat", "lon", "municipality", "municipality_code")},
        text=str(data.get("text") or ""),
        source=str(data.get("source") or "none"),
    )


def menu_replies(turn: Turn) -> list[Any]:
    return [
        turn.qr("report", "a=report"),
        turn.qr("shelter", "a=shelter"),
        turn.qr_location(),
        turn.qr("settings", "a=settings"),
        turn.qr("help", "a=help"),
    ]
