"""Registration and settings: home area, language, needs, consent to area messages.

SETTINGS_MENU shows the current settings with a button per item; each item state asks
its question and returns to the menu; 完了 (done) saves and goes idle.
"""

from __future__ import annotations

from dialogue.events import EventKind
from dialogue.flow import Flow, State, StateSpec, Turn, route
from dialogue.flows.helpers import place_from_nlu, postback
from dialogue.messages import QuickReply, QuickReplyKind
from dialogue.profile import NEEDS
from dialogue.prompts import LANGUAGES

__all__ = ["SETTINGS_FLOW", "ask_area", "ask_menu"]


def _pb(turn: Turn, label_key: str, data: str) -> QuickReply:
    return QuickReply(turn.p.t(f"label.{label_key}"), QuickReplyKind.POSTBACK, data)


def _needs_text(turn: Turn) -> str:
    needs = turn.profile.needs
    return "、".join(turn.p.t(f"label.need_{n}") for n in needs) if needs else turn.p.t("not_set")


def ask_menu(turn: Turn) -> State:
    """Show the current settings and a button for each item."""
    profile = turn.profile
    turn.say(
        turn.p.t(
            "settings_menu",
            area=profile.home_municipality or turn.p.t("not_set"),
            language=turn.p.t(f"label.lang_{profile.language}"),
            needs=_needs_text(turn),
            consent=turn.p.t("consent_yes" if profile.area_messages else "consent_no"),
        ),
        _pb(turn, "area", "set=area"),
        _pb(turn, "language", "set=language"),
        _pb(turn, "needs", "set=needs"),
        _pb(turn, "consent", "set=consent"),
        _pb(turn, "done", "set=done"),
    )
    return State.SETTINGS_MENU


def ask_area(turn: Turn) -> State:
    turn.say(turn.p.t("settings_ask_area"), turn.qr_location(), _pb(turn, "done", "set=menu"))
    return State.SETTINGS_AREA


def ask_language(turn: Turn) -> State:
    turn.say(turn.p.t("settings_ask_language"), *[_pb(turn, f"lang_{lang}", f"lang={lang}") for lang in LANGUAGES])
    return State.SETTINGS_LANGUAGE


def ask_needs(turn: Turn) -> State:
    buttons = [_pb(turn, f"need_{n}", f"need={n}") for n in NEEDS]
    turn.say(turn.p.t("settings_ask_needs", needs=_needs_text(turn)), *buttons,
             _pb(turn, "need_none", "need=none"), _pb(turn, "done", "set=menu"))  # fmt: skip
    return State.SETTINGS_NEEDS


def ask_consent(turn: Turn) -> State:
    turn.say(turn.p.t("settings_ask_consent"), _pb(turn, "yes", "consent=yes"), _pb(turn, "no", "consent=no"))
    return State.SETTINGS_CONSENT


def on_menu(turn: Turn) -> State:
    """SETTINGS_MENU: open one item, or finish."""
    choice = postback(turn).get("set")
    if choice == "area":
        return ask_area(turn)
    if choice == "language":
        return ask_language(turn)
    if choice == "needs":
        return ask_needs(turn)
    if choice == "consent":
        return ask_consent(turn)
    if choice == "done":
        turn.say(turn.p.t("settings_done"))
        return State.IDLE
    return ask_menu(turn)


def on_area(turn: Turn) -> State:
    """SETTINGS_AREA: a location or a typed municipality/address; back to the menu when saved."""
    event = turn.event
    if postback(turn).get("set") == "menu":
        return ask_menu(turn)
    place = None
    if event.kind is EventKind.LOCATION and event.lat is not None and event.lon is not None:
        place = turn.services.locate(event.lat, event.lon)
    elif event.text:
        place = place_from_nlu(turn.nlu())
    if place is None or not place.municipality:
        turn.say(turn.p.t("settings_area_unknown"), turn.qr_location(), _pb(turn, "done", "set=menu"))
        return State.SETTINGS_AREA
    profile = turn.profile
    profile.home_municipality, profile.home_municipality_code = place.municipality, place.municipality_code
    profile.home_address = place.text if event.kind is EventKind.TEXT else ""
    profile.home_lat, profile.home_lon = place.lat, place.lon
    turn.profile_changed = True
    turn.say(turn.p.t("settings_area_saved", area=place.municipality))
    return ask_menu(turn)


def on_language(turn: Turn) -> State:
    language = postback(turn).get("lang")
    if language not in LANGUAGES:
        return ask_language(turn)
    turn.set_language(language)
    turn.say(turn.p.t("settings_language_saved"))
    return ask_menu(turn)


def on_needs(turn: Turn) -> State:
    data = postback(turn)
    if data.get("set") == "menu":
        turn.say(turn.p.t("settings_needs_saved", needs=_needs_text(turn)))
        return ask_menu(turn)
    need = data.get("need")
    if need == "none":
        turn.profile.needs = []
    elif need in NEEDS:
        needs = set(turn.profile.needs) ^ {need}  # a second tap removes it again
        turn.profile.needs = [n for n in NEEDS if n in needs]
    turn.profile_changed = True
    return ask_needs(turn)


def on_consent(turn: Turn) -> State:
    answer = postback(turn).get("consent")
    if answer not in ("yes", "no"):
        return ask_consent(turn)
    turn.profile.area_messages = answer == "yes"
    turn.profile_changed = True
    turn.say(turn.p.t(f"settings_consent_saved_{answer}"))
    return ask_menu(turn)


_INPUT = {EventKind.TEXT, EventKind.POSTBACK}
SETTINGS_FLOW = Flow(
    "settings",
    {
        State.SETTINGS_MENU: StateSpec("settings_menu", (
            route(_INPUT, on_menu, State.SETTINGS_MENU, State.SETTINGS_AREA, State.SETTINGS_LANGUAGE,
                  State.SETTINGS_NEEDS, State.SETTINGS_CONSENT, State.IDLE),
        ), ask_menu),
        State.SETTINGS_AREA: StateSpec("settings_ask_area", (
            route(_INPUT | {EventKind.LOCATION}, on_area, State.SETTINGS_AREA, State.SETTINGS_MENU),
        ), ask_area),
        State.SETTINGS_LANGUAGE: StateSpec("settings_ask_language", (
            route(_INPUT, on_language, State.SETTINGS_LANGUAGE, State.SETTINGS_MENU),
        ), ask_language),
        State.SETTINGS_NEEDS: StateSpec("settings_ask_needs", (
            route(_INPUT, on_needs, State.SETTINGS_NEEDS, State.SETTINGS_MENU),
        ), ask_needs),
        State.SETTINGS_CONSENT: StateSpec("settings_ask_consent", (
            route(_INPUT, on_consent, State.SETTINGS_CONSENT, State.SETTINGS_MENU),
        ), ask_consent),
    },
)  # fmt: skip
