"""The scorer on hand-made records (no model needed)."""

from __future__ import annotations

from typing import Any

from nlp.evaluate import gold_spans, score


def rec(text: str, intent: str = "report", cats: tuple[str, ...] = (), neg: tuple[str, ...] = (),
        urgent: bool = False, locs: tuple[tuple[str, str | None], ...] = ()) -> dict[str, Any]:  # fmt: skip
    return {
        "text": text, "intent": intent, "categories": list(cats), "negated": list(neg), "urgent": urgent,
        "hazard_for_shelter": None, "needs_location": not locs,
        "locations": [{"text": t, "kind": "address", "municipality": m} for t, m in locs],
    }  # fmt: skip


def test_perfect_prediction_scores_one() -> None:
    gold = [rec("藤沢市で停電", cats=("power_outage",), locs=(("藤沢市", "藤沢市"),))]
    s = score(gold, gold).summary()
    assert s["categories_micro"]["f1"] == 1.0
    assert s["intent_accuracy"] == 1.0
    assert s["municipality_accuracy"] == 1.0
    assert s["errors"] == 0


def test_counts_each_kind_of_error() -> None:
    gold = [
        rec("停電はしてないけど水が出ない", cats=("water_outage",), neg=("power_outage",)),
        rec("助けて", urgent=True),
        rec("本町で冠水", cats=("flooding",), locs=(("本町", "藤沢市"),)),
    ]
    pred = [
        rec("停電はしてないけど水が出ない", cats=("water_outage", "power_outage")),
        rec("助けて", intent="other"),
        rec("本町で冠水", cats=("flooding",), locs=(("本町", None),)),
    ]
    report = score(gold, pred)
    s = report.summary()
    assert s["categories_per_code"]["power_outage"]["fp"] == 1
    assert s["negated_asserted_rate"] == 1.0
    assert s["urgent"]["recall"] == 0.0
    assert s["intent_confusion"]["report"]["other"] == 1
    assert s["location_spans_exact"]["recall"] == 1.0  # the span is right, the municipality is not
    assert s["municipality_accuracy"] == 0.0
    assert [e["wrong"] for e in report.errors][2] == ["municipality"]


def test_gold_spans_follow_text_order() -> None:
    spans = gold_spans("藤沢駅から藤沢市役所", [{"text": "藤沢駅"}, {"text": "藤沢市役所"}])
    assert [(s, e) for s, e, _ in spans] == [(0, 3), (5, 10)]
