"""Fault injection: errors, rate limits and slow answers, as the SDK sees them."""

from __future__ import annotations

import json
import uuid

import pytest
import urllib3
from linebot.v3.messaging import (
    ApiException,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ServiceException

from bot.standin import LineStandin

PUSH = "/v2/bot/message/push"


def _push(api: MessagingApi, key: str, text: str = "x") -> None:
    api.push_message(PushMessageRequest(to="U1", messages=[TextMessage(text=text)]), key)


def test_500_then_200_delivers_once(standin: LineStandin, api: MessagingApi) -> None:
    standin.inject(PUSH, 500)
    key = str(uuid.uuid4())
    with pytest.raises(ServiceException) as err:
        _push(api, key)
    assert json.loads(err.value.body) == {"message": "Internal Server Error"}
    assert standin.delivered("U1") == []
    _push(api, key)  # the retry with the same key goes through
    assert [c.status for c in standin.calls_to(PUSH)] == [500, 200]
    assert len(standin.delivered("U1")) == 1


def test_lost_answer_then_retry_is_409(standin: LineStandin, api: MessagingApi) -> None:
    standin.inject(PUSH, 503, deliver=True)
    key = str(uuid.uuid4())
    with pytest.raises(ServiceException):
        _push(api, key)
    with pytest.raises(ApiException) as err:
        _push(api, key)
    assert err.value.status == 409
    assert len(standin.delivered("U1")) == 1


def test_fault_applies_only_under_its_prefix_and_only_times_times(standin: LineStandin, api: MessagingApi) -> None:
    standin.inject("/v2/bot/message/multicast", 500)
    standin.inject(PUSH, 500, times=2)
    for _ in range(2):
        with pytest.raises(ServiceException):
            _push(api, str(uuid.uuid4()))
    _push(api, str(uuid.uuid4()))
    assert len(standin.delivered("U1")) == 1


def test_429_with_retry_after_on_push(standin: LineStandin, api: MessagingApi) -> None:
    standin.inject(PUSH, 429, retry_after=7)
    with pytest.raises(ApiException) as err:
        _push(api, str(uuid.uuid4()))
    assert err.value.status == 429
    assert err.value.headers["Retry-After"] == "7"
    assert json.loads(err.value.body) == {"message": "Too Many Requests"}
    assert standin.delivered("U1") == []


def test_urllib3_inside_the_sdk_retries_a_get_that_has_retry_after(standin: LineStandin, api: MessagingApi) -> None:
    # A quirk to know: urllib3's default Retry (3 attempts) honours Retry-After on 413/429/503
    # for idempotent methods, so GETs are retried transparently. POSTs never are.
    standin.add_profile("U1", "避難者")
    standin.inject("/v2/bot/profile/", 429, retry_after=0)
    assert api.get_profile("U1").display_name == "避難者"
    assert [c.status for c in standin.calls_to("/v2/bot/profile/")] == [429, 200]


def test_slow_answer_times_out_in_the_client_but_is_delivered(standin: LineStandin, api: MessagingApi) -> None:
    standin.slow("/v2/bot/message/reply", 1.0)
    request = ReplyMessageRequest(reply_token=standin.issue_reply_token("U1"), messages=[TextMessage(text="遅い")])
    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        api.reply_message(request, _request_timeout=0.2)
    assert standin.wait_for_delivered("U1", 1, timeout=10) == [{"type": "text", "text": "遅い"}]
