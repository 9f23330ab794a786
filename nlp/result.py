"""Typed NLU results: the contract shared with the dialogue, officers' API and evaluators."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Location", "NluResult"]


@dataclass(frozen=True)
class Location:
    """A place mention: ``text == original[start:end]``; coordinates None if not geocodable."""

    text: str
    start: int
    end: int
    kind: str
    municipality: str | None = None
    municipality_code: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def geocoded(self) -> bool:
        return self.lat is not None and self.lon is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NluResult:
    """Everything ``analyze`` extracts from one message."""

    intent: str
    categories: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()
    urgent: bool = False
    hazard_for_shelter: str | None = None
    locations: tuple[Location, ...] = ()
    needs_location: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the field names of the contract (issue 3)."""
        return {
            "intent": self.intent,
            "categories": list(self.categories),
            "negated": list(self.negated),
            "urgent": self.urgent,
            "hazard_for_shelter": self.hazard_for_shelter,
            "locations": [loc.to_dict() for loc in self.locations],
            "needs_location": self.needs_location,
        }
