"""Expectation checks, one function per key of a turn's ``expect:``.

Each takes the expected value, what the turn observed and the context, and returns the
mismatches as (expected, actual) pairs; an empty list means the expectation holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.evaluation.effects import Unsupported
from bot.evaluation.observe import PromptBook, flex_texts, quick_replies, reply_text
from bot.evaluation.results import TurnResult

__all__ = ["CHECKS", "CheckContext", "Mismatch"]

Mismatch = tuple[str, str]


@dataclass
class CheckContext:
    prompts: PromptBook
    #: Reports before this turn and now (None: cannot be read in this mode).
    reports_before: list[dict[str, Any]] | None = None
    reports_now: Callable[[], list[dict[str, Any]]] | None = None
    safety_now: Callable[[], list[dict[str, Any]]] | None = None
    profile_now: Callable[[], dict[str, Any] | None] | None = None


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _short(text: str, limit: int = 300) -> str:
    text = text.replace("\n", " / ")
    return text if len(text) <= limit else text[:limit] + "…"


def _said(turn: TurnResult) -> str:
    return _short(reply_text(turn.messages)) if turn.messages else "(no answer)"


def reply_contains(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    text = reply_text(turn.messages)
    return [(f"reply contains {s!r}", _said(turn)) for s in _as_list(expected) if s not in text]


def reply_not_contains(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    text = reply_text(turn.messages)
    return [(f"reply without {s!r}", _said(turn)) for s in _as_list(expected) if s in text]


def reply_matches(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    text = reply_text(turn.messages)
    return [(f"reply matches /{p}/", _said(turn)) for p in _as_list(expected) if not re.search(p, text, re.M)]


def reply_prompt(expected: Any, turn: TurnResult, ctx: CheckContext) -> list[Mismatch]:
    out: list[Mismatch] = []
    for key in _as_list(expected):
        if not ctx.prompts.known(key):
            raise Unsupported(f"there is no prompt {key!r} in dialogue/prompts")
        if not ctx.prompts.sent(key, turn.messages):
            out.append((f"the {key!r} prompt", _said(turn)))
    return out


def reply_count(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    n = len(turn.messages)
    if isinstance(expected, int):
        return [] if n == expected else [(f"{expected} message(s)", f"{n} message(s): {_said(turn)}")]
    low, high = expected.get("min", 0), expected.get("max", n)
    return [] if low <= n <= high else [(f"between {low} and {high} messages", f"{n}: {_said(turn)}")]


def reply_kinds(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    kinds = [str(m.get("type")) for m in turn.messages]
    return [] if kinds == list(expected) else [(f"messages of kinds {list(expected)}", str(kinds))]


def quick_reply_labels(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    labels = [str(a.get("label", "")) for a in quick_replies(turn.messages)]
    spec = {"includes": expected} if isinstance(expected, list) else dict(expected)
    out: list[Mismatch] = []
    missing = [x for x in spec.get("includes", []) if x not in labels]
    if missing:
        out.append((f"quick replies include {missing}", f"offered {labels}"))
    unwanted = [x for x in spec.get("excludes", []) if x in labels]
    if unwanted:
        out.append((f"no quick replies {unwanted}", f"offered {labels}"))
    if "exactly" in spec and labels != list(spec["exactly"]):
        out.append((f"quick replies exactly {list(spec['exactly'])}", f"offered {labels}"))
    return out


def flex_contains(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    text = flex_texts(turn.messages)
    shown = _short(text) if text else "(no Flex message)"
    return [(f"a Flex message showing {s!r}", shown) for s in _as_list(expected) if s not in text]


def urgent_notice(expected: Any, turn: TurnResult, ctx: CheckContext) -> list[Mismatch]:
    present = ctx.prompts.urgent_notice(turn.messages)
    if present == bool(expected):
        return []
    return [("the urgent notice (119/110)" if expected else "no urgent notice", _said(turn))]


def fallback(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    if turn.fallback == bool(expected):
        return []
    return [("the fallback answer" if expected else "an answer other than the fallback", _said(turn))]


def http_status(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    return [] if turn.http_status == expected else [(f"HTTP {expected}", f"HTTP {turn.http_status}")]


def state(expected: Any, turn: TurnResult, _ctx: CheckContext) -> list[Mismatch]:
    spec: dict[str, Any] = {"name": expected} if isinstance(expected, str) else dict(expected)
    out: list[Mismatch] = []
    if "name" in spec and turn.state_after != spec["name"]:
        out.append((f"state {spec['name']}", f"state {turn.state_after}"))
    slots = turn.slots_after or {}
    for key, want in (spec.get("slots") or {}).items():
        if not _subset(want, slots.get(key)):
            out.append((f"slot {key} = {want!r}", f"slot {key} = {slots.get(key)!r}"))
    return out


def _subset(want: Any, got: Any) -> bool:
    """Mappings match on the keys given, lists on the items given; scalars are equal."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(_subset(v, got.get(k)) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and all(any(_subset(w, g) for g in got) for w in want)
    return bool(want == got)


