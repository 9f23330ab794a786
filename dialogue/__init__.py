"""Declared dialogue flows, conversation state and resident-facing prompts."""

from dialogue.engine import DialogueEngine, Outcome
from dialogue.events import ChatType, EventKind, Incoming
from dialogue.messages import Out, QuickReply, QuickReplyKind, ShelterCard, ShelterCarousel, Text
from dialogue.ports import Place, ReportDraft, SavedReportRef, Services, ShelterAnswer
from dialogue.store import Conversation, StateStore

__all__ = [
    "ChatType",
    "Conversation",
    "DialogueEngine",
    "EventKind",
    "Incoming",
    "Out",
    "Outcome",
    "Place",
    "QuickReply",
    "QuickReplyKind",
    "ReportDraft",
    "SavedReportRef",
    "Services",
    "ShelterAnswer",
    "ShelterCard",
    "ShelterCarousel",
    "StateStore",
    "Text",
]
