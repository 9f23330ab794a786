"""The dialogue engine: applies one event to one conversation using the declared table.

Cross-cutting rules come first (urgent guidance, cancel, help), then the route
the current state declares for the event's kind. The engine is pure apart from
the injected services; storing the state is the caller's job.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

from dialogue.events import EventKind, Incoming
from dialogue.flow import State, Turn, UndeclaredTransition
from dialogue.flows import TABLE
from dialogue.flows.common import fallback, show_menu
from dialogue.flows.helpers import menu_replies, postback
from dialogue.messages import Out
from dialogue.ports import Services
from dialogue.prompts import load_prompts
from dialogue.store import Conversation

__all__ = ["DialogueEngine", "Outcome"]

log = logging.getLogger(__name__)

CANCEL_WORDS = frozenset({"やめる", "やめます", "キャンセル", "中止", "取り消し", "cancel", "stop"})
HELP_WORDS = frozenset({"ヘルプ", "メニュー", "help", "menu", "たすけ"})


@dataclass(frozen=True)
class Outcome:
    conversation: Conversation | None  # None: forget the conversation
    messages: tuple[Out, ...]


def _norm(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower().rstrip("。.!！")


class DialogueEngine:
    def __init__(self, services: Services, prompts_dir: str | None = None):
        self.services = services
        self.prompts_dir = prompts_dir

    def handle(self, event: Incoming, conv: Conversation) -> Outcome:
        turn = Turn(event, conv, self.services, load_prompts(conv.language, self.prompts_dir))
        state = State(conv.state) if conv.state in State._value2member_map_ else State.IDLE
        conv.state = self._step(turn, state).value
        return Outcome(None if turn.forget else conv, tuple(turn.messages))

    def _step(self, turn: Turn, state: State) -> State:
        event = turn.event
        words = _norm(event.text)
        action = postback(turn).get("a")
        if event.kind is EventKind.TEXT and event.text and turn.nlu().urgent:
            turn.say(turn.p.t("urgent"))  # guidance before any question
            if state is not State.IDLE and state.value.startswith("report."):
                turn.slots["urgent"] = True
        if words in CANCEL_WORDS or action == "cancel":
            turn.conv.slots = {}
            key = "cancelled" if state is not State.IDLE else "nothing_to_cancel"
            turn.say(turn.p.t(key), *menu_replies(turn))
            return State.IDLE
        if words in HELP_WORDS or action == "help":
            return show_menu(turn) if state is State.IDLE else self._reprompt(turn, state)
        if event.kind in (EventKind.FOLLOW, EventKind.UNFOLLOW):
            state = State.IDLE  # (un)following ends whatever was in progress
        spec = TABLE[state]
        found = spec.route_for(event.kind)
        if found is None:
            return fallback(turn) if state is State.IDLE else self._reprompt(turn, state)
        nxt = found.handler(turn)
        if nxt not in found.next:
            raise UndeclaredTransition(f"{found.handler.__name__} returned {nxt} from {state}")
        return nxt

    def _reprompt(self, turn: Turn, state: State) -> State:
        """Input the state cannot use: show the menu hint and ask the same question again."""
        from dialogue.flows.report import ask_next

        if state.value.startswith("report."):
            return ask_next(turn)
        turn.say(turn.p.t(TABLE[state].prompt or "menu"), turn.qr_location(), turn.qr("cancel", "a=cancel"))
        return state
