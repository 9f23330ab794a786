"""Playing one scenario against a running stack (app + workers + LINE stand-in) on loopback.

Each scenario talks as its own LINE user. A turn posts one signed webhook event and waits
until the worker has delivered the answer (the processor's ``sonae:sent:{event id}`` marker),
then reads the messages from the stand-in and the conversation state from Redis.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import secrets
import time
from typing import Any

from bot.embedded import EmbeddedStack
from bot.evaluation.clock import FakeClock, parse_duration
from bot.evaluation.effects import OfficersApi, Unsupported, safety_answers
from bot.evaluation.expectations import CHECKS, CheckContext
from bot.evaluation.model import Scenario, Step
from bot.evaluation.observe import PromptBook, quick_replies
from bot.evaluation.results import Outcome, Problem, ScenarioResult, TurnResult
from bot.standin import LineStandin, WebhookDriver
from dialogue.profile import Profile, ProfileStore, language_for
from dialogue.store import StateStore

__all__ = ["TurnError", "play_scenario", "scenario_user_id", "sticker_event"]

log = logging.getLogger(__name__)

#: The bytes of every photo a scenario sends (a JPEG header is enough for the bot).
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00scenario-photo"
_KINDS = {"say": "text", "location": "location", "image": "image", "sticker": "other", "postback": "postback",
          "follow": "follow", "unfollow": "unfollow"}  # fmt: skip
_REPORT_KEYS = ("report", "reports.count")


def sticker_event(driver: WebhookDriver, user_id: str) -> dict[str, Any]:
    """A sticker message event (a type the bot does not handle), built from a text event."""
    event = driver.build_text(user_id, "sticker")
    message = event["message"]
    event["message"] = {
        "type": "sticker", "id": message["id"], "quoteToken": message["quoteToken"],
        "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC",
    }  # fmt: skip
    return event


class TurnError(RuntimeError):
    """The turn could not be played (no answer, a crash, a tap on a button that is not there)."""


def scenario_user_id(name: str) -> str:
    """A fresh, well-formed LINE user id ("U" + 32 hex digits) for one run of a scenario."""
    return "U" + hashlib.blake2b(f"{name}\x00{secrets.token_hex(8)}".encode(), digest_size=16).hexdigest()


class _Session:
    def __init__(self, scenario: Scenario, stack: EmbeddedStack, clock: FakeClock, timeout_s: float):
        if stack.standin is None:
            raise TurnError("local runs need the LINE stand-in")
        self.scenario = scenario
        self.stack = stack
        self.standin: LineStandin = stack.standin
        self.clock = clock
        self.timeout_s = timeout_s
        self.user_id = scenario_user_id(scenario.name)
        settings = stack.settings
        self.driver = WebhookDriver(
            stack.url + "/callback", settings.line_channel_secret, self.standin, clock=clock, timeout_s=timeout_s
        )
        self.prompts = PromptBook(settings.extra.get("prompts_dir"))
        self.store = StateStore(stack.runtime.redis, idle_ttl_s=settings.dialogue_idle_timeout_s, clock=clock)
        self.conv_key = self.store.key(self.user_id, self.user_id)
        self.seen = len(self.standin.delivered(self.user_id))
        self.last_messages: list[dict[str, Any]] = []
        self.last_event: dict[str, Any] | None = None
        self._api: OfficersApi | None = None

    # -- setup -----------------------------------------------------------------------------
    def setup(self) -> None:
        setup = self.scenario.setup
        if setup.clock:
            self.clock.start_at(setup.clock)
        self.standin.add_profile(self.user_id, setup.display_name, setup.language or "ja")
        if setup.profile is not None:
            fields = dict(setup.profile)
            fields.setdefault("language", language_for(setup.language or "ja"))
            ProfileStore(self.stack.runtime.redis).save(self.user_id, Profile(**fields))
        for row in setup.shelter_statuses:
            self._set_status(row)

    def _set_status(self, row: Any) -> None:
        try:
            from evacuation.status import set_status
        except ImportError:
            raise Unsupported("shelter statuses are not in this version of Sonae yet") from None
        set_status(
            self.stack.runtime.engine,
            str(row["site"]),
            status=str(row["status"]),
            crowding=row.get("crowding"),
            head_count=row.get("head_count"),
            author="scenario",
            note=str(row.get("note", "")),
        )

    # -- turns -----------------------------------------------------------------------------
    def play(self, index: int, step: Step) -> TurnResult:
        turn = TurnResult(index, step.line, step.describe(), _KINDS.get(step.action))
        turn.state_before = self._state()[0]
        ctx = CheckContext(self.prompts, safety_now=self._safety, profile_now=self._profile)
        try:
            if any(k in step.expect for k in _REPORT_KEYS):
                ctx.reports_before = self.api().reports()
                ctx.reports_now = lambda: self.api().reports()
            if step.action == "wait":
                self.clock.advance(parse_duration(str(step.value)))
            elif step.action == "safety_check":
                self._safety_check(step.value, turn)
            else:
                self._send(step, turn)
        except TurnError as exc:
            turn.error = str(exc)
            return turn
        except Unsupported as exc:
            turn.unsupported.append(str(exc))
            return turn
        turn.state_after, turn.slots_after = self._state()
        turn.fallback = self.prompts.fallback(turn.messages)
        for key, expected in step.expect.items():
            try:
                mismatches = CHECKS[key](expected, turn, ctx)
            except Unsupported as exc:
                turn.unsupported.append(f"{key}: {exc}")
                continue
            turn.problems.extend(Problem(key, e, a, step.expect_lines.get(key, step.line)) for e, a in mismatches)
        return turn

    def _send(self, step: Step, turn: TurnResult) -> None:
        event = self._event(step, turn)
        redis = self.stack.runtime.redis
        dead_before = int(redis.xlen("sonae:dead"))
        started = time.monotonic()
        turn.http_status = self.driver.send(event)
        if turn.http_status == 200:
            self._await(event, step.action == "redeliver", dead_before)
            turn.latency_s = time.monotonic() - started
        delivered = self.standin.delivered(self.user_id)
        turn.messages, self.seen = delivered[self.seen :], len(delivered)
        self.last_event = event
        if turn.messages:
            self.last_messages = turn.messages

    def _safety_check(self, value: Any, turn: TurnResult) -> None:
        """The municipality asks this resident 「ご無事ですか？」 (a push, not an answer to an event)."""
        try:
            from bot.campaigns import send_safety_check
        except ImportError:
            raise Unsupported("safety checks are not in this version of Sonae yet") from None
        started = time.monotonic()
        campaign, title = str(value["campaign"]), str(value.get("title", ""))
        sent = send_safety_check(self.stack.runtime, [self.user_id], campaign, title)
        turn.latency_s = time.monotonic() - started
        if sent.asked != 1:
            raise TurnError("the safety check was not delivered")
        delivered = self.standin.delivered(self.user_id)
        turn.messages, self.seen = delivered[self.seen :], len(delivered)
        self.last_messages = turn.messages or self.last_messages

    def _event(self, step: Step, turn: TurnResult) -> dict[str, Any]:
        d, user, value = self.driver, self.user_id, step.value
        match step.action:
            case "say":
                return d.build_text(user, str(value))
            case "location":
                return d.build_location(user, value["lat"], value["lon"], title=value.get("title"),
                                        address=value.get("address"))  # fmt: skip
            case "image":
                return d.build_image(user, PHOTO)
            case "sticker":
                return sticker_event(d, user)
            case "postback":
                return d.build_postback(user, str(value))
            case "tap":
                return self._tap(str(value), turn)
            case "follow":
                return d.build_follow(user)
            case "unfollow":
                return d.build_unfollow(user)
            case "redeliver":
                if self.last_event is None:
                    raise TurnError("redeliver: there is no previous event")
                return d.redeliver(self.last_event)
        raise TurnError(f"unknown action {step.action}")

    def _tap(self, label: str, turn: TurnResult) -> dict[str, Any]:
        actions = quick_replies(self.last_messages)
        for action in actions:
            if action.get("label") != label:
                continue
            if action.get("type") == "postback":
                turn.kind = "postback"
                return self.driver.build_postback(self.user_id, str(action["data"]))
            if action.get("type") == "message":
                turn.kind = "text"
                return self.driver.build_text(self.user_id, str(action.get("text", label)))
            raise TurnError(f"tap: {label!r} opens LINE's {action.get('type')} picker; use a `location:` turn")
        offered = [a.get("label") for a in actions]
        raise TurnError(f"tap: no quick reply {label!r} on the previous answer; offered {offered}")

    def _await(self, event: dict[str, Any], redelivery: bool, dead_before: int) -> None:
        """Until the worker has delivered this event's answer (or, for a redelivery, the queue is empty)."""
        runtime = self.stack.runtime
        sent = f"sonae:sent:{event['webhookEventId']}"
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if redelivery and runtime.queue.backlog() == 0:
                time.sleep(0.05)  # a duplicate that slipped through would be queued by now
                if runtime.queue.backlog() == 0:
                    return
            elif not redelivery and runtime.redis.exists(sent):
                return
            if int(runtime.redis.xlen("sonae:dead")) > dead_before:
                raise TurnError("the event crashed the worker (it was moved to sonae:dead; see the logs)")
            time.sleep(0.005)
        raise TurnError(f"no answer within {self.timeout_s:.0f} s")

    # -- reading back ------------------------------------------------------------------------
    def _state(self) -> tuple[str | None, dict[str, Any] | None]:
        conv = self.store.load(self.conv_key)
        return conv.state, dict(conv.slots)

    def api(self) -> OfficersApi:
        if self._api is None:
            from reports_api import create_token

            token = create_token(self.stack.runtime.engine, "viewer", label="scenario evaluator")
            self._api = OfficersApi(self.stack.url, token)
        return self._api

    def _profile(self) -> dict[str, Any] | None:
        stored = ProfileStore(self.stack.runtime.redis).load(self.user_id)
        return None if stored is None else dataclasses.asdict(stored)

    def _safety(self) -> list[dict[str, Any]]:
        return safety_answers(self.stack.runtime.engine, self.stack.settings.pseudonym_key, self.user_id)


