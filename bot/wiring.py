"""Adapters that plug nlp/, evacuation/ and reports_api/ into the dialogue's ports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dialogue import Place, ReportDraft, SavedReportRef, ShelterAnswer, ShelterCard
from dialogue.prompts import load_prompts
from evacuation import Hazard, OutsideJapanError, ShelterIndex
from nlp import Gazetteer, NluResult, analyze
from reports_api import NewReport, ReportStore, pseudonymise

__all__ = ["ReportSaver", "ShelterFinder", "Understander", "locator"]


@dataclass
class Understander:
    pipeline: Any
    gazetteer: Gazetteer

    def __call__(self, text: str) -> NluResult:
        return analyze(text, self.pipeline, self.gazetteer)


@dataclass
class ReportSaver:
    store: ReportStore
    pseudonym_key: str
    source: str = "line"

    def __call__(self, draft: ReportDraft) -> SavedReportRef:
        place = draft.place
        has_point = place.lat is not None and place.lon is not None
        saved = self.store.save(
            NewReport(
                source_event_id=draft.event_id,
                received_at=datetime.now(UTC),
                reported_at=datetime.fromtimestamp(draft.reported_at_ms / 1000, UTC),
                reporter=pseudonymise(self.pseudonym_key, draft.user_id),
                source=self.source,
                text=draft.text,
                categories=draft.categories,
                urgent=draft.urgent,
                lat=place.lat if has_point else None,
                lon=place.lon if has_point else None,
                location_source=place.source if place.source in ("line_location", "text") else "none",
                place_text=place.text[:200],
                municipality=place.municipality or "",
                municipality_code=place.municipality_code,
                photos=draft.photos,
            )
        )
        return SavedReportRef(number=saved.number)


def locator(gazetteer: Gazetteer) -> Any:
    def locate(lat: float, lon: float) -> Place:
        found = gazetteer.reverse_municipality(lat, lon)
        if found is None:
            return Place(lat=lat, lon=lon, source="line_location")
        return Place(lat=lat, lon=lon, source="line_location", municipality=found.name, municipality_code=found.code)

    return locate


@dataclass
class ShelterFinder:
    """Nearest designated emergency sites (for one hazard, or for any) around a point.

    Honest about coverage: a point in a municipality with no site data for the hazard gets
    "no data", never another city's sites passed off as complete.
    """

    index: ShelterIndex
    gazetteer: Gazetteer
    k: int = 5
    _coverage: dict[Hazard | None, frozenset[str]] = field(default_factory=dict)

    def coverage(self, hazard: Hazard | None) -> frozenset[str]:
        if hazard not in self._coverage:
            self._coverage[hazard] = frozenset(
                s.municipality_full for s in self.index.sites if (hazard in s.hazards if hazard else s.hazards)
            )
        return self._coverage[hazard]

    def __call__(self, lat: float, lon: float, hazard: str | None, language: str) -> ShelterAnswer:
        p = load_prompts(language)
        date = self.index.data_date.isoformat()
        municipality = self.gazetteer.reverse_municipality(lat, lon)
        if municipality is None:
            return ShelterAnswer((), date, problem="outside")
        wanted = Hazard(hazard) if hazard else None
        full = municipality.prefecture + municipality.name
        if not any(full.startswith(m) for m in self.coverage(wanted)):
            return ShelterAnswer((), date, problem="no_data", municipality=municipality.name)
        try:
            # Without a hazard: any emergency site, not a shelter that is only a place to stay.
            skip = None if wanted else (lambda site_id: not self._is_emergency_site(site_id))
            found = self.index.nearest(lat, lon, hazard=wanted, k=self.k, excluded=skip or frozenset())
        except OutsideJapanError:
            return ShelterAnswer((), date, problem="outside")
        cards = tuple(
            ShelterCard(
                name=n.site.name,
                address=n.site.address,
                distance_m=n.distance_m,
                walk_minutes=max(1, round(n.walk_minutes)),
                hazards=tuple(p.t(f"hazard.{h.value}") for h in Hazard if h in n.site.hazards),
                lat=n.site.lat,
                lon=n.site.lon,
            )
            for n in found
        )
        return ShelterAnswer(cards, date, municipality=municipality.name)

    def _is_emergency_site(self, site_id: str) -> bool:
        site = self.index.get(site_id)
        return site is not None and bool(site.hazards)
