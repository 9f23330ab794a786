"""Report damage: categories → place → details (optional) → confirmation → stored report.

States: REPORT_CATEGORY asks what happened, REPORT_PLACE asks where, REPORT_DETAILS asks
for more (only when the resident has not described anything yet), REPORT_CONFIRM shows a
summary with 送信 / 修正 / やめる. A message may fill several slots at once, and a
correction (「場所は藤沢駅じゃなくて辻堂駅」) changes only the slot it speaks of.
"""

from __future__ import annotations

from dialogue.events import EventKind
from dialogue.flow import Flow, State, StateSpec, Turn, route
from dialogue.flows.helpers import place_from_dict, place_from_nlu, place_to_dict, postback
from dialogue.messages import QuickReply, QuickReplyKind
from dialogue.ports import Place, ReportDraft
from nlp import CATEGORY_TO_HAZARD

__all__ = ["REPORT_FLOW", "ask_next", "start_report"]

#: Categories offered as buttons (≤ 12, leaving room for やめる); others are typed.
BUTTON_CATEGORIES = (
    "flooding", "river_rising", "landslide", "fire", "building_damage", "road_blocked",
    "fallen_object", "power_outage", "water_outage", "gas_leak", "injury", "trapped",
)  # fmt: skip
SEND_WORDS = frozenset({"送信", "はい", "送る", "おくる", "ok", "send", "yes"})
FIX_WORDS = frozenset({"修正", "なおす", "直す", "edit"})
UNKNOWN_WORDS = frozenset({"わからない", "分からない", "わかりません", "分かりません", "不明", "don't know", "unknown"})
NONE_WORDS = frozenset({"なし", "ない", "ありません", "特になし", "none", "no"})


def start_report(turn: Turn, text: str = "", photos: tuple[str, ...] = ()) -> State:
    """Begin a report with whatever the first message already told us."""
    slots: dict[str, object] = {"text": text, "photos": list(photos), "categories": [], "urgent": False}
    turn.conv.slots = slots
    if text:
        nlu = turn.nlu()
        slots["categories"] = list(nlu.categories)
        slots["urgent"] = nlu.urgent
        place = place_from_nlu(nlu, text)
        if place is not None:
            slots["place"] = place_to_dict(place)
        slots["details_asked"] = True  # they already described it
    return ask_next(turn)


def ask_next(turn: Turn) -> State:
    """Ask for the first missing slot, or show the summary when nothing is missing."""
    if not turn.slots.get("categories"):
        return ask_category(turn)
    if "place" not in turn.slots:
        return ask_place(turn)
    if not turn.slots.get("details_asked"):
        return ask_details(turn)
    return ask_confirm(turn)


def _category_replies(turn: Turn) -> list[QuickReply]:
    return [QuickReply(turn.p.t(f"category.{c}"), QuickReplyKind.POSTBACK, f"cat={c}") for c in BUTTON_CATEGORIES]


def ask_category(turn: Turn) -> State:
    turn.say(turn.p.t("ask_category"), *_category_replies(turn), turn.qr("cancel", "a=cancel"))
    return State.REPORT_CATEGORY


def ask_place(turn: Turn) -> State:
    turn.say(
        turn.p.t("ask_place"), turn.qr_location(), turn.qr("unknown", "a=unknown_place"), turn.qr("cancel", "a=cancel")
    )
    return State.REPORT_PLACE


def ask_details(turn: Turn) -> State:
    turn.say(turn.p.t("ask_details"), turn.qr("none", "a=skip"), turn.qr("cancel", "a=cancel"))
    return State.REPORT_DETAILS