def play_scenario(
    scenario: Scenario, stack: EmbeddedStack, clock: FakeClock, *, timeout_s: float = 30.0
) -> ScenarioResult:
    """Run every turn of ``scenario`` on ``stack`` (whose runtime uses ``clock``); never raises."""
    result = ScenarioResult(scenario.name, scenario.path, scenario.line, scenario.tags)
    started = time.monotonic()
    try:
        session = _Session(scenario, stack, clock, timeout_s)
        session.setup()
    except Unsupported as exc:
        result.outcome, result.reason = Outcome.UNSUPPORTED, str(exc)
    except Exception as exc:
        log.warning("scenario setup failed: %s", type(exc).__name__)
        result.outcome, result.reason = Outcome.ERROR, f"setup: {type(exc).__name__}: {exc}"
    else:
        for index, step in enumerate(scenario.steps, 1):
            try:
                turn = session.play(index, step)
            except Exception as exc:  # a bug in the bot or the runner: report it, do not hide it
                turn = TurnResult(index, step.line, step.describe(), None, error=f"{type(exc).__name__}: {exc}")
            result.turns.append(turn)
            if turn.error or (turn.unsupported and turn.state_after is None):  # the action itself could not run
                break
    result.duration_s = time.monotonic() - started
    result.settle()
    return result
