"""The driver's webhook bodies parse with line-bot-sdk v3 and carry valid signatures."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from linebot.v3 import SignatureValidator
from linebot.v3.messaging import MessagingApiBlob
from linebot.v3.webhooks import (
    CallbackRequest,
    FollowEvent,
    GroupSource,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    RoomSource,
    TextMessageContent,
    UnfollowEvent,
    UserMentionee,
    UserSource,
)

from bot.standin import DEFAULT_DESTINATION, LineStandin, WebhookDriver
from bot.standin.events import new_ulid
from tests.unit.standin.conftest import SECRET, FakeClock


@pytest.fixture
def wall() -> FakeClock:
    return FakeClock(1_767_225_600.0)  # 2026-01-01T00:00:00Z


@pytest.fixture
def driver(standin: LineStandin, wall: FakeClock) -> WebhookDriver:
    return WebhookDriver("http://127.0.0.1:9/callback", SECRET, standin, clock=wall)


def _parse(driver: WebhookDriver, *events: dict[str, Any]) -> list[Any]:
    request = CallbackRequest.from_json(driver.body(*events).decode())
    assert request.destination == DEFAULT_DESTINATION
    return list(request.events)


def test_every_kind_parses(driver: WebhookDriver) -> None:
    parsed = _parse(
        driver,
        driver.build_text("U1", "水が足りません"),
        driver.build_location("U1", 35.6812, 139.7671, title="東京駅", address="千代田区"),
        driver.build_image("U1", b"\xff\xd8jpeg"),
        driver.build_postback("U1", "action=checkin", params={"date": "2026-01-01"}),
        driver.build_follow("U1"),
        driver.build_unfollow("U1"),
    )
    text, location, image, postback, follow, unfollow = parsed
    assert isinstance(text, MessageEvent) and isinstance(text.message, TextMessageContent)
    assert text.message.text == "水が足りません" and text.message.quote_token
    assert isinstance(location.message, LocationMessageContent)
    assert (location.message.latitude, location.message.title) == (35.6812, "東京駅")
    assert isinstance(image.message, ImageMessageContent)
    assert isinstance(postback, PostbackEvent)
    assert postback.postback.params == {"date": "2026-01-01"}
    assert isinstance(follow, FollowEvent) and follow.reply_token
    assert isinstance(unfollow, UnfollowEvent)
    assert all(isinstance(e.source, UserSource) for e in parsed)
    assert len({e.webhook_event_id for e in parsed}) == 6
    assert {e.timestamp for e in parsed} == {1_767_225_600_000}


def test_mention_of_the_bot(driver: WebhookDriver) -> None:
    (event,) = _parse(driver, driver.build_text("U1", "助けて", mention_bot="そなえ"))
    assert event.message.text == "@そなえ 助けて"
    (mentionee,) = event.message.mention.mentionees
    assert isinstance(mentionee, UserMentionee)
    assert (mentionee.index, mentionee.length, mentionee.is_self) == (0, 4, True)


def test_group_and_room_sources_and_their_reply_tokens(driver: WebhookDriver, standin: LineStandin) -> None:
    group = driver.build_text("U1", "hi", group_id="Cg1")
    room = driver.build_text("U2", "hi", room_id="Rr1")
    parsed = _parse(driver, group, room)
    assert isinstance(parsed[0].source, GroupSource) and parsed[0].source.user_id == "U1"
    assert isinstance(parsed[1].source, RoomSource) and parsed[1].source.room_id == "Rr1"
    assert standin.state.redeem_reply_token(group["replyToken"]) == "Cg1"
    assert standin.state.redeem_reply_token(room["replyToken"]) == "Rr1"


def test_standby_mode_has_no_reply_token(driver: WebhookDriver) -> None:
    event = driver.build_text("U1", "hi", mode="standby")
    assert "replyToken" not in event
    assert _parse(driver, event)[0].mode.value == "standby"


def test_redelivery_keeps_the_id_and_marks_it(driver: WebhookDriver, wall: FakeClock) -> None:
    first = driver.build_text("U1", "hi")
    wall.advance(30)
    again = driver.redeliver(first)
    assert again["webhookEventId"] == first["webhookEventId"]
    assert again["deliveryContext"] == {"isRedelivery": True}
    assert again["timestamp"] == first["timestamp"] + 30_000
    assert first["deliveryContext"] == {"isRedelivery": False}
    assert _parse(driver, again)[0].delivery_context.is_redelivery is True


def test_signature_validates_with_the_sdk(driver: WebhookDriver) -> None:
    body = driver.body(driver.build_text("U1", "避難所はどこ？😀"))
    assert SignatureValidator(SECRET).validate(body.decode(), driver.sign(body))
    assert not SignatureValidator("another-secret").validate(body.decode(), driver.sign(body))


def test_body_is_compact_utf8(driver: WebhookDriver) -> None:
    body = driver.body(driver.build_text("U1", "避難"))
    assert "避難".encode() in body
    assert b": " not in body and b", " not in body
    assert json.loads(body)["destination"] == DEFAULT_DESTINATION


def test_image_bytes_are_served_by_the_standin(driver: WebhookDriver, blob_api: MessagingApiBlob) -> None:
    event = driver.build_image("U1", b"\x89PNG...", content_type="image/png")
    assert bytes(blob_api.get_message_content(event["message"]["id"])) == b"\x89PNG..."


def test_without_a_standin_reply_tokens_are_random() -> None:
    alone = WebhookDriver("http://127.0.0.1:9/callback", SECRET, None)
    tokens = {alone.build_text("U1", "x")["replyToken"] for _ in range(3)}
    assert len(tokens) == 3


def test_ulids_are_well_formed_and_unique() -> None:
    ids = {new_ulid() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", i) for i in ids)
    assert new_ulid(1)[:10] == "0000000001"
