"""Safety-check answers (安否確認): 無事 / 避難した / 助けが必要 / 家族と連絡が取れない.

A campaign puts the resident in SAFETY_ASK with its question; the answer is recorded and
助けが必要 continues as an urgent report.
"""

from __future__ import annotations

import re
import unicodedata

from dialogue.events import EventKind
from dialogue.flow import Flow, State, StateSpec, Turn, route
from dialogue.flows.helpers import postback
from dialogue.flows.report import start_report
from dialogue.messages import QuickReply, QuickReplyKind, Text
from dialogue.ports import SafetyRecord
from dialogue.prompts import Prompts

__all__ = ["ANSWERS", "SAFETY_FLOW", "record_answer", "safety_question", "typed_answer"]

ANSWERS = ("safe", "evacuated", "need_help", "family_unreachable")


def safety_question(p: Prompts, campaign_id: str, title: str) -> Text:
    """The campaign's question with one button per answer (also used by bot/campaigns.py)."""
    replies = tuple(
        QuickReply(p.t(f"label.safety_{a}"), QuickReplyKind.POSTBACK, f"ans={a}&c={campaign_id}") for a in ANSWERS
    )
    return Text(p.t("safety_question", title=title), replies)


def ask_safety(turn: Turn) -> State:
    turn.show(safety_question(turn.p, str(turn.slots.get("campaign") or ""), str(turn.slots.get("title") or "")))
    return State.SAFETY_ASK


#: "Not safe" must never be read as safe: a denied 無事/大丈夫/safe is a call for help.
_DENIED_SAFE = re.compile(
    r"(無事|ぶじ|大丈夫|だいじょうぶ|安全)\s*(じゃ|では|で|でも)?\s*(ない|なく|ありません|ねえ|ねー)"
    r"|\bnot\s+(safe|ok|okay|fine)\b|\b(un|in)safe\b|\bdanger"
)


def typed_answer(text: str, urgent: bool) -> str | None:
    """Read a typed answer: elderly residents often type rather than tap. None if it is not one."""
    norm = unicodedata.normalize("NFKC", text).lower()
    if urgent or _DENIED_SAFE.search(norm) or any(w in norm for w in ("助け", "たすけ", "救助", "help")):
        return "need_help"
    if ("家族" in norm or "かぞく" in norm or "family" in norm) and any(
        w in norm for w in ("連絡", "れんらく", "つながら", "取れ", "reach", "contact")
    ):
        return "family_unreachable"
    if any(w in norm for w in ("避難し", "ひなんし", "避難所にい", "evacuated")):
        return "evacuated"
    if any(w in norm for w in ("無事", "ぶじ", "大丈夫", "だいじょうぶ", "safe", "i'm ok", "im ok")):
        return "safe"
    return None


def record_answer(turn: Turn, answer: str, campaign: str | None) -> State:
    """Store the answer, thank the resident; 助けが必要 goes on as an urgent report."""
    event = turn.event
    turn.services.record_safety(
        SafetyRecord(event.event_id, event.user_id, answer, campaign or None, event.text or "", event.timestamp_ms)
    )
    if answer == "need_help":
        turn.say(turn.p.t("urgent"))
        turn.say(turn.p.t("safety_need_help"))
        state = start_report(turn, text=event.text or "")
        turn.slots["urgent"] = True
        return state
    key = {"safe": "safety_recorded_safe", "evacuated": "safety_recorded_evacuated"}.get(
        answer, "safety_recorded_family"
    )
    turn.conv.slots = {}
    turn.say(turn.p.t(key))
    return State.IDLE


def on_safety(turn: Turn) -> State:
    """SAFETY_ASK: a button or a typed answer; anything else asks again."""
    data = postback(turn)
    answer = data.get("ans")
    if answer is None and turn.event.kind is EventKind.TEXT and turn.event.text:
        answer = typed_answer(turn.event.text, turn.nlu().urgent)
    if answer not in ANSWERS:
        return ask_safety(turn)
    return record_answer(turn, answer, data.get("c") or str(turn.slots.get("campaign") or "") or None)


_REPORT = (State.REPORT_CATEGORY, State.REPORT_PLACE, State.REPORT_DETAILS, State.REPORT_CONFIRM)
SAFETY_FLOW = Flow(
    "safety",
    {
        State.SAFETY_ASK: StateSpec("safety_question", (
            route({EventKind.TEXT, EventKind.POSTBACK}, on_safety, State.SAFETY_ASK, State.IDLE, *_REPORT),
        ), ask_safety),
    },
    external_entries=(State.SAFETY_ASK,),
)  # fmt: skip
