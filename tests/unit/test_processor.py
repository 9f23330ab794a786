"""Applying one event: stored once, answered once, groups kept private, loading shown when slow."""

from __future__ import annotations

import time
from collections.abc import Iterator

import fakeredis
import pytest

from bot.outbound import LineSender
from bot.processor import Processor
from bot.standin import LineStandin, WebhookDriver
from dialogue import DialogueEngine, Place, ReportDraft, SavedReportRef, Services, ShelterAnswer, StateStore
from dialogue.ports import SafetyRecord
from dialogue.profile import ProfileStore
from nlp import Location, NluResult

TOKEN = "processor-test-token"


class Fakes:
    """Stand-ins for the NLU, report storage and shelter search, recording calls."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.saved: list[ReportDraft] = []
        self.safety: list[SafetyRecord] = []
        self.delay_s = delay_s

    def understand(self, text: str) -> NluResult:
        time.sleep(self.delay_s)
        if "冠水" in text:
            station = Location("藤沢駅", 0, 3, "station", "藤沢市", "14205", 35.3387, 139.487)
            return NluResult("report", ("flooding",), locations=(station,))
        return NluResult("other")

    def save_report(self, draft: ReportDraft) -> SavedReportRef:
        self.saved.append(draft)
        return SavedReportRef(f"R-{len(self.saved):06d}")

    def find_shelters(
        self, lat: float, lon: float, hazard: str | None, language: str, *, slow_walker: bool = False
    ) -> ShelterAnswer:
        return ShelterAnswer((), "2025-10-27", problem="none")

    def locate(self, lat: float, lon: float) -> Place:
        return Place(lat, lon, source="line_location")

    def record_safety(self, record: SafetyRecord) -> None:
        self.safety.append(record)

    def services(self) -> Services:
        return Services(
            self.understand, self.save_report, self.find_shelters, self.locate, self.record_safety, self.store_photo
        )

    def store_photo(self, message_id: str) -> bool:
        return True


@pytest.fixture
def standin() -> Iterator[LineStandin]:
    with LineStandin(TOKEN) as running:
        yield running


def make(standin: LineStandin, fakes: Fakes, loading_after_s: float = 5.0) -> Processor:
    client = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    sender = LineSender(standin.base_url, standin.base_url, TOKEN, timeout_s=2.0)
    return Processor(
        DialogueEngine(fakes.services()),
        StateStore(client),
        ProfileStore(client),
        sender,
        loading_after_s=loading_after_s,
    )


def test_an_event_processed_twice_is_applied_and_answered_once(standin: LineStandin) -> None:
    fakes = Fakes()
    processor = make(standin, fakes)
    driver = WebhookDriver("http://127.0.0.1:1/callback", "s", standin)
    report = driver.build_text("U1", "藤沢駅が冠水")
    processor.process(report)
    send = driver.build_postback("U1", "a=send")
    assert processor.process(send) == "reply"
    assert processor.process(send) == "already-sent"  # e.g. re-claimed after a crash before the ack
    assert len(fakes.saved) == 1
    assert fakes.saved[0].categories == ("flooding",)
    assert sum("受付番号" in str(m.get("text")) for m in standin.delivered("U1")) == 1


def test_group_messages_are_answered_only_when_addressed_and_never_with_personal_data(
    standin: LineStandin,
) -> None:
    fakes = Fakes()
    processor = make(standin, fakes)
    driver = WebhookDriver("http://127.0.0.1:1/callback", "s", standin)
    group = "C" + "9" * 32
    processor.process(driver.build_text("U1", "藤沢駅が冠水", group_id=group))
    assert standin.delivered(group) == []
    processor.process(driver.build_text("U1", "藤沢駅が冠水", group_id=group, mention_bot="そなえ"))
    [answer] = standin.delivered(group)
    assert "1対1" in answer["text"]
    assert fakes.saved == []


def test_slow_work_shows_the_loading_animation(standin: LineStandin) -> None:
    processor = make(standin, Fakes(delay_s=0.5), loading_after_s=0.05)
    driver = WebhookDriver("http://127.0.0.1:1/callback", "s", standin)
    processor.process(driver.build_text("U1", "藤沢駅が冠水"))
    assert standin.loading_calls("U1")


def test_fast_work_does_not(standin: LineStandin) -> None:
    processor = make(standin, Fakes(), loading_after_s=5.0)
    driver = WebhookDriver("http://127.0.0.1:1/callback", "s", standin)
    processor.process(driver.build_text("U1", "こんにちは"))
    assert standin.loading_calls("U1") == []


def test_a_stale_reply_token_is_not_used(standin: LineStandin) -> None:
    processor = make(standin, Fakes())
    driver = WebhookDriver("http://127.0.0.1:1/callback", "s", standin, clock=lambda: time.time() - 120)
    assert processor.process(driver.build_text("U1", "こんにちは")) == "push"
    assert not standin.calls_to("/v2/bot/message/reply")


@pytest.mark.slow
def test_the_shared_language_pipeline_is_never_entered_by_two_threads_at_once() -> None:
    """GiNZA's tokenizer raises "Already borrowed" when two threads use it at once."""
    import threading

    from bot.runtime import _pipeline_lock, shared_nlp
    from bot.wiring import Understander

    pipeline, gazetteer = shared_nlp()

    class Watched:
        """The real pipeline, recording how many threads are inside it at once."""

        def __init__(self) -> None:
            self.inside = 0
            self.most = 0
            self.guard = threading.Lock()

        def __call__(self, text: str) -> object:
            with self.guard:
                self.inside += 1
                self.most = max(self.most, self.inside)
            try:
                time.sleep(0.005)
                return pipeline(text)
            finally:
                with self.guard:
                    self.inside -= 1

        def __getattr__(self, name: str) -> object:
            return getattr(pipeline, name)

    watched = Watched()
    understanders = [Understander(watched, gazetteer, _pipeline_lock()) for _ in range(4)]

    def run(understand: Understander, worker: int) -> None:
        for n in range(10):
            understand(f"{worker}-{n}番地は停電はしていませんが、水が出ません。土砂崩れが心配です。")

    threads = [threading.Thread(target=run, args=(u, i)) for i, u in enumerate(understanders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert watched.most == 1


def test_events_that_are_not_messages_get_no_answer(standin: LineStandin) -> None:
    processor = make(standin, Fakes())
    driver = WebhookDriver("http://127.0.0.1:1/callback", "s", standin)
    unsend = {**driver.build_unfollow("U1"), "type": "unsend", "unsend": {"messageId": "1"}}
    assert processor.process(unsend) == "nothing"
    sticker = driver.build_text("U1", "x")
    sticker["message"] = {"type": "sticker", "id": "2", "packageId": "1", "stickerId": "1"}
    processor.process(sticker)
    [answer] = standin.delivered("U1")
    assert "対応していません" in answer["text"]  # a sticker is something the resident said
