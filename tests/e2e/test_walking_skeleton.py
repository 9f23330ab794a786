"""A LINE message travels end to end: signed webhook → queue → worker → GiNZA → dialogue →
stored report → officers' API, and the answer comes back through the real line-bot-sdk."""

from __future__ import annotations

import time

import pytest

from bot.embedded import EmbeddedStack
from bot.standin import WebhookDriver
from reports_api.photos import PhotoStore
from tests.people import LineUser, Officer

pytestmark = pytest.mark.slow

PHOTO = b"\xff\xd8\xff\xe0 a small jpeg"


def test_text_report_is_stored_and_visible_to_officers(resident: LineUser, officer: Officer) -> None:
    answer = resident.says("藤沢駅の近くで道路が冠水して通れません")
    assert "送信しますか" in resident.texts()
    assert "浸水・冠水" in resident.texts()
    assert answer[-1]["type"] == "text"
    assert {"送信", "修正", "やめる"} <= set(resident.quick_replies())

    resident.taps("送信")
    assert "受付番号" in resident.texts()
    assert "119" in resident.texts()  # never an emergency line

    reports = officer.reports()
    assert len(reports) == 1
    report = reports[0]
    assert report["number"] in resident.texts()
    assert "flooding" in report["categories"]
    assert report["municipality"]["name"] == "藤沢市"
    assert report["text"] == "藤沢駅の近くで道路が冠水して通れません"
    assert resident.user_id not in str(reports)


def test_report_without_place_asks_for_it_and_takes_a_location(resident: LineUser, officer: Officer) -> None:
    resident.says("家の前の道路が冠水しています")
    assert "場所を教えてください" in resident.texts()
    assert "位置情報を送る" in resident.quick_replies()
    resident.sends_location(35.3387, 139.4870, title="自宅")
    assert "送信しますか" in resident.texts()
    resident.taps("送信")
    [report] = officer.reports()
    assert report["location"]["source"] == "line_location"
    assert report["location"]["lat"] == pytest.approx(35.3387)
    assert report["municipality"]["name"] == "藤沢市"


def test_urgent_message_gets_119_guidance_first(resident: LineUser, officer: Officer) -> None:
    answer = resident.says("助けて 母が家具の下敷きになっている")
    assert "119" in str(answer[0].get("text"))
    resident.sends_location(35.3387, 139.4870)
    resident.taps("送信")
    [report] = officer.reports()
    assert report["urgent"] is True


def test_location_gets_nearest_evacuation_sites(resident: LineUser) -> None:
    answer = resident.sends_location(35.3387, 139.4870, title="藤沢駅")
    flex = [m for m in answer if m["type"] == "flex"]
    assert flex, answer
    bubbles = flex[0]["contents"]["contents"]
    assert 1 <= len(bubbles) <= 5
    assert "国土地理院" in str(bubbles[0])  # GSI's required credit travels with the data
    assert "津波" in resident.quick_replies()
    resident.taps("津波")
    assert "津波" in resident.texts()


def test_municipality_without_data_is_told_plainly(resident: LineUser) -> None:
    resident.sends_location(35.3192, 139.5467)  # 鎌倉市: no designated-site data in this snapshot
    assert "鎌倉市" in resident.texts()
    assert "データ" in resident.texts()


def test_redelivered_event_is_applied_once(
    stack: EmbeddedStack, driver: WebhookDriver, resident: LineUser, officer: Officer
) -> None:
    resident.says("辻堂駅の前で電柱が倒れています")
    resident.taps("送信")
    assert resident.last_event is not None
    again = driver.redeliver(resident.last_event)
    assert driver.send(again) == 200
    deadline = time.monotonic() + 10
    while stack.runtime.queue.backlog() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stack.runtime.queue.backlog() == 0
    assert len(officer.reports()) == 1
    assert resident.texts().count("受付番号") == 1  # and nothing was sent a second time
    assert stack.standin is not None
    assert len(stack.standin.delivered(resident.user_id)) == resident._seen


def test_line_500_then_200_delivers_once(stack: EmbeddedStack, resident: LineUser) -> None:
    assert stack.standin is not None
    stack.standin.inject("/v2/bot/message/reply", 500, times=1)
    answer = resident.says("こんにちは")
    assert answer
    assert len(stack.standin.delivered(resident.user_id)) == len(answer)


def test_follow_greets_and_says_it_is_not_an_emergency_line(resident: LineUser) -> None:
    resident.follows()
    assert "緊急通報ではありません" in resident.texts()
    assert "119" in resident.texts()
    assert "被害を報告" in resident.quick_replies()


def test_bad_input_gets_a_polite_answer(resident: LineUser) -> None:
    for text in ["あ" * 5000, "🌊🌊🏠💥" * 50, "<script>alert(1)</script>", "   "]:
        answer = resident.says(text)
        assert answer and all(m["type"] in ("text", "flex") for m in answer)


def test_photo_report_keeps_the_photo_and_cancel_forgets_it(
    stack: EmbeddedStack, resident: LineUser, officer: Officer
) -> None:
    resident.sends_image(PHOTO)
    assert "写真を受け取りました" in resident.texts()
    assert "浸水・冠水" in resident.quick_replies()
    resident.taps("浸水・冠水")
    resident.taps("やめる")
    assert "中止しました" in resident.texts()
    resident.sends_image(PHOTO)
    assert resident.last_event is not None
    photo_id = resident.last_event["message"]["id"]
    resident.taps("倒木・電柱")
    resident.sends_location(35.3387, 139.4870)
    assert "詳しい状況" in resident.texts()  # nothing was described yet: details are offered
    resident.taps("なし")
    resident.taps("送信")
    [report] = officer.reports()
    assert report["categories"] == ["fallen_object"]
    assert report["photos"] == 1
    kept = PhotoStore(stack.runtime.engine).get(photo_id)  # downloaded from LINE's content API
    assert kept is not None and kept.data == PHOTO and kept.content_type == "image/jpeg"


def test_unfollow_forgets_the_conversation(stack: EmbeddedStack, driver: WebhookDriver, resident: LineUser) -> None:
    resident.says("家の前が冠水")
    assert driver.send(driver.build_unfollow(resident.user_id)) == 200
    deadline = time.monotonic() + 10
    while stack.runtime.queue.backlog() and time.monotonic() < deadline:
        time.sleep(0.05)
    resident.says("こんにちは")
    assert "場所" not in resident.texts()  # not asked to continue the forgotten report


def test_health_and_metrics(stack: EmbeddedStack, resident: LineUser) -> None:
    import urllib.request

    resident.says("こんにちは")
    with urllib.request.urlopen(stack.url + "/healthz", timeout=10) as response:
        assert response.status == 200
    with urllib.request.urlopen(stack.url + "/metrics", timeout=10) as response:
        text = response.read().decode()
    assert 'sonae_webhook_requests_total{outcome="accepted"}' in text
    assert "sonae_event_processing_seconds_bucket" in text
    assert resident.user_id not in text
