"""Neutral outgoing messages, rendered to LINE objects at the edge (``bot/render.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Out", "QuickReply", "QuickReplyKind", "ShelterCard", "ShelterCarousel", "Text"]


class QuickReplyKind(StrEnum):
    MESSAGE = "message"  # tapping sends ``value`` as the resident's text
    POSTBACK = "postback"  # tapping sends ``value`` as postback data (label shown as text)
    LOCATION = "location"  # opens LINE's location picker


@dataclass(frozen=True)
class QuickReply:
    label: str
    kind: QuickReplyKind = QuickReplyKind.MESSAGE
    value: str = ""


@dataclass(frozen=True)
class Text:
    text: str
    quick_replies: tuple[QuickReply, ...] = ()


@dataclass(frozen=True)
class ShelterCard:
    name: str
    address: str
    distance_m: float
    walk_minutes: int
    hazards: tuple[str, ...]  # display labels of the hazards the site is designated for
    lat: float
    lon: float
    status: str | None = None  # display label (開設中, 満員...) or None when unknown
    status_code: str | None = None  # open / available / crowded / full / closed (for colours), None: unknown
    note: str = ""  # the municipality's remark (備考), e.g. "洪水、高潮は２階以上が対象"


@dataclass(frozen=True)
class ShelterCarousel:
    cards: tuple[ShelterCard, ...]
    alt_text: str  # a heading for the text version; the list and footer are added when rendered
    footer: str = ""  # data date and "follow your municipality's instructions"
    quick_replies: tuple[QuickReply, ...] = field(default=())


Out = Text | ShelterCarousel
