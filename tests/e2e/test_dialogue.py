"""The resident's experience, turn by turn, through signed webhooks and the LINE stand-in:
settings, languages, safety checks, interruption, corrections, timeouts, stale buttons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.campaigns import send_safety_check
from bot.embedded import EmbeddedStack
from bot.standin import LineUser, WebhookDriver
from dialogue.prompts import load_prompts
from reports_api.safety import SafetyAnswerStore
from tests.e2e.conftest import stack_settings
from tests.people import Officer

pytestmark = pytest.mark.slow


def new_resident(stack: EmbeddedStack, driver: WebhookDriver, user_id: str, language: str = "ja") -> LineUser:
    assert stack.standin is not None
    stack.standin.add_profile(user_id, "住民", language)
    return LineUser(driver, stack.standin, user_id, timeout_s=30.0)


def test_registration_with_buttons(stack: EmbeddedStack, driver: WebhookDriver) -> None:
    resident = new_resident(stack, driver, "U" + "a1" * 16)
    resident.follows()
    assert "緊急通報ではありません" in resident.texts()
    resident.taps("地域を登録")
    resident.says("藤沢市")
    assert "藤沢市" in resident.texts() and "登録しました" in resident.texts()
    resident.taps("配慮")
    resident.taps("高齢")
    resident.taps("車いす")
    assert "高齢、車いす" in resident.texts()
    resident.taps("完了")
    resident.taps("お知らせ")
    resident.taps("はい")
    assert "受け取る" in resident.texts()
    resident.taps("完了")
    assert "保存しました" in resident.texts()
    # The home area answers a shelter question that names no place.
    resident.says("避難場所はどこですか")
    assert "藤沢市" in resident.texts()
    assert any(m["type"] == "flex" for m in resident.last)


def test_settings_by_typing_the_labels_and_switching_language(stack: EmbeddedStack, driver: WebhookDriver) -> None:
    resident = new_resident(stack, driver, "U" + "a2" * 16)
    resident.says("設定")
    assert "現在の設定" in resident.texts()
    resident.says("言語")
    resident.says("English")
    assert "I will use English" in resident.texts()
    assert "Your current settings" in resident.texts()
    resident.says("done")
    assert "Settings saved" in resident.texts()
    resident.says("hello")
    assert "What would you like to do" in resident.texts()


def test_english_resident_reports_with_buttons_and_typed_labels(stack: EmbeddedStack, driver: WebhookDriver) -> None:
    resident = new_resident(stack, driver, "U" + "a3" * 16, language="en")
    resident.follows()
    assert "NOT an emergency line" in resident.texts()
    resident.taps("Report damage")
    assert "What is happening" in resident.texts()
    resident.says("Flooding")  # the button's label, typed
    assert "Where is it" in resident.texts()
    resident.sends_location(35.3387, 139.4870)
    resident.says("None")
    assert "Send this report?" in resident.texts()
    resident.says("send")
    assert "Report number" in resident.texts()
    officer = Officer(stack.url, _token(stack.runtime.engine))
    [report] = officer.reports()
    assert report["categories"] == ["flooding"]
    assert report["municipality"]["name"] == "藤沢市"


def test_easy_japanese_resident_reports_by_typing(stack: EmbeddedStack, driver: WebhookDriver) -> None:
    resident = new_resident(stack, driver, "U" + "a4" * 16, language="zh-Hant")
    resident.follows()
    assert "ともだち ついか" in resident.texts()
    resident.says("ひがいを おしえる")  # every step typed, as the button labels read
    resident.says("みずが きた")
    assert "ばしょを おしえてください" in resident.texts()
    resident.says("辻堂駅")
    assert "くわしい ようす" in resident.texts()
    resident.says("ない")
    assert "これで おくりますか" in resident.texts()
    resident.says("おくる")
    assert "うけつけました" in resident.texts()


def test_safety_check_answers_are_recorded_and_help_becomes_an_urgent_report(
    stack: EmbeddedStack, driver: WebhookDriver
) -> None:
    safe = new_resident(stack, driver, "U" + "b1" * 16)
    typed = new_resident(stack, driver, "U" + "b2" * 16)
    helpme = new_resident(stack, driver, "U" + "b3" * 16)
    for who in (safe, typed, helpme):
        who.follows()
    result = send_safety_check(stack.runtime, [safe.user_id, typed.user_id, helpme.user_id], "drill-1", "藤沢市 訓練")
    assert result.asked == 3
    assert stack.standin is not None
    question = stack.standin.wait_for_delivered(safe.user_id, safe._seen + 1, timeout=10)[-1]
    assert "ご無事ですか" in question["text"]
    safe.last = [question]
    safe._seen += 1
    safe.taps("無事")
    assert "記録しました" in safe.texts()
    typed._seen += 1
    typed.says("家族と連絡が取れません")
    assert "171" in typed.texts()
    helpme._seen += 1
    answer = helpme.says("助けが必要")  # the label, typed
    assert "119" in str(answer[0].get("text"))
    assert "何が起きていますか" in helpme.texts()
    counts = SafetyAnswerStore(stack.runtime.engine).counts("drill-1")
    assert counts == {"safe": 1, "family_unreachable": 1, "need_help": 1}


def test_a_shelter_question_interrupts_a_report_which_can_be_resumed(
    stack: EmbeddedStack, driver: WebhookDriver
) -> None:
    resident = new_resident(stack, driver, "U" + "c1" * 16)
    resident.says("家の前の道路が冠水しています")
    assert "場所を教えてください" in resident.texts()
    resident.says("藤沢駅の近くの津波の避難場所はどこ？")
    assert any(m["type"] == "flex" for m in resident.last)
    assert "続けますか" in resident.texts()
    resident.taps("報告を続ける")
    assert "場所を教えてください" in resident.texts()
    resident.says("辻堂駅")
    assert "冠水" in resident.texts()  # the report kept what was said before


def test_a_correction_changes_only_the_place(stack: EmbeddedStack, driver: WebhookDriver) -> None:
    resident = new_resident(stack, driver, "U" + "c2" * 16)
    resident.says("藤沢駅の近くで電柱が倒れています")
    assert "藤沢駅" in resident.texts()
    resident.says("場所は藤沢駅じゃなくて辻堂駅です")
    assert "場所：辻堂駅" in resident.texts()
    assert "倒木・電柱" in resident.texts()


def test_a_stale_button_gets_a_polite_answer_and_sends_nothing(stack: EmbeddedStack, driver: WebhookDriver) -> None:
    resident = new_resident(stack, driver, "U" + "c3" * 16)
    resident.says("辻堂駅で火事です")
    confirm = resident.last
    resident.says("やめる")
    resident.last = confirm
    resident.taps("送信")  # the old confirmation's button
    assert "時間切れ" in resident.texts()
    officer = Officer(stack.url, _token(stack.runtime.engine))
    assert officer.reports() == []


@pytest.fixture
def clocked(tmp_path: Path, database_url: str, redis_client: object) -> Iterator[tuple[EmbeddedStack, list[float]]]:
    import time

    offset = [0.0]
    with EmbeddedStack(
        stack_settings(tmp_path, database_url), standin=True, migrate=True, clock=lambda: time.time() + offset[0]
    ) as running:
        yield running, offset


def test_an_idle_conversation_expires_and_its_confirmation_is_never_sent(
    clocked: tuple[EmbeddedStack, list[float]],
) -> None:
    stack, offset = clocked
    assert stack.standin is not None
    driver = WebhookDriver(stack.url + "/callback", stack.settings.line_channel_secret, stack.standin)
    resident = new_resident(stack, driver, "U" + "c4" * 16)
    resident.says("辻堂駅で倒木があります")
    assert "送信しますか" in resident.texts()
    offset[0] += stack.settings.dialogue_idle_timeout_s + 60
    resident.says("送信")
    assert "受付番号" not in resident.texts()
    officer = Officer(stack.url, _token(stack.runtime.engine))
    assert officer.reports() == []


def _token(engine: Engine) -> str:
    from reports_api import create_token

    return create_token(engine, "viewer", label="test officer")


def test_a_confirmation_tapped_twice_stores_one_report(stack: EmbeddedStack, driver: WebhookDriver) -> None:
    resident = new_resident(stack, driver, "U" + "c5" * 16)
    resident.says("辻堂駅の前で電柱が倒れています")
    confirm = resident.last
    resident.taps("送信")
    number = resident.texts().split("受付番号は ")[1].split(" ")[0]
    resident.last = confirm
    resident.taps("送信")
    assert "すでに受け付けています" in resident.texts() and number in resident.texts()
    officer = Officer(stack.url, _token(stack.runtime.engine))
    assert len(officer.reports()) == 1


def test_residents_with_mobility_needs_get_longer_walking_times(stack: EmbeddedStack, driver: WebhookDriver) -> None:
    import re

    from dialogue.profile import Profile, ProfileStore

    quick = new_resident(stack, driver, "U" + "d1" * 16)
    slow = new_resident(stack, driver, "U" + "d2" * 16)
    ProfileStore(stack.runtime.redis).save(slow.user_id, Profile(needs=["wheelchair"]))

    def minutes(resident: LineUser) -> list[int]:
        resident.sends_location(35.3387, 139.4870)
        flex = next(m for m in resident.last if m["type"] == "flex")
        return [int(n) for n in re.findall(r"徒歩約(\d+)分", flex["altText"])]

    fast_minutes, slow_minutes = minutes(quick), minutes(slow)
    assert len(fast_minutes) == len(slow_minutes) >= 3
    assert all(s > f for f, s in zip(fast_minutes, slow_minutes, strict=True))


def test_places_at_sea_and_abroad_get_a_clear_answer(stack: EmbeddedStack, driver: WebhookDriver) -> None:
    resident = new_resident(stack, driver, "U" + "e1" * 16)
    far = load_prompts("ja").t("shelters_far")
    resident.sends_location(34.60, 139.90)  # the open sea south of the Boso peninsula
    assert resident.texts() == far
    resident.sends_location(37.5665, 126.9780)  # Seoul: inside the rough box around Japan, but abroad
    assert resident.texts() == far
    resident.sends_location(48.8566, 2.3522)  # Paris
    assert resident.texts() == load_prompts("ja").t("shelters_outside")


def test_a_safety_check_never_reads_not_safe_as_safe_and_does_not_block_other_questions(
    stack: EmbeddedStack, driver: WebhookDriver
) -> None:
    notsafe = new_resident(stack, driver, "U" + "b4" * 16)
    asks = new_resident(stack, driver, "U" + "b5" * 16)
    send_safety_check(stack.runtime, [notsafe.user_id, asks.user_id], "drill-2", "訓練")
    assert stack.standin is not None
    for who in (notsafe, asks):
        stack.standin.wait_for_delivered(who.user_id, 1, timeout=10)
        who._seen = 1
    answer = notsafe.says("無事ではありません")
    assert "119" in str(answer[0].get("text"))
    asks.says("藤沢駅の近くの避難場所はどこ？")
    assert any(m["type"] == "flex" for m in asks.last)  # the question is answered, not swallowed
    # The campaign's buttons still work from any state:
    asks.posts_back("ans=safe&c=drill-2")
    assert "記録しました" in asks.texts()
    assert SafetyAnswerStore(stack.runtime.engine).counts("drill-2") == {"need_help": 1, "safe": 1}
