"""Outbound delivery through the real line-bot-sdk to the LINE stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.outbound import DeliveryFailed, LineSender, retry_key_for
from bot.standin import LineStandin

TOKEN = "outbound-test-token"
HELLO = [{"type": "text", "text": "こんにちは"}]


@pytest.fixture
def standin() -> Iterator[LineStandin]:
    with LineStandin(TOKEN) as running:
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def sender(standin: LineStandin, sleeps: list[float]) -> LineSender:
    return LineSender(standin.base_url, standin.base_url, TOKEN, timeout_s=2.0, sleep=sleeps.append)


def test_a_fresh_reply_token_is_used(standin: LineStandin, sender: LineSender) -> None:
    token = standin.issue_reply_token("U1")
    assert sender.deliver("U1", token, HELLO, "E1") == "reply"
    assert standin.delivered("U1") == HELLO
    assert not standin.calls_to("/v2/bot/message/push")


def test_without_a_token_the_answer_is_pushed_with_a_deterministic_retry_key(
    standin: LineStandin, sender: LineSender
) -> None:
    assert sender.deliver("U1", None, HELLO, "E2") == "push"
    assert sender.deliver("U1", None, HELLO, "E2") == "push"  # a re-run: LINE answers 409
    [first, second] = standin.calls_to("/v2/bot/message/push")
    assert first.headers["x-line-retry-key"] == second.headers["x-line-retry-key"] == retry_key_for("E2")
    assert second.status == 409
    assert standin.delivered("U1") == HELLO  # delivered once


def test_a_used_reply_token_falls_back_to_push(standin: LineStandin, sender: LineSender) -> None:
    token = standin.issue_reply_token("U1")
    sender.deliver("U1", token, HELLO, "E3")
    assert sender.deliver("U1", token, [{"type": "text", "text": "2"}], "E4") == "push"
    assert [m["text"] for m in standin.delivered("U1")] == ["こんにちは", "2"]


def test_429_and_5xx_are_retried_with_backoff(standin: LineStandin, sender: LineSender, sleeps: list[float]) -> None:
    standin.inject("/v2/bot/message/push", 429, times=1, retry_after=3)
    standin.inject("/v2/bot/message/push", 500, times=1)
    assert sender.deliver("U1", None, HELLO, "E5") == "push"
    assert sleeps == [3.0, 1.0]  # Retry-After honoured, then doubling backoff
    assert standin.delivered("U1") == HELLO


def test_other_4xx_are_never_retried(standin: LineStandin, sender: LineSender, sleeps: list[float]) -> None:
    too_long = [{"type": "text", "text": "あ" * 5001}]
    assert sender.deliver("U1", None, too_long, "E6") == "rejected"
    assert len(standin.calls_to("/v2/bot/message/push")) == 1
    assert sleeps == []


def test_a_line_outage_raises_so_the_event_stays_queued(standin: LineStandin, sender: LineSender) -> None:
    standin.inject("/v2/bot/message/push", 503, times=10)
    with pytest.raises(DeliveryFailed):
        sender.deliver("U1", None, HELLO, "E7")
    assert len(standin.calls_to("/v2/bot/message/push")) == sender.attempts


def test_every_call_has_a_timeout(standin: LineStandin) -> None:
    quick = LineSender(standin.base_url, standin.base_url, TOKEN, timeout_s=0.2, attempts=2, sleep=lambda _s: None)
    standin.slow("/v2/bot/message/push", 1.0, times=5)
    with pytest.raises(DeliveryFailed):
        quick.deliver("U1", None, HELLO, "E8")


def test_loading_animation_and_content_download(standin: LineStandin, sender: LineSender) -> None:
    sender.show_loading("U1", seconds=20)
    assert standin.loading_calls("U1") == [20]
    standin.add_content("m1", b"\xff\xd8jpeg", "image/jpeg")
    assert sender.content("m1") == b"\xff\xd8jpeg"


def test_a_reply_that_reached_line_without_an_answer_is_not_pushed_again(
    standin: LineStandin, sender: LineSender
) -> None:
    standin.inject("/v2/bot/message/reply", 500, times=1, deliver=True)  # LINE took it, the answer was lost
    token = standin.issue_reply_token("U1")
    assert sender.deliver("U1", token, HELLO, "E9") == "reply"
    assert standin.delivered("U1") == HELLO  # once
    assert not standin.calls_to("/v2/bot/message/push")
