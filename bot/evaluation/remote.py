"""Drills against a deployed instance: signed webhooks to its URL, HTTP acceptance checked.

The answers go to the real LINE platform, so they cannot be read here: every turn checks
that the webhook was accepted (``http_status``, 200 by default); reply, state and effect
expectations are listed as not checked. ``tap`` (it needs the previous answer's buttons),
``wait`` (the instance's clock is its own), ``image`` (the bot would fetch the photo from
LINE) and ``safety_check`` end the scenario as unsupported in this mode.
"""

from __future__ import annotations

import time
from typing import Any

from bot.evaluation.model import Scenario, Step
from bot.evaluation.results import Outcome, Problem, ScenarioResult, TurnResult
from bot.evaluation.session import scenario_user_id, sticker_event
from bot.standin import WebhookDriver

__all__ = ["run_remote"]

_UNSUPPORTED = {
    "tap": "tap needs the previous answer's quick replies, which a deployed instance sends to LINE",
    "wait": "a deployed instance's clock cannot be moved",
    "image": "the deployed bot would download the photo from LINE",
    "safety_check": "a safety check is sent by the instance itself (sonae campaigns), not by a webhook",
}
NOT_CHECKED = "not checked against a deployed instance: "


def run_remote(
    scenarios: list[Scenario], url: str, channel_secret: str, timeout_s: float = 30.0
) -> list[ScenarioResult]:
    results = []
    for scenario in scenarios:
        driver = WebhookDriver(url.rstrip("/") + "/callback", channel_secret, None, timeout_s=timeout_s)
        results.append(_play(scenario, driver))
    return results


def _event(driver: WebhookDriver, user: str, step: Step, last: dict[str, Any] | None) -> dict[str, Any]:
    v = step.value
    match step.action:
        case "say":
            return driver.build_text(user, str(v))
        case "location":
            return driver.build_location(user, v["lat"], v["lon"], title=v.get("title"), address=v.get("address"))
        case "postback":
            return driver.build_postback(user, str(v))
        case "follow":
            return driver.build_follow(user)
        case "unfollow":
            return driver.build_unfollow(user)
        case "redeliver":
            return driver.redeliver(last or driver.build_text(user, ""))
    return sticker_event(driver, user)


def _play(scenario: Scenario, driver: WebhookDriver) -> ScenarioResult:
    result = ScenarioResult(scenario.name, scenario.path, scenario.line, scenario.tags, mode="remote")
    user = scenario_user_id(scenario.name)
    last: dict[str, Any] | None = None
    started = time.monotonic()
    for index, step in enumerate(scenario.steps, 1):
        turn = TurnResult(index, step.line, step.describe(), None)
        result.turns.append(turn)
        if step.action in _UNSUPPORTED:
            turn.unsupported.append(_UNSUPPORTED[step.action])
            break
        event = _event(driver, user, step, last)
        sent_at = time.monotonic()
        try:
            turn.http_status = driver.send(event)
        except OSError as exc:
            turn.error = f"cannot reach {driver.bot_url}: {exc}"
            break
        turn.latency_s = time.monotonic() - sent_at
        last = event
        wanted = step.expect.get("http_status", 200)
        if turn.http_status != wanted:
            line = step.expect_lines.get("http_status", step.line)
            turn.problems.append(Problem("http_status", f"HTTP {wanted}", f"HTTP {turn.http_status}", line))
        unchecked = sorted(k for k in step.expect if k != "http_status")
        if unchecked:
            turn.unsupported.append(NOT_CHECKED + ", ".join(unchecked))
    result.duration_s = time.monotonic() - started
    result.settle()
    only_unchecked = all(u.startswith(NOT_CHECKED) for t in result.turns for u in t.unsupported)
    if result.outcome is Outcome.UNSUPPORTED and only_unchecked:
        result.outcome, result.reason = Outcome.PASSED, ""  # acceptance was what this mode checks
    return result
