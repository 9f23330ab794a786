"""Applying one queued webhook event: dialogue step, stored effects, then the answer.

Effects are stored before anything is sent: the report (idempotent by event id),
then the conversation together with the applied-event record holding the
rendered answer. A re-processed event skips straight to sending that answer,
which LINE deduplicates by its retry key.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from bot.outbound import LineSender
from bot.render import render
from bot.translate import to_incoming
from dialogue import ChatType, DialogueEngine, EventKind, Incoming, StateStore, Text
from dialogue.profile import Profile, ProfileStore, language_for
from dialogue.prompts import load_prompts

__all__ = ["Processor"]

log = logging.getLogger(__name__)


class Processor:
    def __init__(
        self,
        engine: DialogueEngine,
        store: StateStore,
        profiles: ProfileStore,
        sender: LineSender,
        reply_token_max_age_s: float = 50.0,
        loading_after_s: float = 1.0,
        clock: Callable[[], float] = time.time,
    ):
        self.engine = engine
        self.store = store
        self.profiles = profiles
        self.sender = sender
        self.reply_token_max_age_s = reply_token_max_age_s
        self.loading_after_s = loading_after_s
        self.clock = clock

    def process(self, payload: dict[str, Any]) -> str:
        """Apply one event; returns how the answer went out. Raises DeliveryFailed to retry later."""
        event = to_incoming(payload)
        if event.kind is EventKind.OTHER:
            log.info("event of unhandled type %s", event.other_type)
            if not (event.other_type or "").startswith("message/"):
                return "nothing"  # unsend, beacon, videoPlayComplete...: nothing the resident said
        outbox = self.store.applied(event.event_id)
        if outbox is None:
            outbox = self._apply(event)
        elif self.store.was_sent(event.event_id):
            log.info("event already applied and answered")
            return "already-sent"
        else:
            log.info("event already applied; sending its answer now")
        age_s = self.clock() - event.timestamp_ms / 1000
        token = event.reply_token if age_s < self.reply_token_max_age_s else None
        how = self.sender.deliver(event.chat_id, token, outbox, event.event_id)
        self.store.mark_sent(event.event_id)
        return how

    def _apply(self, event: Incoming) -> list[dict[str, Any]]:
        if event.chat_type is not ChatType.USER:
            return self._apply_group(event)
        key = self.store.key(event.chat_id, event.user_id)
        conv = self.store.load(key)
        profile = self.profiles.load(event.user_id)
        is_new = profile is None
        if profile is None:
            profile = Profile(language=language_for(self.sender.profile_language(event.user_id)))
        timer = threading.Timer(self.loading_after_s, self.sender.show_loading, args=(event.chat_id,))
        timer.daemon = True
        timer.start()
        try:
            outcome = self.engine.handle(event, conv, profile)
        finally:
            timer.cancel()
        language = (outcome.profile or profile).language
        outbox = render(outcome.messages, load_prompts(language, self.engine.prompts_dir))
        changed = outcome.profile or (profile if is_new else None)

        def profile_writes(pipe: Any) -> None:
            if outcome.forget_profile:
                self.profiles.forget(event.user_id, pipe)
            elif changed is not None:
                self.profiles.save(event.user_id, changed, pipe)
            else:
                self.profiles.touch(event.user_id, pipe)  # a registration lives while it is used

        self.store.commit(key, outcome.conversation, event.event_id, outbox, also=profile_writes)
        return outbox

    def apologise(self, payload: dict[str, Any]) -> None:
        """Tell the resident we failed (an event that keeps crashing), rather than stay silent."""
        try:
            event = to_incoming(payload)
            if event.chat_type is not ChatType.USER or not event.chat_id:
                return
            profile = self.profiles.load(event.user_id)
            p = load_prompts(profile.language if profile else "ja", self.engine.prompts_dir)
            outbox = render((Text(p.t("internal_error")),), p)
            self.sender.deliver(event.chat_id, None, outbox, f"{event.event_id}:error")
        except Exception as exc:  # best effort: the event is already kept in the dead-letter stream
            log.warning("could not send the apology: %s", exc.__class__.__name__)

    def _apply_group(self, event: Incoming) -> list[dict[str, Any]]:
        """Groups and rooms: answer only when addressed, and never with personal data."""
        addressed = event.mentioned or event.kind is EventKind.POSTBACK
        outbox: list[dict[str, Any]] = []
        if addressed:
            p = load_prompts("ja", self.engine.prompts_dir)
            outbox = render((Text(p.t("group_private")),), p)
        self.store.mark_applied(event.event_id, outbox)
        return outbox
