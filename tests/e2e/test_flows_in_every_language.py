"""Every flow completes through the LINE stand-in in all three languages, by buttons and by typing."""

from __future__ import annotations

import itertools

import pytest

from bot.campaigns import send_safety_check
from bot.embedded import EmbeddedStack
from bot.standin import LineUser, WebhookDriver
from dialogue.profile import Profile, ProfileStore
from dialogue.prompts import LANGUAGES, Prompts, load_prompts
from reports_api.safety import SafetyAnswerStore

pytestmark = pytest.mark.slow

CASES = list(itertools.product(LANGUAGES, ("buttons", "typed")))
_ids = itertools.count(1)


class Resident:
    """A resident who either taps buttons or types their labels, in one language."""

    def __init__(self, stack: EmbeddedStack, driver: WebhookDriver, language: str, mode: str):
        assert stack.standin is not None
        self.user = LineUser(driver, stack.standin, f"U{next(_ids):032x}", timeout_s=30.0)
        ProfileStore(stack.runtime.redis).save(self.user.user_id, Profile(language=language, language_chosen=True))
        self.p: Prompts = load_prompts(language)
        self.mode = mode

    def choose(self, key: str) -> str:
        label = self.p.t(key)
        assert label in self.user.quick_replies(), (label, self.user.quick_replies())
        if self.mode == "buttons":
            self.user.taps(label)
        else:
            self.user.says(label)
        return self.user.texts()

    def place(self) -> str:
        if self.mode == "buttons":
            self.user.sends_location(35.3387, 139.4870)
        else:
            self.user.says("辻堂駅")
        return self.user.texts()


@pytest.mark.parametrize(("language", "mode"), CASES)
def test_report_damage(stack: EmbeddedStack, driver: WebhookDriver, language: str, mode: str) -> None:
    r = Resident(stack, driver, language, mode)
    r.user.says(r.p.t("label.help"))
    r.choose("label.report")
    assert r.p.t("ask_category") in r.user.texts()
    r.choose("category.flooding")
    assert r.p.t("ask_place").splitlines()[0] in r.user.texts()
    r.place()
    assert r.p.t("ask_details") in r.user.texts()
    r.choose("label.none")
    assert r.p.t("category.flooding") in r.user.texts()
    saved = r.choose("label.send")
    assert r.p.t("saved", number="R-").split("R-")[0] in saved


@pytest.mark.parametrize(("language", "mode"), CASES)
def test_find_a_shelter(stack: EmbeddedStack, driver: WebhookDriver, language: str, mode: str) -> None:
    r = Resident(stack, driver, language, mode)
    r.user.says(r.p.t("label.help"))
    r.choose("label.shelter")
    assert r.p.t("ask_shelter_place") in r.user.texts()
    r.place()
    assert any(m["type"] == "flex" for m in r.user.last)
    r.choose("hazard.tsunami")
    flex = next(m for m in r.user.last if m["type"] == "flex")
    assert r.p.t("hazard.tsunami") in str(flex["contents"])


@pytest.mark.parametrize(("language", "mode"), CASES)
def test_answer_a_safety_check(stack: EmbeddedStack, driver: WebhookDriver, language: str, mode: str) -> None:
    r = Resident(stack, driver, language, mode)
    campaign = f"drill-{language}-{mode}"
    assert send_safety_check(stack.runtime, [r.user.user_id], campaign, "訓練").asked == 1
    assert stack.standin is not None
    r.user.last = stack.standin.wait_for_delivered(r.user.user_id, 1, timeout=10)
    r.user._seen = len(r.user.last)
    r.choose("label.safety_evacuated")
    assert r.p.t("safety_recorded_evacuated") in r.user.texts()
    assert SafetyAnswerStore(stack.runtime.engine).counts(campaign) == {"evacuated": 1}


@pytest.mark.parametrize(("language", "mode"), CASES)
def test_settings(stack: EmbeddedStack, driver: WebhookDriver, language: str, mode: str) -> None:
    r = Resident(stack, driver, language, mode)
    r.user.says(r.p.t("label.help"))
    r.choose("label.settings")
    r.choose("label.needs")
    r.choose("label.need_infant")
    r.choose("label.done")
    assert r.p.t("label.need_infant") in r.user.texts()
    r.choose("label.consent")
    r.choose("label.yes")
    assert r.p.t("settings_done") in r.choose("label.done")
    profile = ProfileStore(stack.runtime.redis).load(r.user.user_id)
    assert profile is not None and profile.needs == ["infant"] and profile.area_messages
