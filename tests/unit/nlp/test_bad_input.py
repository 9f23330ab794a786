"""Odd input never raises and still yields a valid, JSON-serialisable result."""

from __future__ import annotations

import json
import time

import pytest
from spacy.language import Language

import nlp

BAD_INPUTS = [
    "",
    "   ",
    "\n\n",
    "🙏🙏🙏",
    "🌊🏠💦",
    "<script>alert('x')</script><b>助けて</b>",
    "Help, my house is flooded",
    "\x00\x07\x1b[31m停電\x1b[0m",
    "ｶﾞｽｸｻｲ",
    "あ" * 5000,
    "藤沢市で冠水。" * 800,
    "\u200b\ufeff",
    "１２３４５",
    "?!?!",
]


@pytest.mark.slow
@pytest.mark.parametrize("text", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_never_raises(text: str, pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    result = nlp.analyze(text, pipeline, gazetteer)
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["intent"] in nlp.INTENTS
    assert set(data["categories"]) <= set(nlp.CATEGORIES)
    assert not set(data["categories"]) & set(data["negated"])
    for loc in result.locations:
        assert text[loc.start : loc.end] == loc.text


@pytest.mark.slow
def test_empty_is_other(pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    assert nlp.analyze("", pipeline, gazetteer) == nlp.NluResult(intent="other")


@pytest.mark.slow
def test_html_and_english_still_understood(pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    assert nlp.analyze("<b>助けて</b>", pipeline, gazetteer).urgent
    assert "flooding" in nlp.analyze("My street is flooded", pipeline, gazetteer).categories


@pytest.mark.slow
def test_long_text_is_fast_enough(pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    start = time.perf_counter()
    nlp.analyze("藤沢市で冠水、停電もしています。" * 300, pipeline, gazetteer)
    assert time.perf_counter() - start < 2.0
