"""Plain-text pieces shared by the reports: a scenario's transcript and its differences."""

from __future__ import annotations

from bot.evaluation.observe import message_text, quick_replies
from bot.evaluation.results import ScenarioResult, TurnResult

__all__ = ["bot_said", "failure_text", "offered"]


def bot_said(turn: TurnResult, limit: int = 400) -> str:
    """The bot's answer to a turn, one line per message, long texts shortened."""
    if not turn.messages:
        return "(no answer)"
    lines = []
    for message in turn.messages:
        text = message_text(message).replace("\n", " ⏎ ")
        lines.append(text if len(text) <= limit else text[:limit] + "…")
    return "\n".join(lines)


def offered(turn: TurnResult) -> list[str]:
    return [str(a.get("label", "")) for a in quick_replies(turn.messages)]


def failure_text(result: ScenarioResult) -> str:
    """Each failing turn: the action, every expectation that did not hold, and what happened instead."""
    out = [f"{result.path}:{result.line}: {result.name} — {result.outcome.value}"]
    if result.reason:
        out.append(f"  reason: {result.reason}")
    for turn in result.turns:
        if not (turn.problems or turn.error or turn.unsupported):
            continue
        out.append(f"  turn {turn.index} ({result.path}:{turn.line}) {turn.action}")
        out.extend(f"    {p.key} (line {p.line}): expected {p.expected}; got {p.actual}" for p in turn.problems)
        if turn.error:
            out.append(f"    error: {turn.error}")
        out.extend(f"    unsupported: {u}" for u in turn.unsupported)
        if result.mode == "local":  # a deployed instance's answers and states are not seen
            out.append(f"    state: {turn.state_before} → {turn.state_after}")
            out.append("    bot: " + bot_said(turn).replace("\n", "\n         "))
    return "\n".join(out)
