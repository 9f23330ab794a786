"""The stand-in answers the real line-bot-sdk the way the LINE platform does."""

from __future__ import annotations

import http.client
import json
import uuid

import pytest
from linebot.v3.messaging import (
    ApiException,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import NotFoundException, UnauthorizedException

from bot.standin import LineStandin
from tests.unit.standin.conftest import TOKEN, FakeClock


def _reply(api: MessagingApi, token: str, text: str) -> None:
    api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text=text)]))


def test_reply_token_works_once_and_delivers_to_its_chat(standin: LineStandin, api: MessagingApi) -> None:
    token = standin.issue_reply_token("Cgroup1")
    _reply(api, token, "こんにちは")
    with pytest.raises(ApiException) as err:
        _reply(api, token, "again")
    assert err.value.status == 400
    assert json.loads(err.value.body) == {"message": "Invalid reply token"}
    assert standin.delivered("Cgroup1") == [{"type": "text", "text": "こんにちは"}]


def test_expired_and_unknown_reply_tokens_are_rejected(
    standin: LineStandin, api: MessagingApi, clock: FakeClock
) -> None:
    token = standin.issue_reply_token("U1")
    clock.advance(60.5)
    for bad in (token, "never-issued"):
        with pytest.raises(ApiException) as err:
            _reply(api, bad, "late")
        assert err.value.status == 400
    assert standin.delivered("U1") == []


def test_reply_answers_sent_messages(standin: LineStandin, api: MessagingApi) -> None:
    response = api.reply_message(
        ReplyMessageRequest(
            reply_token=standin.issue_reply_token("U1"),
            messages=[TextMessage(text="a"), TextMessage(text="b")],
        )
    )
    assert len(response.sent_messages) == 2
    assert response.sent_messages[0].quote_token


def test_push_with_a_repeated_retry_key_is_409_and_delivers_once(standin: LineStandin, api: MessagingApi) -> None:
    key = str(uuid.uuid4())
    request = PushMessageRequest(to="U1", messages=[TextMessage(text="避難所が開きました")])
    first = api.push_message_with_http_info(request, x_line_retry_key=key)
    assert first.status_code == 200
    with pytest.raises(ApiException) as err:
        api.push_message(request, x_line_retry_key=key)
    assert err.value.status == 409
    assert json.loads(err.value.body)["message"] == "The retry key is already accepted"
    accepted = err.value.headers["x-line-accepted-request-id"]
    assert accepted == first.headers["x-line-request-id"]
    assert standin.delivered("U1") == [{"type": "text", "text": "避難所が開きました"}]
    sent = [c for c in standin.calls_to("/v2/bot/message/push")]
    assert [c.status for c in sent] == [200, 409]
    assert sent[0].headers["x-line-retry-key"] == key


def test_retry_key_must_be_a_uuid(standin: LineStandin, api: MessagingApi) -> None:
    request = PushMessageRequest(to="U1", messages=[TextMessage(text="x")])
    with pytest.raises(ApiException) as err:
        api.push_message(request, x_line_retry_key="not-a-uuid")
    assert err.value.status == 400
    assert standin.delivered("U1") == []


def test_multicast_delivers_to_every_recipient_once_per_key(standin: LineStandin, api: MessagingApi) -> None:
    key = str(uuid.uuid4())
    request = MulticastRequest(to=["U1", "U2"], messages=[TextMessage(text="警報")])
    api.multicast(request, x_line_retry_key=key)
    with pytest.raises(ApiException) as err:
        api.multicast(request, x_line_retry_key=key)
    assert err.value.status == 409
    assert standin.delivered("U1") == standin.delivered("U2") == [{"type": "text", "text": "警報"}]


def test_wait_for_delivered_blocks_until_enough_messages(standin: LineStandin, api: MessagingApi) -> None:
    api.push_message(PushMessageRequest(to="U1", messages=[TextMessage(text="1")]))
    assert len(standin.wait_for_delivered("U1", 1, timeout=10)) == 1
    with pytest.raises(TimeoutError):
        standin.wait_for_delivered("U1", 2, timeout=0.05)


def test_content_download_through_the_blob_api(standin: LineStandin, blob_api: MessagingApiBlob) -> None:
    standin.add_content("100001", b"\xff\xd8\xff\xe0jpeg", "image/jpeg")
    assert bytes(blob_api.get_message_content("100001")) == b"\xff\xd8\xff\xe0jpeg"
    with pytest.raises(NotFoundException):
        blob_api.get_message_content("999")


def test_profile(standin: LineStandin, api: MessagingApi) -> None:
    standin.add_profile("U1", "山田 太郎", language="ja")
    profile = api.get_profile("U1")
    assert (profile.user_id, profile.display_name, profile.language) == ("U1", "山田 太郎", "ja")
    with pytest.raises(NotFoundException):
        api.get_profile("U404")


def test_loading_animation(standin: LineStandin, api: MessagingApi) -> None:
    api.show_loading_animation(ShowLoadingAnimationRequest(chat_id="U1", loading_seconds=10))
    odd = ShowLoadingAnimationRequest.construct(chat_id="U1", loading_seconds=7)
    with pytest.raises(ApiException) as err:
        api.show_loading_animation(odd)
    assert err.value.status == 400
    assert json.loads(err.value.body)["details"][0]["property"] == "loadingSeconds"
    assert standin.loading_calls("U1") == [10]
    assert standin.calls_to("/v2/bot/chat/loading")[0].status == 202


def test_wrong_access_token_is_401(standin: LineStandin, wrong_token_api: MessagingApi) -> None:
    with pytest.raises(UnauthorizedException) as err:
        wrong_token_api.push_message(PushMessageRequest(to="U1", messages=[TextMessage(text="x")]))
    assert json.loads(err.value.body)["message"].startswith("Authentication failed.")
    assert standin.delivered("U1") == []
    assert standin.calls[0].headers["authorization"] == "Bearer ***"


def _raw(standin: LineStandin, method: str, path: str, body: bytes | None) -> tuple[int, dict]:
    host, port = standin.base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_unknown_path_and_malformed_json(standin: LineStandin) -> None:
    assert _raw(standin, "GET", "/v2/bot/nothing", None)[0] == 404
    status, body = _raw(standin, "POST", "/v2/bot/message/push", b"{not json")
    assert status == 400
    assert "message" in body
    assert standin.calls[-1].body is None


def test_clear_forgets_calls_and_deliveries(standin: LineStandin, api: MessagingApi) -> None:
    api.push_message(PushMessageRequest(to="U1", messages=[TextMessage(text="x")]))
    standin.clear()
    assert standin.calls == []
    assert standin.delivered("U1") == []
