"""Safety-check campaigns (安否確認): ask residents 「ご無事ですか？」 and wait for their answers.

Each resident gets the question in their language, pushed with a deterministic retry key
(so re-running a campaign never asks twice), and their conversation is put in SAFETY_ASK so
a typed answer is understood as well as a tap.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from bot.outbound import DeliveryFailed
from bot.render import render
from bot.runtime import Runtime
from dialogue.engine import REPORT_STATES, normalise_words
from dialogue.flow import State
from dialogue.flows.safety import safety_question
from dialogue.profile import Profile
from dialogue.prompts import load_prompts

__all__ = ["CampaignResult", "send_safety_check"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CampaignResult:
    asked: int
    failed: int


def send_safety_check(runtime: Runtime, user_ids: Iterable[str], campaign_id: str, title: str) -> CampaignResult:
    processor = runtime.processor()
    asked = failed = 0
    for user_id in user_ids:
        profile = processor.profiles.load(user_id) or Profile()
        p = load_prompts(profile.language, processor.engine.prompts_dir)
        question = safety_question(p, campaign_id, title)
        key = processor.store.key(user_id, user_id)
        conv = processor.store.load(key)
        if conv.state in REPORT_STATES:  # keep a half-written report to resume afterwards
            conv.suspended = {"state": conv.state, "slots": dict(conv.slots)}
        conv.state = State.SAFETY_ASK.value
        conv.slots = {"campaign": campaign_id, "title": title}
        conv.offered = {normalise_words(q.label): q.value for q in question.quick_replies}
        event_id = f"campaign:{campaign_id}:{user_id}"
        processor.store.commit(key, conv, event_id, render((question,), p))
        try:
            processor.sender.deliver(user_id, None, render((question,), p), event_id)
            asked += 1
        except DeliveryFailed:
            failed += 1
            log.warning("safety check not delivered to one resident")
    return CampaignResult(asked, failed)
