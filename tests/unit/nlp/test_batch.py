"""``analyze_many`` gives exactly what ``analyze`` gives, and its cache serves repeats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

import nlp
from nlp.batch import NluCache, analyze_many, iter_analyze

DEV = Path(__file__).parents[2] / "nlu_corpus" / "dev.jsonl"


@pytest.mark.slow
def test_same_results_as_analyze(pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()][:160]
    texts += ["", "🙏", "藤沢市で冠水。" * 800, None]  # type: ignore[list-item]
    batched = analyze_many(texts, pipeline, gazetteer, batch_size=16)
    assert batched == [nlp.analyze(t, pipeline, gazetteer) for t in texts]  # type: ignore[arg-type]


@pytest.mark.slow
def test_cache_serves_repeated_messages(pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    cache = NluCache(maxsize=2)
    texts = ["停電", "ひなんじょ どこ", "停電", "停電", "無事です", "停電"]
    results = list(iter_analyze(texts, pipeline, gazetteer, cache=cache, chunk=2))
    assert results[0] == results[2] == results[5] == nlp.analyze("停電", pipeline, gazetteer)
    assert cache.hits >= 2 and len(cache) <= 2


def test_cache_is_lru() -> None:
    cache = NluCache(maxsize=2)
    a, b, c = (nlp.NluResult(intent=i) for i in ("report", "safety", "other"))
    cache.put("a", a)
    cache.put("b", b)
    assert cache.get("a") is a  # "a" is now the most recent
    cache.put("c", c)
    assert cache.get("b") is None and cache.get("a") is a and cache.get("c") is c
