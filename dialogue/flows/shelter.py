"""Find a shelter: hazard (from the text or a button) + place → nearest suitable sites.

SHELTER_PLACE asks where, when neither a location nor a geocodable place is known.
"""

from __future__ import annotations

from dialogue.events import EventKind
from dialogue.flow import Flow, State, StateSpec, Turn, route
from dialogue.flows.helpers import place_from_dict, place_from_nlu, place_to_dict, postback
from dialogue.messages import QuickReply, QuickReplyKind, ShelterCarousel
from dialogue.ports import Place

__all__ = ["SHELTER_FLOW", "answer_shelters", "start_shelter"]

HAZARD_BUTTONS = ("tsunami", "flood", "landslide", "earthquake", "storm_surge", "large_fire", "inland_flood", "volcano")


def start_shelter(turn: Turn, hazard: str | None, place: Place | None) -> State:
    """Answer at once when the place is known, else ask for it (remembering the hazard)."""
    if place is None:
        place = place_from_dict(turn.slots.get("last_place"))
        if place is not None and place.lat is None:
            place = None
    profile = turn.profile
    if place is None and profile.home_lat is not None and profile.home_lon is not None:
        place = Place(profile.home_lat, profile.home_lon, profile.home_municipality or "", "home_area")
    if place is not None and place.lat is not None and place.lon is not None:
        return answer_shelters(turn, place, hazard)
    turn.conv.slots = {"hazard": hazard, "tries": 0}
    turn.say(turn.p.t("ask_shelter_place"), turn.qr_location(), turn.qr("cancel", "a=cancel"))
    return State.SHELTER_PLACE


def answer_shelters(turn: Turn, place: Place, hazard: str | None) -> State:
    """Show the nearest sites for the hazard (or any designated site) and go idle."""
    assert place.lat is not None and place.lon is not None
    turn.conv.slots = {"last_place": place_to_dict(place)}
    answer = turn.services.find_shelters(
        place.lat, place.lon, hazard, turn.p.language, slow_walker=turn.profile.slow_walker
    )
    where = place.text or turn.p.t("here")
    hazard_label = turn.p.t(f"hazard.{hazard}") if hazard else ""
    if answer.problem == "outside":
        turn.say(turn.p.t("shelters_outside"), turn.qr_location())
        return State.IDLE
    if answer.problem == "far":  # at sea, or no site within reach
        turn.say(turn.p.t("shelters_far"), turn.qr_location())
        return State.IDLE
    if answer.problem == "no_data":
        turn.say(turn.p.t("shelters_no_data_municipality", municipality=answer.municipality or where))
        return State.IDLE
    if not answer.cards:
        turn.say(turn.p.t("shelters_none", place=where, hazard=hazard_label or turn.p.t("label.any_hazard")))
        return State.IDLE
    intro = (
        turn.p.t("shelters_intro", place=where, hazard=hazard_label)
        if hazard
        else turn.p.t("shelters_intro_any", place=where)
    )
    turn.say(intro)
    replies: tuple[QuickReply, ...] = ()
    if hazard is None:
        replies = tuple(QuickReply(turn.p.t(f"hazard.{h}"), QuickReplyKind.POSTBACK, f"h={h}") for h in HAZARD_BUTTONS)
    cards = tuple(answer.cards)
    turn.show(
        ShelterCarousel(
            cards=cards,  # type: ignore[arg-type]
            alt_text="",  # the intro is its own message just before
            footer=turn.p.t("shelters_footer", date=answer.data_date),
            quick_replies=replies,
        )
    )
    return State.IDLE


def ask_shelter_place(turn: Turn) -> State:
    turn.say(turn.p.t("ask_shelter_place"), turn.qr_location(), turn.qr("cancel", "a=cancel"))
    return State.SHELTER_PLACE


def on_hazard_button(turn: Turn) -> State:
    """IDLE: a hazard button after a list of sites narrows it to that hazard."""
    hazard = postback(turn).get("h") or None
    return start_shelter(turn, hazard, None)


def on_shelter_place(turn: Turn) -> State:
    """SHELTER_PLACE: a LINE location or a typed place; asks once more, then gives up kindly."""
    hazard = turn.slots.get("hazard")
    hazard = str(hazard) if hazard else None
    event = turn.event
    if event.kind is EventKind.LOCATION and event.lat is not None and event.lon is not None:
        return answer_shelters(turn, Place(event.lat, event.lon, event.title or "", "line_location"), hazard)
    if event.text:
        nlu = turn.nlu()
        hazard = nlu.hazard_for_shelter or hazard
        place = place_from_nlu(nlu)
        if place is not None and place.lat is not None:
            return answer_shelters(turn, place, hazard)
    tries = int(str(turn.slots.get("tries") or 0)) + 1
    turn.slots["tries"] = tries
    if tries >= 2:
        turn.conv.slots = {}
        turn.say(
            turn.p.t("fallback_menu"), turn.qr_location(), turn.qr("report", "a=report"), turn.qr("help", "a=help")
        )
        return State.IDLE
    turn.say(turn.p.t("ask_place_again"), turn.qr_location(), turn.qr("cancel", "a=cancel"))
    return State.SHELTER_PLACE


SHELTER_FLOW = Flow(
    "shelter",
    {
        State.SHELTER_PLACE: StateSpec("ask_shelter_place", (
            route({EventKind.TEXT, EventKind.LOCATION, EventKind.POSTBACK}, on_shelter_place,
                  State.SHELTER_PLACE, State.IDLE),
        ), ask_shelter_place),
    },
)  # fmt: skip
