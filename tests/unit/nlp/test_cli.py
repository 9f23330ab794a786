"""``sonae nlu`` and ``sonae eval-nlu`` called in-process, as the lead wires them."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from spacy.language import Language

import nlp
from nlp.cli import cmd_eval_nlu, cmd_nlu, register

FIELDS = {"text", "intent", "categories", "negated", "urgent", "hazard_for_shelter", "locations", "needs_location"}
LOCATION_FIELDS = {"text", "kind", "municipality", "municipality_code", "lat", "lon"}
BAD_LINES = [
    "",
    "あ" * 5000,
    "🙏🌊🏠",
    "<script>alert('x')</script><b>助けて</b>",
    "My street is flooded near Fujisawa station",
    "停電\x07して\x1bいます\x00",
    "   ",
]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sonae")
    register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_register_sets_func() -> None:
    assert parse("nlu").func is cmd_nlu
    args = parse("eval-nlu", "x.jsonl", "--errors", "e.jsonl", "--json")
    assert args.func is cmd_eval_nlu and args.json and args.errors == Path("e.jsonl")


@pytest.mark.slow
@pytest.mark.parametrize("batch", ["1", "32"])
def test_nlu_one_json_line_per_input_line(batch: str, pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    messages = ["藤沢市辻堂元町3丁目で電柱が倒れて道がふさがってる", *BAD_LINES, "ふじさわえきの近く冠水"]
    out = io.StringIO()
    stdin = io.StringIO("".join(m + "\n" for m in messages))
    code = cmd_nlu(parse("nlu", "--batch-size", batch), stdin=stdin, stdout=out, resources=(pipeline, gazetteer))
    assert code == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == len(messages)
    for message, line in zip(messages, lines, strict=True):
        record = json.loads(line)
        assert set(record) == FIELDS
        assert record["text"] == message
        assert record["intent"] in nlp.INTENTS
        for loc in record["locations"]:
            assert set(loc) == LOCATION_FIELDS
            assert loc["text"] in message
    first = json.loads(lines[0])
    assert first["categories"] == ["road_blocked", "fallen_object"]
    assert first["locations"][0]["municipality_code"] == "14205"
    assert json.loads(lines[4])["urgent"]  # the HTML one says 助けて


@pytest.mark.slow
def test_eval_nlu_prints_scores_and_writes_errors(tmp_path: Path, pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    gold = [
        {"text": "停電しています", "intent": "report", "categories": ["power_outage"], "negated": [],
         "urgent": False, "hazard_for_shelter": None, "locations": [], "needs_location": True},
        {"text": "こんにちは", "intent": "cancel", "categories": [], "negated": [],
         "urgent": False, "hazard_for_shelter": None, "locations": [], "needs_location": False},
    ]  # fmt: skip
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    out = io.StringIO()
    args = parse("eval-nlu", str(corpus), "--errors", str(errors))
    assert cmd_eval_nlu(args, stdout=out, resources=(pipeline, gazetteer)) == 0
    text = out.getvalue()
    assert "intent accuracy:            0.500" in text
    assert "intent confusion" in text and "power_outage" in text
    wrong = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert [w["text"] for w in wrong] == ["こんにちは"] and wrong[0]["wrong"] == ["intent"]

    out = io.StringIO()
    assert cmd_eval_nlu(parse("eval-nlu", str(corpus), "--json"), stdout=out, resources=(pipeline, gazetteer)) == 0
    summary = json.loads(out.getvalue())
    assert summary["categories_micro"]["f1"] == 1.0 and summary["intent_accuracy"] == 0.5
