"""A whole round trip: driver -> a tiny bot using the real SDK -> the stand-in.

This is the shape of the project's end-to-end tests, with ``EchoBot`` standing in for
the Sonae app built by ``create_app``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    MessagingApi,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)
from linebot.v3.webhooks import MessageEvent, TextMessageContent, UserSource
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from bot.standin import LineStandin, LineUser, WebhookDriver
from tests.unit.standin.conftest import SECRET


class EchoBot:
    """Checks the signature, shows the loading animation and echoes text by reply."""

    def __init__(self, api: MessagingApi) -> None:
        self.parser = WebhookParser(SECRET)
        self.api = api

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        signature = request.headers.get("x-line-signature", "")
        try:
            events = self.parser.parse(request.get_data(as_text=True), signature)
        except InvalidSignatureError:
            return Response("bad signature", 400)(environ, start_response)
        for event in events:
            if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
                if isinstance(event.source, UserSource):
                    loading = ShowLoadingAnimationRequest(chat_id=event.source.user_id)
                    self.api.show_loading_animation(loading)
                answer = TextMessage(text=f"echo: {event.message.text}")
                self.api.reply_message(ReplyMessageRequest(reply_token=event.reply_token, messages=[answer]))
        return Response("OK")(environ, start_response)


@pytest.fixture
def bot_url(api_client: ApiClient) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, EchoBot(MessagingApi(api_client)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/callback"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def driver(bot_url: str, standin: LineStandin) -> WebhookDriver:
    return WebhookDriver(bot_url, SECRET, standin)


def test_user_says_something_and_gets_an_answer(driver: WebhookDriver, standin: LineStandin) -> None:
    assert driver.send(driver.build_text("U1", "給水所はどこ？")) == 200
    replies = standin.wait_for_delivered("U1", 1, timeout=10)
    assert replies == [{"type": "text", "text": "echo: 給水所はどこ？"}]
    assert standin.loading_calls("U1") == [20]


def test_group_answers_go_to_the_group(driver: WebhookDriver, standin: LineStandin) -> None:
    assert driver.send(driver.build_text("U1", "hi", group_id="Cg1", mention_bot="そなえ")) == 200
    assert standin.wait_for_delivered("Cg1", 1)[0]["text"] == "echo: @そなえ hi"
    assert standin.delivered("U1") == []


def test_bad_or_missing_signature_is_refused(driver: WebhookDriver, standin: LineStandin) -> None:
    body = driver.body(driver.build_text("U1", "hi"))
    assert driver.post(body, signature="AAAA")[0] == 400
    assert driver.post(body, signature=None)[0] == 400
    assert driver.post(body) == (200, "OK")
    assert len(standin.wait_for_delivered("U1", 1)) == 1


def test_line_user_reads_like_a_conversation(driver: WebhookDriver, standin: LineStandin) -> None:
    user = LineUser(driver, standin, "U7")
    assert user.says("こんにちは") == [{"type": "text", "text": "echo: こんにちは"}]
    assert [m["text"] for m in user.says("水")] == ["echo: 水"]
    in_group = LineUser(driver, standin, "U8", group_id="Cg2")
    assert in_group.says("hi")[0]["text"] == "echo: hi"
    with pytest.raises(TimeoutError):
        LineUser(driver, standin, "U9", timeout_s=0.2).sends_location(35.0, 139.0)
