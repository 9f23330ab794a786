"""Evacuation guidance end to end: an officer's status change reaches the next resident at once.

Signed webhook → queue → worker → dialogue → ShelterFinder (live statuses) → Flex carousel
through the real line-bot-sdk to the LINE stand-in.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.embedded import EmbeddedStack
from evacuation import ShelterIndex
from evacuation.db_import import import_sites
from evacuation.status import set_status
from tests.people import LineUser

pytestmark = pytest.mark.slow

FUJISAWA_STATION = (35.3387, 139.4870)
OFFICER = "藤沢市 防災危機管理課"
EMERGENCY_HEADER = (
    "NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,"
    "地震,津波,大規模な火事,内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考"
)


def texts_of(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return own + [t for value in node.values() for t in texts_of(value)]
    if isinstance(node, list):
        return [t for item in node for t in texts_of(item)]
    return []


def carousel(answer: list[dict[str, Any]]) -> list[dict[str, Any]]:
    [flex] = [m for m in answer if m["type"] == "flex"]
    bubbles: list[dict[str, Any]] = flex["contents"]["contents"]
    return bubbles


def name_of(bubble: dict[str, Any]) -> str:
    return str(bubble["body"]["contents"][0]["text"])


def site_id(name: str) -> str:
    [found] = [s.id for s in ShelterIndex.load_default().sites if s.name == name and s.hazards]
    return found


def test_closed_site_is_skipped_and_statuses_show_on_the_cards(stack: EmbeddedStack, resident: LineUser) -> None:
    before = [name_of(b) for b in carousel(resident.sends_location(*FUJISAWA_STATION, title="藤沢駅"))]
    assert len(before) == 5
    engine = stack.runtime.engine

    set_status(engine, site_id(before[0]), status="closed", author=OFFICER)
    set_status(engine, site_id(before[1]), status="open", crowding="crowded", head_count=120, author=OFFICER)
    bubbles = carousel(resident.sends_location(*FUJISAWA_STATION, title="藤沢駅"))
    after = [name_of(b) for b in bubbles]
    assert before[0] not in after
    assert after[:4] == before[1:]
    crowded = texts_of(bubbles[0])
    assert any(t.startswith("開設中・混雑（避難者120人・") for t in crowded), crowded
    assert any("国土地理院" in t and "市町村の指示に従ってください" in t for t in crowded)

    set_status(engine, site_id(before[1]), status="open", crowding="full", author=OFFICER)
    answer = resident.sends_location(*FUJISAWA_STATION)
    assert before[1] not in [name_of(b) for b in carousel(answer)]
    [flex] = [m for m in answer if m["type"] == "flex"]
    assert "満員" not in flex["altText"] and "2025-10-27" in flex["altText"]


def test_imported_sites_and_their_data_date_are_used(stack: EmbeddedStack, resident: LineUser, tmp_path: Path) -> None:
    rows = [
        f"{n},E14205{n:05d}201,神奈川県藤沢市,テスト避難場所{n},神奈川県藤沢市藤沢{n},,,,1,1,,,,,{lat},{lon},"
        for n, (lat, lon) in enumerate([(35.3390, 139.4875), (35.3400, 139.4900)], 1)
    ]
    path = tmp_path / "fujisawa.csv"
    path.write_text("\n".join([EMERGENCY_HEADER, *rows]) + "\n", encoding="utf-8-sig")
    import_sites(stack.runtime.engine, [path], data_date=date(2026, 4, 1), author="test")

    answer = resident.sends_location(*FUJISAWA_STATION)
    assert [name_of(b) for b in carousel(answer)] == ["テスト避難場所1", "テスト避難場所2"]
    assert "2026-04-01" in str(answer)
