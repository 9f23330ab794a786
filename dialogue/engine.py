"""The dialogue engine: applies one event to one conversation using the declared table.

Cross-cutting rules come first — a typed button label counts as the tap, urgent guidance
(119/110) before anything else, cancel, restart, help, settings, and a shelter question in
the middle of a report (answered, then the report is offered again) — then the route the
current state declares for the event's kind. The engine is pure apart from the injected
services; storing state and profile is the caller's job.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass

from dialogue.events import EventKind, Incoming
from dialogue.flow import State, Turn, UndeclaredTransition
from dialogue.flows import TABLE
from dialogue.flows.common import fallback, show_menu
from dialogue.flows.helpers import menu_replies, place_from_nlu, postback
from dialogue.flows.safety import ANSWERS, record_answer, typed_answer
from dialogue.flows.settings import ask_menu
from dialogue.flows.shelter import start_shelter
from dialogue.messages import Out, QuickReplyKind
from dialogue.ports import Services
from dialogue.profile import Profile
from dialogue.prompts import load_prompts
from dialogue.store import Conversation

__all__ = ["DialogueEngine", "Outcome", "normalise_words"]

CANCEL_WORDS = frozenset({"やめる", "やめます", "キャンセル", "中止", "取り消し", "cancel", "stop"})
HELP_WORDS = frozenset({"ヘルプ", "メニュー", "help", "menu", "つかいかた", "使い方"})
RESTART_WORDS = frozenset({"最初から", "はじめから", "リセット", "restart", "reset", "start over"})
SETTINGS_WORDS = frozenset({"設定", "せってい", "settings", "setting"})
REPORT_STATES = frozenset({State.REPORT_CATEGORY, State.REPORT_PLACE, State.REPORT_DETAILS, State.REPORT_CONFIRM})


@dataclass(frozen=True)
class Outcome:
    conversation: Conversation | None  # None: forget the conversation
    messages: tuple[Out, ...]
    profile: Profile | None  # the profile to store, when it changed
    forget_profile: bool = False


def normalise_words(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower().rstrip("。.!！")


class DialogueEngine:
    def __init__(self, services: Services, prompts_dir: str | None = None):
        self.services = services
        self.prompts_dir = prompts_dir

    def handle(self, event: Incoming, conv: Conversation, profile: Profile) -> Outcome:
        turn = Turn(
            self._typed_tap(event, conv), conv, profile, self.services, load_prompts(profile.language, self.prompts_dir)
        )
        state = State(conv.state) if conv.state in State._value2member_map_ else State.IDLE
        misses = conv.misses
        nxt = self._step(turn, state)
        if conv.misses <= misses:  # understood: the next miss starts counting again
            conv.misses = 0
        if nxt is State.IDLE and conv.suspended and not turn.forget:
            turn.say(turn.p.t("resume_offer"), turn.qr("resume", "a=resume"), turn.qr("cancel", "a=cancel"))
        conv.state = nxt.value
        conv.offered = self._offered(turn)
        return Outcome(
            None if turn.forget else conv,
            tuple(turn.messages),
            profile if turn.profile_changed else None,
            forget_profile=turn.forget,
        )

    @staticmethod
    def _typed_tap(event: Incoming, conv: Conversation) -> Incoming:
        """A typed label of a button offered in the last answer is that button's tap."""
        if event.kind is EventKind.TEXT and conv.offered:
            data = conv.offered.get(normalise_words(event.text))
            if data is not None:
                return dataclasses.replace(event, kind=EventKind.POSTBACK, postback_data=data, text=None)
        return event

    @staticmethod
    def _offered(turn: Turn) -> dict[str, str]:
        last = turn.messages[-1] if turn.messages else None
        replies = last.quick_replies if last is not None else ()
        offered: dict[str, str] = {}
        for q in replies:
            if q.kind is QuickReplyKind.POSTBACK:
                # LINE shows at most 20 characters of a label: typing either form counts.
                offered[normalise_words(q.label)] = q.value
                offered[normalise_words(q.label[:20])] = q.value
        return offered

    def _step(self, turn: Turn, state: State) -> State:
        event = turn.event
        words = normalise_words(event.text)
        action = postback(turn).get("a")
        if event.kind in (EventKind.FOLLOW, EventKind.UNFOLLOW):
            turn.conv.suspended = None
            return self._route(turn, State.IDLE)  # (un)following ends whatever was in progress
        if words in HELP_WORDS or action == "help":
            return show_menu(turn) if state is State.IDLE else self._ask(turn, state)
        if event.kind is EventKind.TEXT and event.text and turn.nlu().urgent:
            turn.say(turn.p.t("urgent"))  # guidance before any question
            if state in REPORT_STATES:
                turn.slots["urgent"] = True
        if words in CANCEL_WORDS or action == "cancel":
            busy = state is not State.IDLE or turn.conv.suspended
            turn.conv.slots, turn.conv.suspended = {}, None
            turn.say(turn.p.t("cancelled" if busy else "nothing_to_cancel"), *menu_replies(turn))
            return State.IDLE
        if words in RESTART_WORDS:
            turn.conv.slots, turn.conv.suspended = {}, None
            turn.say(turn.p.t("restarted"))
            return show_menu(turn)
        if action == "resume" and turn.conv.suspended:
            return self._resume(turn)
        answer = postback(turn).get("ans")
        if answer in ANSWERS and state is not State.SAFETY_ASK:  # a safety button tapped from any state
            self._suspend(turn, state)
            return record_answer(turn, answer, postback(turn).get("c"))
        if (
            state is State.SAFETY_ASK
            and event.kind is EventKind.TEXT
            and event.text
            and typed_answer(event.text, turn.nlu().urgent) is None
            and (turn.nlu().intent in ("find_shelter", "report", "ask_info") or turn.nlu().categories)
        ):
            # Not an answer but a question or a report: handle it as usual (an unclear reply
            # gets the safety question again); the campaign's buttons stay valid from any state.
            turn.conv.slots = {}
            return self._route(turn, State.IDLE)
        if words in SETTINGS_WORDS:
            self._suspend(turn, state)
            return ask_menu(turn)
        if state in REPORT_STATES and event.kind is EventKind.TEXT and event.text:
            nlu = turn.nlu()
            if nlu.intent == "find_shelter" and not nlu.categories:
                self._suspend(turn, state)  # answer the question, then offer to resume
                return start_shelter(turn, nlu.hazard_for_shelter, place_from_nlu(nlu))
        return self._route(turn, state)

    def _route(self, turn: Turn, state: State) -> State:
        found = TABLE[state].route_for(turn.event.kind)
        if found is None:
            return fallback(turn) if state is State.IDLE else self._ask(turn, state)
        nxt = found.handler(turn)
        if nxt not in found.next:
            raise UndeclaredTransition(f"{found.handler.__name__} returned {nxt} from {state}")
        return nxt

    @staticmethod
    def _ask(turn: Turn, state: State) -> State:
        """Input the state cannot use: ask the same question again."""
        ask = TABLE[state].ask
        return ask(turn) if ask is not None else show_menu(turn)

    @staticmethod
    def _suspend(turn: Turn, state: State) -> None:
        if state in REPORT_STATES:
            turn.conv.suspended = {"state": state.value, "slots": dict(turn.conv.slots)}
            turn.conv.slots = {}

    def _resume(self, turn: Turn) -> State:
        suspended = turn.conv.suspended or {}
        turn.conv.suspended = None
        turn.conv.slots = dict(suspended.get("slots") or {})
        return self._ask(turn, State(suspended.get("state", State.IDLE.value)))