def ask_confirm(turn: Turn) -> State:
    current = place_from_dict(turn.slots.get("place"))
    categories = "、".join(turn.p.t(f"category.{c}") for c in _categories(turn))
    details = str(turn.slots.get("text") or "").strip() or turn.p.t("confirm_details_none")
    if len(details) > 120:
        details = details[:120] + "…"
    photos = turn.slots.get("photos")
    if isinstance(photos, list) and photos:
        details += f" 📷×{len(photos)}"
    turn.say(
        turn.p.t("confirm", categories=categories, place=_place_label(turn, current), details=details),
        turn.qr("send", "a=send"), turn.qr("fix", "a=fix"), turn.qr("cancel", "a=cancel"),
    )  # fmt: skip
    return State.REPORT_CONFIRM


def _categories(turn: Turn) -> list[str]:
    value = turn.slots.get("categories")
    return [str(c) for c in value] if isinstance(value, list) else []


def _place_label(turn: Turn, place: Place | None) -> str:
    if place is None or (not place.text and place.lat is None and not place.municipality):
        return turn.p.t("confirm_place_unknown")
    if place.text:
        return place.text
    if place.lat is not None and place.lon is not None:
        return f"{place.municipality or ''}（{place.lat:.5f}, {place.lon:.5f}）"
    return place.municipality or turn.p.t("confirm_place_unknown")


def _append_text(turn: Turn, text: str) -> None:
    turn.slots["text"] = " ".join(filter(None, [str(turn.slots.get("text") or ""), text]))


def on_category(turn: Turn) -> State:
    """REPORT_CATEGORY: a category button or a typed description."""
    chosen = postback(turn).get("cat")
    if chosen:
        turn.slots["categories"] = [chosen]
    elif turn.event.kind is EventKind.TEXT and turn.event.text:
        nlu = turn.nlu()
        if nlu.categories:
            turn.slots["categories"] = list(nlu.categories)
            _append_text(turn, turn.event.text)
            turn.slots["details_asked"] = True
            if "place" not in turn.slots and (place := place_from_nlu(nlu, turn.event.text)) is not None:
                turn.slots["place"] = place_to_dict(place)
    if not turn.slots.get("categories"):
        turn.say(turn.p.t("ask_category_again"), *_category_replies(turn), turn.qr("cancel", "a=cancel"))
        return State.REPORT_CATEGORY
    return ask_next(turn)


def on_place(turn: Turn) -> State:
    """REPORT_PLACE: a LINE location, a typed place, or わからない (the home area is kept)."""
    event = turn.event
    if event.kind is EventKind.LOCATION and event.lat is not None and event.lon is not None:
        located = turn.services.locate(event.lat, event.lon)
        place = Place(event.lat, event.lon, event.address or event.title or "", "line_location",
                      located.municipality, located.municipality_code)  # fmt: skip
        turn.slots["place"] = place_to_dict(place)
        return ask_next(turn)
    text = (event.text or "").strip()
    if postback(turn).get("a") == "unknown_place" or text.lower() in UNKNOWN_WORDS:
        profile = turn.profile
        turn.slots["place"] = place_to_dict(
            Place(
                source="none", municipality=profile.home_municipality, municipality_code=profile.home_municipality_code
            )
        )
        return ask_next(turn)
    if text:
        typed = place_from_nlu(turn.nlu(), text)
        if typed is not None:
            turn.slots["place"] = place_to_dict(typed)
            return ask_next(turn)
        tries = int(str(turn.slots.get("place_tries") or 0)) + 1
        turn.slots["place_tries"] = tries
        if tries >= 2:  # keep what they typed rather than ask a third time
            turn.slots["place"] = place_to_dict(Place(text=text[:200], source="text"))
            turn.say(turn.p.t("place_unknown_kept", place=text[:200]))
            return ask_next(turn)
    turn.say(turn.p.t("ask_place_again"), turn.qr_location(), turn.qr("unknown", "a=unknown_place"))
    return State.REPORT_PLACE


def on_details(turn: Turn) -> State:
    """REPORT_DETAILS: more words, a photo, or なし; then the summary."""
    turn.slots["details_asked"] = True
    text = (turn.event.text or "").strip()
    if postback(turn).get("a") != "skip" and text and text.lower() not in NONE_WORDS:
        _append_text(turn, text)
    return ask_next(turn)


