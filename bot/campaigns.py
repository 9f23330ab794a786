"""Safety-check campaigns (安否確認): ask residents 「ご無事ですか？」 and wait for their answers.

Each resident gets the question in their language, pushed with a deterministic retry key;
a resident already asked in this campaign is not asked again. Only after LINE accepted the
question is the conversation put in SAFETY_ASK (so a typed answer is understood), under the
resident's shard lease so no worker applies their messages at the same moment. The answer
buttons work from any state, so a resident is never stuck if that step fails.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.outbound import DeliveryFailed
from bot.render import render
from bot.runtime import Runtime
from dialogue.engine import REPORT_STATES, normalise_words
from dialogue.flow import State
from dialogue.flows.safety import safety_question
from dialogue.messages import QuickReply
from dialogue.prompts import load_prompts

__all__ = ["CampaignResult", "send_safety_check"]

log = logging.getLogger(__name__)
LEASE_MS = 30_000


@dataclass(frozen=True)
class CampaignResult:
    asked: int
    already_asked: int
    failed: int


def send_safety_check(runtime: Runtime, user_ids: Iterable[str], campaign_id: str, title: str) -> CampaignResult:
    processor = runtime.processor()
    asked = already = failed = 0
    for user_id in user_ids:
        event_id = f"campaign:{campaign_id}:{user_id}"
        if processor.store.applied(event_id) is not None:
            already += 1
            continue
        profile = processor.profiles.load(user_id)
        language = profile.language if profile else "ja"
        p = load_prompts(language, processor.engine.prompts_dir)
        question = safety_question(p, campaign_id, title)
        outbox = render((question,), p)
        try:
            how = processor.sender.deliver(user_id, None, outbox, event_id)
        except DeliveryFailed:
            how = "failed"
        if how not in ("push", "reply"):
            failed += 1
            log.warning("safety check not delivered to one resident (%s)", how)
            continue
        asked += 1
        _enter_safety_ask(runtime, user_id, campaign_id, title, question.quick_replies, event_id, outbox)
    return CampaignResult(asked, already, failed)


def _enter_safety_ask(
    runtime: Runtime,
    user_id: str,
    campaign_id: str,
    title: str,
    replies: tuple[QuickReply, ...],
    event_id: str,
    outbox: list[dict[str, Any]],
) -> None:
    """Put the conversation in SAFETY_ASK while holding the resident's shard lease."""
    processor = runtime.processor()
    queue = runtime.queue
    shard = queue.shard_of(user_id)
    owner = f"campaign:{campaign_id}"
    deadline = time.monotonic() + 10
    while not queue.acquire(shard, owner, LEASE_MS):
        if time.monotonic() > deadline:
            log.warning("shard busy; the resident can still answer with the buttons")
            processor.store.mark_applied(event_id, outbox)
            return
        time.sleep(0.05)
    try:
        key = processor.store.key(user_id, user_id)
        conv = processor.store.load(key)
        if conv.state in REPORT_STATES:  # keep a half-written report to resume afterwards
            conv.suspended = {"state": conv.state, "slots": dict(conv.slots)}
        conv.state = State.SAFETY_ASK.value
        conv.slots = {"campaign": campaign_id, "title": title}
        conv.offered = {normalise_words(q.label): q.value for q in replies}
        processor.store.commit(key, conv, event_id, outbox)
    finally:
        queue.release(shard, owner)
