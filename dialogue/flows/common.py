"""The idle state: entry points into every flow, plus follow/unfollow and fallbacks."""

from __future__ import annotations

from dialogue.events import EventKind
from dialogue.flow import Flow, State, StateSpec, Turn, route
from dialogue.flows.helpers import menu_replies, place_from_nlu, postback
from dialogue.flows.report import start_report
from dialogue.flows.safety import ANSWERS, record_answer, typed_answer
from dialogue.flows.settings import ask_area, ask_menu
from dialogue.flows.shelter import answer_shelters, on_hazard_button, start_shelter
from dialogue.ports import Place

__all__ = ["COMMON_FLOW", "fallback", "show_menu"]

#: Buttons that only make sense inside a flow that has since ended (timeout, cancel).
STALE_ACTIONS = frozenset({"send", "fix", "skip", "unknown_place", "resume"})


def show_menu(turn: Turn) -> State:
    turn.say(turn.p.t("menu"), *menu_replies(turn))
    return State.IDLE


def fallback(turn: Turn) -> State:
    """Not understood: a hint first, the menu after two misses in a row."""
    turn.conv.misses += 1
    if turn.conv.misses >= 2:
        turn.conv.misses = 0
        turn.say(turn.p.t("fallback_menu"), *menu_replies(turn))
    else:
        turn.say(turn.p.t("fallback"), *menu_replies(turn))
    return State.IDLE


def on_follow(turn: Turn) -> State:
    """Follow: greet, say what the bot does and that it is not an emergency line; offer to register."""
    turn.conv.slots = {}
    turn.say(turn.p.t("welcome"))
    replies = menu_replies(turn)
    if not turn.profile.home_municipality:
        turn.say(turn.p.t("register_offer"), turn.qr("register", "a=register"), *replies)
    else:
        turn.say(turn.p.t("menu"), *replies)
    return State.IDLE


def on_unfollow(turn: Turn) -> State:
    """Unfollow (blocked): forget the conversation and the registration."""
    turn.forget = True
    return State.IDLE


def on_text(turn: Turn) -> State:
    """Free text in IDLE: decide the flow from the NLU intent and slots."""
    nlu = turn.nlu()
    text = turn.event.text or ""
    if nlu.intent == "find_shelter":
        turn.conv.misses = 0
        return start_shelter(turn, nlu.hazard_for_shelter, place_from_nlu(nlu))
    answer = typed_answer(text, nlu.urgent) if nlu.intent == "safety" and not nlu.categories else None
    if answer is not None:
        return record_answer(turn, answer, None)
    if nlu.intent == "report" or nlu.categories or nlu.urgent:
        turn.conv.misses = 0
        return start_report(turn, text=text)
    if nlu.intent == "greeting":
        return show_menu(turn)
    if nlu.intent == "cancel":
        turn.say(turn.p.t("nothing_to_cancel"), *menu_replies(turn))
        return State.IDLE
    return fallback(turn)


def on_location(turn: Turn) -> State:
    """A location in IDLE: the nearest designated sites, with hazard buttons to narrow them."""
    event = turn.event
    assert event.lat is not None and event.lon is not None
    return answer_shelters(turn, Place(event.lat, event.lon, event.title or "", "line_location"), None)


def on_postback(turn: Turn) -> State:
    """Buttons in IDLE: menu items, hazard filters, safety answers; stale buttons are explained."""
    data = postback(turn)
    action = data.get("a")
    if data.get("ans") in ANSWERS:
        return record_answer(turn, data["ans"], data.get("c"))
    if "h" in data:
        return on_hazard_button(turn)
    if action == "report":
        return start_report(turn)
    if action == "shelter":
        return start_shelter(turn, None, None)
    if action == "settings" or "set" in data:
        return ask_menu(turn)
    if action == "register":
        return ask_area(turn)
    if action == "send" and turn.slots.get("last_report"):  # 送信 tapped twice
        turn.say(turn.p.t("already_sent", number=turn.slots["last_report"]), *menu_replies(turn))
        return State.IDLE
    if action in STALE_ACTIONS or "cat" in data:
        turn.say(turn.p.t("expired_action"), *menu_replies(turn))
        return State.IDLE
    return show_menu(turn)


def on_image(turn: Turn) -> State:
    """A photo in IDLE starts a report with the photo attached."""
    turn.say(turn.p.t("photo_received"))
    if turn.event.message_id:
        turn.services.store_photo(turn.event.message_id)
    return start_report(turn, photos=(turn.event.message_id,) if turn.event.message_id else ())


def on_other(turn: Turn) -> State:
    turn.say(turn.p.t("unsupported_message"), *menu_replies(turn))
    return State.IDLE


_STARTS = (
    State.REPORT_CATEGORY, State.REPORT_PLACE, State.REPORT_DETAILS, State.REPORT_CONFIRM,
    State.SHELTER_PLACE, State.SETTINGS_MENU, State.SETTINGS_AREA,
)  # fmt: skip
COMMON_FLOW = Flow(
    "common",
    {
        State.IDLE: StateSpec(None, (
            route({EventKind.TEXT}, on_text, State.IDLE, *_STARTS),
            route({EventKind.LOCATION}, on_location, State.IDLE),
            route({EventKind.POSTBACK}, on_postback, State.IDLE, *_STARTS),
            route({EventKind.IMAGE}, on_image, *_STARTS[:4]),
            route({EventKind.FOLLOW}, on_follow, State.IDLE),
            route({EventKind.UNFOLLOW}, on_unfollow, State.IDLE),
            route({EventKind.OTHER}, on_other, State.IDLE),
        )),
    },
)  # fmt: skip