def _reports(ctx: CheckContext) -> list[dict[str, Any]]:
    if ctx.reports_now is None:
        raise Unsupported("reports cannot be read in this mode")
    return ctx.reports_now()


def report(expected: Any, _turn: TurnResult, ctx: CheckContext) -> list[Mismatch]:
    before = {r["number"] for r in ctx.reports_before or []}
    new = [r for r in _reports(ctx) if r["number"] not in before]
    if len(new) != 1:
        return [("one report stored by this turn", f"{len(new)} new report(s)")]
    got = new[0]
    out: list[Mismatch] = []
    missing = [c for c in expected.get("categories", []) if c not in got["categories"]]
    if missing:
        out.append((f"categories include {missing}", f"categories {got['categories']}"))
    if "municipality" in expected:
        m = got.get("municipality") or {}
        if expected["municipality"] not in (m.get("name"), m.get("code")):
            out.append((f"municipality {expected['municipality']}", f"municipality {m.get('name')} ({m.get('code')})"))
    for key, field in (("urgent", "urgent"), ("photos", "photos")):
        if key in expected and got.get(field) != expected[key]:
            out.append((f"{key} = {expected[key]!r}", f"{key} = {got.get(field)!r}"))
    source = (got.get("location") or {}).get("source")
    if "location_source" in expected and source != expected["location_source"]:
        out.append((f"location source {expected['location_source']}", f"location source {source}"))
    if "text_contains" in expected and expected["text_contains"] not in (got.get("text") or ""):
        out.append((f"text contains {expected['text_contains']!r}", f"text {_short(got.get('text') or '')!r}"))
    return out


def reports_count(expected: Any, _turn: TurnResult, ctx: CheckContext) -> list[Mismatch]:
    n = len(_reports(ctx))
    return [] if n == expected else [(f"{expected} report(s) stored in all", f"{n}")]


def safety(expected: Any, _turn: TurnResult, ctx: CheckContext) -> list[Mismatch]:
    if ctx.safety_now is None:
        raise Unsupported("safety answers cannot be read in this mode")
    answers = ctx.safety_now()
    out: list[Mismatch] = []
    if "count" in expected and len(answers) != expected["count"]:
        out.append((f"{expected['count']} safety answer(s)", f"{len(answers)}"))
    if not answers:
        return out or [("a recorded safety answer", "none recorded")]
    last = answers[-1]
    for key in ("answer", "campaign_id"):
        if key in expected and last.get(key) != expected[key]:
            out.append((f"{key} = {expected[key]!r}", f"{key} = {last.get(key)!r}"))
    if "text_contains" in expected and expected["text_contains"] not in (last.get("text") or ""):
        out.append((f"text contains {expected['text_contains']!r}", f"text {_short(last.get('text') or '')!r}"))
    return out


def profile(expected: Any, _turn: TurnResult, ctx: CheckContext) -> list[Mismatch]:
    if ctx.profile_now is None:
        raise Unsupported("registered settings cannot be read in this mode")
    stored = ctx.profile_now() or {}
    return [
        (f"setting {key} = {want!r}", f"{key} = {stored.get(key)!r}" if stored else "no settings stored")
        for key, want in expected.items()
        if not _subset(want, stored.get(key))
    ]


Check = Callable[[Any, TurnResult, CheckContext], list[Mismatch]]

#: Every expectation key the schema allows, and its check.
CHECKS: dict[str, Check] = {
    "reply.contains": reply_contains,
    "reply.not_contains": reply_not_contains,
    "reply.matches": reply_matches,
    "reply.prompt": reply_prompt,
    "reply.count": reply_count,
    "reply.kinds": reply_kinds,
    "quick_replies": quick_reply_labels,
    "flex.contains": flex_contains,
    "urgent_notice": urgent_notice,
    "fallback": fallback,
    "http_status": http_status,
    "state": state,
    "report": report,
    "reports.count": reports_count,
    "safety": safety,
    "profile": profile,
}
