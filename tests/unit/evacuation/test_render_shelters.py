"""The shelter carousel within LINE's limits, with a readable text version that keeps the footer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.render import render
from bot.standin.limits import check_messages
from dialogue.messages import ShelterCard, ShelterCarousel
from dialogue.prompts import load_prompts

FOOTER = "出典：国土地理院「指定緊急避難場所データ」（2025-10-27時点）。実際の避難は市町村の指示に従ってください。"


def card(i: int, **changes: Any) -> ShelterCard:
    base: dict[str, Any] = {
        "name": f"藤沢市立第{i}小学校",
        "address": "神奈川県藤沢市鵠沼1-1",
        "distance_m": 350.0 + 100 * i,
        "walk_minutes": 5 + i,
        "hazards": ("地震", "津波"),
        "lat": 35.33,
        "lon": 139.48,
        "status": "開設中・混雑（避難者120人・11/29 22:05更新）",
        "status_code": "crowded",
        "note": "洪水、高潮は２階以上が対象",
    }
    return ShelterCard(**(base | changes))


def walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


@pytest.mark.parametrize("language", ["ja", "easy_ja", "en"])
def test_many_long_cards_stay_within_line_limits(language: str) -> None:
    cards = tuple(card(i, name="とても長い名前の避難場所" * 20, note="注意" * 300) for i in range(15))
    [flex] = render((ShelterCarousel(cards, "近くの避難場所", FOOTER),), load_prompts(language))
    assert check_messages([flex]) == []
    assert len(flex["contents"]["contents"]) == 12
    assert all(len(v) <= 20 for k, v in walk(flex) if k == "label")
    assert all(v for k, v in walk(flex) if k == "text")  # LINE refuses empty text components
    assert len(flex["altText"]) <= 1500
    assert flex["altText"].endswith(FOOTER)  # rows are dropped before the data date and the instructions


def test_bubble_shows_distance_walk_hazards_status_note_footer_and_directions() -> None:
    [flex] = render((ShelterCarousel((card(1),), "", FOOTER),), load_prompts("ja"))
    bubble = flex["contents"]["contents"][0]
    texts = [v for k, v in walk(bubble) if k == "text"]
    assert "藤沢市立第1小学校" in texts
    assert "450 m・徒歩約6分" in texts
    assert "対応：地震・津波" in texts
    assert "開設中・混雑（避難者120人・11/29 22:05更新）" in texts
    assert "※洪水、高潮は２階以上が対象" in texts
    assert FOOTER in texts
    [uri] = [v for k, v in walk(bubble) if k == "uri"]
    assert uri.startswith("https://www.google.com/maps/dir/?api=1&destination=35.330000,139.480000")
    assert "開設中・混雑" in flex["altText"] and "450 m" in flex["altText"]


def test_unknown_status_shows_no_status_line() -> None:
    [flex] = render(
        (ShelterCarousel((card(1, status=None, status_code=None, note=""),), "", FOOTER),), load_prompts("en")
    )
    texts = [v for k, v in walk(flex["contents"]) if k == "text"]
    assert not any("開設" in t or "Open" in t for t in texts)
