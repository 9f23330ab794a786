"""Adapters that plug nlp/, evacuation/ and reports_api/ into the dialogue's ports."""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from bot.outbound import DeliveryFailed
from dialogue import Place, ReportDraft, SavedReportRef, ShelterAnswer, ShelterCard
from dialogue.ports import SafetyRecord
from dialogue.prompts import Prompts, load_prompts
from evacuation import DEFAULT_WALK_SPEED_M_PER_MIN, SLOW_WALK_SPEED_M_PER_MIN, Hazard, OutsideJapanError, ShelterIndex
from evacuation.geo import in_japan
from evacuation.index import Excluded, NearbySite
from evacuation.live import LiveShelters, status_of
from evacuation.status import StatusRecord
from nlp import Gazetteer, NluResult, analyze
from reports_api import NewReport, ReportStore, pseudonymise
from reports_api.photos import PhotoStore
from reports_api.safety import SafetyAnswerStore

__all__ = ["PhotoKeeper", "ReportSaver", "SafetyRecorder", "ShelterFinder", "Understander", "locator", "status_label"]

log = logging.getLogger(__name__)
JST = timezone(timedelta(hours=9))


@dataclass
class Understander:
    """The NLU for the dialogue. The GiNZA tokenizer is not thread-safe ("Already borrowed"
    when two threads use it at once), so calls are serialised per process."""

    pipeline: Any
    gazetteer: Gazetteer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, text: str) -> NluResult:
        with self.lock:
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

    Honest about coverage: a point in a municipality with no emergency-site data gets "no
    data", one whose municipality designates no site for the hazard gets an empty list ("none
    for this hazard") — never another city's sites passed off as complete. Sites an officer marked
    closed or full are skipped; the others carry their status. A point with no site within
    ``far_m`` (at sea, say) gets ``problem="far"``.
    """

    shelters: LiveShelters
    gazetteer: Gazetteer
    k: int = 5
    far_m: float = 10_000.0
    max_distance_m: float | None = None
    walk_speed_m_per_min: float = DEFAULT_WALK_SPEED_M_PER_MIN
    slow_walk_speed_m_per_min: float = SLOW_WALK_SPEED_M_PER_MIN
    _coverage: tuple[ShelterIndex | None, dict[Hazard | None, frozenset[str]]] = field(
        default_factory=lambda: (None, {})
    )

    def coverage(self, index: ShelterIndex, hazard: Hazard | None) -> frozenset[str]:
        """Municipalities (神奈川県横浜市) with sites for ``hazard`` (any emergency site when None)."""
        if self._coverage[0] is not index:
            self._coverage = (index, {})
        cache = self._coverage[1]
        if hazard not in cache:
            cache[hazard] = frozenset(
                s.municipality_full for s in index.sites if (hazard in s.hazards if hazard else s.hazards)
            )
        return cache[hazard]

    def __call__(
        self,
        lat: float,
        lon: float,
        hazard: str | None,
        language: str,
        *,
        slow_walker: bool = False,
        max_distance_m: float | None = None,
    ) -> ShelterAnswer:
        snap = self.shelters.snapshot()
        index, statuses, skip = snap.index, snap.statuses, snap.turned_away
        date = index.data_date.isoformat()
        if not in_japan(lat, lon):
            return ShelterAnswer((), date, problem="outside")
        wanted = Hazard(hazard) if hazard else None
        municipality = self.gazetteer.reverse_municipality(lat, lon)
        name = municipality.name if municipality else None
        if municipality is not None:
            full = municipality.prefecture + municipality.name
            if not any(full.startswith(m) for m in self.coverage(index, None)):
                return ShelterAnswer((), date, problem="no_data", municipality=name)
            if wanted and not any(full.startswith(m) for m in self.coverage(index, wanted)):
                # The city has data but designates no site for this hazard (no 高潮 sites in
                # 藤沢市): "none for this hazard", not "no data", and not another city's sites.
                return ShelterAnswer((), date, municipality=name)
        # Without a hazard: any emergency site, not a shelter that is only a place to stay.
        excluded: Excluded = skip if wanted else (lambda i: i in skip or not self._is_emergency_site(index, i))
        asked = max_distance_m if max_distance_m is not None else self.max_distance_m
        radius = self.far_m if asked is None else min(asked, self.far_m)
        speed = self.slow_walk_speed_m_per_min if slow_walker else self.walk_speed_m_per_min
        try:
            found = index.nearest(lat, lon, wanted, self.k, radius, excluded, speed)
            if not found and (municipality is None or not index.nearest(lat, lon, wanted, 1, self.far_m, excluded)):
                return ShelterAnswer((), date, problem="far", municipality=name)
        except OutsideJapanError:
            return ShelterAnswer((), date, problem="outside")
        p = load_prompts(language)
        cards = tuple(self._card(n, status_of(n.site, statuses), p) for n in found)
        return ShelterAnswer(cards, date, municipality=name or (found[0].site.municipality if found else None))

    def _card(self, n: NearbySite, record: StatusRecord | None, p: Prompts) -> ShelterCard:
        code = None if record is None else (record.crowding or record.status)
        return ShelterCard(
            name=n.site.name,
            address=n.site.address,
            distance_m=n.distance_m,
            walk_minutes=max(1, math.ceil(n.walk_minutes)),
            hazards=tuple(p.t(f"hazard.{h.value}") for h in Hazard if h in n.site.hazards),
            lat=n.site.lat,
            lon=n.site.lon,
            status=None if record is None else status_label(record, p),
            status_code=code,
            note=n.site.note,
        )

    @staticmethod
    def _is_emergency_site(index: ShelterIndex, site_id: str) -> bool:
        site = index.get(site_id)
        return site is not None and bool(site.hazards)


def status_label(record: StatusRecord, p: Prompts) -> str:
    """開設中・混雑（避難者120人・14:05更新）: the status, head count and time in Japan."""
    label = p.t(f"shelter_status.{record.crowding or record.status}")
    extra = []
    if record.head_count is not None:
        extra.append(p.t("shelter_status.head_count", count=record.head_count))
    extra.append(p.t("shelter_status.updated", time=record.at.astimezone(JST).strftime("%m/%d %H:%M")))
    return p.t("shelter_status.with_details", status=label, details=p.t("shelter_status.separator").join(extra))


@dataclass
class SafetyRecorder:
    """Stores safety-check answers under the resident's pseudonym."""

    store: SafetyAnswerStore
    pseudonym_key: str

    def __call__(self, record: SafetyRecord) -> None:
        self.store.record(
            source_event_id=record.event_id,
            respondent=pseudonymise(self.pseudonym_key, record.user_id),
            answer=record.answer,
            answered_at=datetime.fromtimestamp(record.answered_at_ms / 1000, UTC),
            campaign_id=record.campaign_id,
            text=record.text,
        )


@dataclass
class PhotoKeeper:
    """Downloads a resident's photo from LINE (content API) and stores it with the reports."""

    store: PhotoStore
    download: Callable[[str], bytes]

    def __call__(self, message_id: str) -> bool:
        try:
            data = self.download(message_id)
            self.store.save(message_id, data, _image_type(data))
        except (DeliveryFailed, ValueError) as exc:
            log.warning("photo not kept: %s", exc.__class__.__name__)
            return False
        return True


def _image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:3] == b"GIF":
        return "image/gif"
    return "image/jpeg"
