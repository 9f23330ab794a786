"""What the dialogue needs from the rest of the system, as small typed interfaces.

``bot/`` wires real implementations (reports_api, evacuation, nlp) into these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from nlp import NluResult

__all__ = [
    "Place",
    "ReportDraft",
    "SafetyRecord",
    "SavedReportRef",
    "Services",
    "ShelterAnswer",
]


@dataclass(frozen=True)
class Place:
    lat: float | None = None
    lon: float | None = None
    text: str = ""
    source: str = "none"  # line_location / text / none
    municipality: str | None = None
    municipality_code: str | None = None


@dataclass(frozen=True)
class ReportDraft:
    event_id: str
    user_id: str
    text: str
    categories: tuple[str, ...]
    urgent: bool
    place: Place
    photos: tuple[str, ...]
    reported_at_ms: int


@dataclass(frozen=True)
class SafetyRecord:
    """A resident's answer to a safety check (安否確認)."""

    event_id: str
    user_id: str
    answer: str  # safe / evacuated / need_help / family_unreachable
    campaign_id: str | None
    text: str
    answered_at_ms: int


@dataclass(frozen=True)
class SavedReportRef:
    number: str


@dataclass(frozen=True)
class ShelterAnswer:
    """Nearest sites, or the reason there are none (``outside``, ``no_data``, ``none``)."""

    cards: tuple[object, ...]  # dialogue.messages.ShelterCard
    data_date: str
    problem: str | None = None
    municipality: str | None = None


class Understand(Protocol):
    def __call__(self, text: str) -> NluResult: ...


class SaveReport(Protocol):
    def __call__(self, draft: ReportDraft) -> SavedReportRef: ...


class FindShelters(Protocol):
    def __call__(
        self, lat: float, lon: float, hazard: str | None, language: str, *, slow_walker: bool = False
    ) -> ShelterAnswer: ...


class RecordSafety(Protocol):
    def __call__(self, record: SafetyRecord) -> None: ...


class StorePhoto(Protocol):
    def __call__(self, message_id: str) -> bool: ...


class Locate(Protocol):
    def __call__(self, lat: float, lon: float) -> Place: ...


@dataclass(frozen=True)
class Services:
    understand: Understand
    save_report: SaveReport
    find_shelters: FindShelters
    locate: Locate
    record_safety: RecordSafety
    #: Downloads and keeps a photo the resident sent; False when it could not be fetched.
    store_photo: StorePhoto