def on_confirm(turn: Turn) -> State:
    """REPORT_CONFIRM: 送信 stores the report; 修正 re-asks the category; other input corrects a slot."""
    action = postback(turn).get("a")
    text = (turn.event.text or "").strip()
    if action == "send" or text.lower() in SEND_WORDS:
        return _save(turn)
    if action == "fix" or text in FIX_WORDS:
        turn.slots["categories"] = []
        return ask_next(turn)
    if turn.event.kind is EventKind.LOCATION:
        return on_place(turn)
    if text:  # a correction: change only the slots this message speaks of
        nlu = turn.nlu()
        place = place_from_nlu(nlu, text)
        if place is not None:
            turn.slots["place"] = place_to_dict(place)
        if nlu.categories:
            turn.slots["categories"] = list(nlu.categories)
        if place is None and not nlu.categories:
            _append_text(turn, text)
    return ask_next(turn)


def on_photo(turn: Turn) -> State:
    """Any report state: an image is attached to the report, then the next question."""
    photos = turn.slots.setdefault("photos", [])
    if isinstance(photos, list) and turn.event.message_id:
        turn.services.store_photo(turn.event.message_id)
        photos.append(turn.event.message_id)
    turn.say(turn.p.t("photo_received"))
    if turn.conv.state == State.REPORT_DETAILS:
        turn.slots["details_asked"] = True
    return ask_next(turn)


def _save(turn: Turn) -> State:
    place = place_from_dict(turn.slots.get("place")) or Place()
    categories = tuple(_categories(turn))
    photos = turn.slots.get("photos")
    saved = turn.services.save_report(
        ReportDraft(
            event_id=turn.event.event_id,
            user_id=turn.event.user_id,
            text=str(turn.slots.get("text") or ""),
            categories=categories,
            urgent=bool(turn.slots.get("urgent")),
            place=place,
            photos=tuple(str(p) for p in photos) if isinstance(photos, list) else (),
            reported_at_ms=turn.event.timestamp_ms,
        )
    )
    replies: list[QuickReply] = []
    hazard = next((CATEGORY_TO_HAZARD[c] for c in categories if c in CATEGORY_TO_HAZARD), None)
    if place.lat is not None and place.lon is not None:
        replies.append(QuickReply(turn.p.t("label.nearby_shelters"), QuickReplyKind.POSTBACK, f"h={hazard or ''}"))
        turn.conv.slots = {"last_place": place_to_dict(place), "last_report": saved.number}
    else:
        turn.conv.slots = {"last_report": saved.number}
    turn.say(turn.p.t("saved", number=saved.number), *replies)
    return State.IDLE


_INPUT = {EventKind.TEXT, EventKind.POSTBACK}
_AFTER = (State.REPORT_CATEGORY, State.REPORT_PLACE, State.REPORT_DETAILS, State.REPORT_CONFIRM)
REPORT_FLOW = Flow(
    "report",
    {
        State.REPORT_CATEGORY: StateSpec("ask_category", (
            route(_INPUT, on_category, *_AFTER),
            route({EventKind.IMAGE}, on_photo, *_AFTER),
        ), ask_category),
        # ask_next may ask for any missing slot, so every report state may lead to any other.
        State.REPORT_PLACE: StateSpec("ask_place", (
            route(_INPUT | {EventKind.LOCATION}, on_place, *_AFTER),
            route({EventKind.IMAGE}, on_photo, *_AFTER),
        ), ask_place),
        State.REPORT_DETAILS: StateSpec("ask_details", (
            route(_INPUT, on_details, *_AFTER),
            route({EventKind.IMAGE}, on_photo, *_AFTER),
        ), ask_details),
        State.REPORT_CONFIRM: StateSpec("confirm", (
            route(_INPUT | {EventKind.LOCATION}, on_confirm, State.IDLE, *_AFTER),
            route({EventKind.IMAGE}, on_photo, *_AFTER),
        ), ask_confirm),
    },
)  # fmt: skip
