"""The machinery of declared flows: states, routes, and the per-turn context.

A flow is a table: for each state, the prompt that asks for its input and the
routes (which input kinds a handler accepts, and every state it may lead to).
The engine refuses a transition the table does not declare.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from dialogue.events import EventKind, Incoming
from dialogue.messages import Out, QuickReply, QuickReplyKind, Text
from dialogue.ports import Services
from dialogue.profile import Profile
from dialogue.prompts import Prompts, load_prompts
from dialogue.store import Conversation
from nlp import NluResult

__all__ = ["Flow", "Route", "State", "StateSpec", "Turn", "UndeclaredTransition"]


class State(StrEnum):
    IDLE = "idle"
    REPORT_CATEGORY = "report.category"
    REPORT_PLACE = "report.place"
    REPORT_DETAILS = "report.details"
    REPORT_CONFIRM = "report.confirm"
    SHELTER_PLACE = "shelter.place"
    SAFETY_ASK = "safety.ask"
    SETTINGS_MENU = "settings.menu"
    SETTINGS_AREA = "settings.area"
    SETTINGS_LANGUAGE = "settings.language"
    SETTINGS_NEEDS = "settings.needs"
    SETTINGS_CONSENT = "settings.consent"


class UndeclaredTransition(RuntimeError):
    """A handler returned a state its route does not declare."""


@dataclass
class Turn:
    """One event being handled: the input, the conversation, and what the bot says."""

    event: Incoming
    conv: Conversation
    profile: Profile
    services: Services
    p: Prompts
    messages: list[Out] = field(default_factory=list)
    forget: bool = False  # the conversation and profile are to be deleted (unfollow)
    profile_changed: bool = False
    _nlu: NluResult | None = None

    @property
    def slots(self) -> dict[str, object]:
        return self.conv.slots

    def nlu(self) -> NluResult:
        if self._nlu is None:
            self._nlu = self.services.understand(self.event.text or "")
        return self._nlu

    def say(self, text: str, *quick: QuickReply) -> None:
        self.messages.append(Text(text, tuple(quick)))

    def show(self, message: Out) -> None:
        self.messages.append(message)

    # Quick replies shared by several flows.
    def qr(self, label_key: str, data: str) -> QuickReply:
        return QuickReply(self.p.t(f"label.{label_key}"), QuickReplyKind.POSTBACK, data)

    def qr_location(self) -> QuickReply:
        return QuickReply(self.p.t("label.location"), QuickReplyKind.LOCATION)

    def set_language(self, language: str) -> None:
        """Switch the resident's language; the rest of this turn already speaks it."""
        self.profile.language = language
        self.profile.language_chosen = True
        self.profile_changed = True
        self.p = load_prompts(language, self.p.directory)


Handler = Callable[[Turn], State]


@dataclass(frozen=True)
class Route:
    kinds: frozenset[EventKind]
    handler: Handler
    next: frozenset[State]


@dataclass(frozen=True)
class StateSpec:
    #: The prompt key that asks for this state's input (None for IDLE).
    prompt: str | None
    routes: tuple[Route, ...]
    #: Asks this state's question (again), with its quick replies; None for IDLE.
    ask: Handler | None = None

    def route_for(self, kind: EventKind) -> Route | None:
        return next((r for r in self.routes if kind in r.kinds), None)


@dataclass(frozen=True)
class Flow:
    name: str
    states: Mapping[State, StateSpec]
    #: States entered from outside a conversation (e.g. a safety-check campaign).
    external_entries: tuple[State, ...] = ()


def route(kinds: set[EventKind], handler: Handler, *next_states: State) -> Route:
    return Route(frozenset(kinds), handler, frozenset(next_states))
