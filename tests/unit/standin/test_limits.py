"""LINE's limits answer 400 with LINE's error shape.

The SDK's pydantic models already refuse some oversized requests (more than 5 messages,
more than 13 quick-reply items, more than 500 recipients) before any HTTP call, so those
requests are built with ``construct()``, which skips client-side validation.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from linebot.v3.messaging import (
    ApiException,
    CarouselColumn,
    CarouselTemplate,
    FlexBox,
    FlexBubble,
    FlexCarousel,
    FlexMessage,
    FlexText,
    MessageAction,
    MessagingApi,
    MulticastRequest,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    TemplateMessage,
    TextMessage,
)

from bot.standin import LineStandin
from bot.standin.limits import utf16_len


def _push_error(api: MessagingApi, messages: list[Any]) -> dict[str, Any]:
    with pytest.raises(ApiException) as err:
        api.push_message(PushMessageRequest.construct(to="U1", messages=messages))
    assert err.value.status == 400
    return json.loads(err.value.body)


def _bubble() -> FlexBubble:
    return FlexBubble(body=FlexBox(layout="vertical", contents=[FlexText(text="避難所")]))


def test_utf16_length_counts_surrogate_pairs_twice() -> None:
    assert utf16_len("避難") == 2
    assert utf16_len("😀") == 2


def test_six_messages(standin: LineStandin, api: MessagingApi) -> None:
    body = _push_error(api, [TextMessage(text=str(i)) for i in range(6)])
    assert body == {
        "message": "The request body has 1 error(s)",
        "details": [{"message": "Size must be between 1 and 5", "property": "messages"}],
    }
    assert standin.delivered("U1") == []


def test_text_limit_is_in_utf16_code_units(standin: LineStandin, api: MessagingApi) -> None:
    at_limit = "😀" * 2500  # 2,500 characters, 5,000 UTF-16 code units
    api.push_message(PushMessageRequest(to="U1", messages=[TextMessage(text=at_limit)]))
    body = _push_error(api, [TextMessage(text="ok"), TextMessage(text=at_limit + "a")])
    assert body["details"] == [{"message": "Length must be between 0 and 5000", "property": "messages[1].text"}]
    assert len(standin.delivered("U1")) == 1


def test_fourteen_quick_reply_items(api: MessagingApi) -> None:
    item = QuickReplyItem(action=MessageAction(label="はい", text="はい"))
    message = TextMessage(text="?", quick_reply=QuickReply.construct(items=[item] * 14))
    body = _push_error(api, [message])
    assert body["details"][0]["property"] == "messages[0].quickReply.items"


def test_thirteen_flex_carousel_bubbles(api: MessagingApi) -> None:
    message = FlexMessage(alt_text="避難所", contents=FlexCarousel(contents=[_bubble()] * 13))
    body = _push_error(api, [message])
    assert body["details"][0]["property"] == "messages[0].contents.contents"


def test_twelve_flex_carousel_bubbles_are_fine(standin: LineStandin, api: MessagingApi) -> None:
    message = FlexMessage(alt_text="避難所", contents=FlexCarousel(contents=[_bubble()] * 12))
    api.push_message(PushMessageRequest(to="U1", messages=[message]))
    assert standin.delivered("U1")[0]["altText"] == "避難所"


def test_template_carousel_columns(api: MessagingApi) -> None:
    column = CarouselColumn(text="避難所", actions=[MessageAction(label="a", text="a")])
    message = TemplateMessage(alt_text="x", template=CarouselTemplate(columns=[column] * 11))
    body = _push_error(api, [message])
    assert body["details"][0]["property"] == "messages[0].template.columns"


def test_flex_alt_text_is_required_and_bounded(api: MessagingApi) -> None:
    missing = FlexMessage.construct(contents=_bubble())
    long = FlexMessage(alt_text="a" * 1501, contents=_bubble())
    body = _push_error(api, [missing, long])
    assert body["message"] == "The request body has 2 error(s)"
    assert [d["property"] for d in body["details"]] == [
        "messages[0].altText",
        "messages[1].altText",
    ]


def test_501_multicast_recipients(standin: LineStandin, api: MessagingApi) -> None:
    to = [f"U{i:032x}" for i in range(501)]
    request = MulticastRequest.construct(to=to, messages=[TextMessage(text="x")])
    with pytest.raises(ApiException) as err:
        api.multicast(request)
    assert err.value.status == 400
    assert json.loads(err.value.body)["details"] == [{"message": "Size must be between 1 and 500", "property": "to"}]
    assert standin.delivered(to[0]) == []
