"""Link a 指定緊急避難場所 and a 指定避難所 that are the same place.

GSI's 共通ID is ``E`` + the 5-digit municipality code + a 5-digit facility number + a kind
digit (``1`` 指定避難所, ``2`` 指定緊急避難場所) + a 2-digit serial. Records of one facility
share the first 11 characters. In the 2025-10-27 Kanagawa snapshot this key links 2,672
emergency sites to a shelter, all at the same address, and it agrees with the 指定避難所との
住所同一 flag on every row but one. Same address and name is the fallback for IDs that do
not follow the pattern.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from evacuation.site import Site

__all__ = ["facility_key", "link_sites"]

_ID = re.compile(r"^E\d{10}[12]\d{2}$")


def facility_key(common_id: str) -> str | None:
    """The part of a 共通ID shared by the emergency site and shelter of one facility."""
    return common_id[:11] if _ID.match(common_id) else None


def _place_key(site: Site) -> tuple[str, str]:
    def norm(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split())

    return norm(site.address), norm(site.name)


def link_sites(emergency: Sequence[Site], shelters: Sequence[Site]) -> list[Site]:
    """Emergency sites (marked ``is_shelter`` when linked), then the unlinked shelters.

    Several emergency sites (e.g. the buildings of one school) may link to one shelter.
    """
    by_key: dict[str, Site] = {}
    by_place: dict[tuple[str, str], Site] = {}
    for candidate in shelters:
        key = facility_key(candidate.id)
        if key is not None:
            by_key.setdefault(key, candidate)
        by_place.setdefault(_place_key(candidate), candidate)
    linked: set[str] = set()
    out: list[Site] = []
    for site in emergency:
        key = facility_key(site.id)
        shelter: Site | None = by_key.get(key) if key is not None else None
        if shelter is None:
            shelter = by_place.get(_place_key(site))
        if shelter is None:
            out.append(site)
            continue
        linked.add(shelter.id)
        out.append(replace(site, is_shelter=True, shelter_id=shelter.id, shelter_for=shelter.shelter_for))
    out.extend(s for s in shelters if s.id not in linked)
    return out
