"""Benchmark: the whole NLU (``analyze_many``) against raw GiNZA ``nlp.pipe``, same texts, one run.

Run: .venv/bin/python bench/nlu_throughput.py [--repeat N] [--batch-size B]

Texts are the annotated corpora (tests/nlu_corpus/*.jsonl). Three timings:
  raw     spacy.load("ja_ginza") and list(nlp.pipe(texts)): the baseline;
  nlu     analyze_many(texts) without a cache: every message is new;
  stream  the same messages repeated ``--repeat`` times, shuffled, through one LRU cache
          (a disaster brings many identical short messages: 「停電」, 「ひなんじょ どこ」).
Then the dev-corpus scores of the batched results (to show speed does not cost accuracy)
and peak memory: tracemalloc peak per phase, and the process's max RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

import nlp  # noqa: E402
from nlp.batch import NluCache, analyze_many  # noqa: E402
from nlp.cli import output_record  # noqa: E402
from nlp.evaluate import score  # noqa: E402

CORPUS = ROOT / "tests" / "nlu_corpus"


def _load(name: str) -> list[dict[str, Any]]:
    with (CORPUS / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _timed(fn: Callable[[], object], rounds: int) -> float:
    """Best wall time of ``rounds`` runs (the machine is shared and noisy)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _peak(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="copies of each message in the stream phase")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    dev = _load("dev.jsonl")
    texts = [r["text"] for r in dev + _load("holdout.jsonl")]
    stream = texts * args.repeat
    random.Random(7).shuffle(stream)

    raw = spacy.load("ja_ginza")
    pipeline = nlp.load_pipeline()
    gazetteer = nlp.Gazetteer.load_default()
    list(raw.pipe(texts[:20]))  # warm both pipelines up
    analyze_many(texts[:20], pipeline, gazetteer)

    t_raw = _timed(lambda: list(raw.pipe(texts, batch_size=args.batch_size)), args.rounds)
    t_nlu = _timed(lambda: analyze_many(texts, pipeline, gazetteer, batch_size=args.batch_size), args.rounds)
    t_raw_stream = len(stream) / len(texts) * t_raw  # raw GiNZA has no cache: linear
    t_stream = _timed(
        lambda: analyze_many(stream, pipeline, gazetteer, batch_size=args.batch_size, cache=NluCache()), args.rounds
    )
    t_single = _timed(lambda: [nlp.analyze(t, pipeline, gazetteer) for t in texts], 1)

    results = analyze_many([r["text"] for r in dev], pipeline, gazetteer)
    preds = []
    for gold, result in zip(dev, results, strict=True):
        record = output_record(gold["text"], result)
        record["locations"] = [loc.to_dict() for loc in result.locations]
        preds.append(record)
    s = score(dev, preds).summary()

    mem_raw = _peak(lambda: list(raw.pipe(texts, batch_size=args.batch_size)))
    mem_nlu = _peak(lambda: analyze_many(texts, pipeline, gazetteer, batch_size=args.batch_size))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    n = len(texts)
    print(f"texts: {n} distinct messages ({sum(map(len, texts)):,} characters); stream: {len(stream)}")
    print(f"raw ja_ginza nlp.pipe : {n / t_raw:8.1f} msg/s   ({t_raw:.2f} s)")
    print(f"NLU analyze_many      : {n / t_nlu:8.1f} msg/s   ({t_nlu:.2f} s)   ratio {t_raw / t_nlu:.2f}x")
    print(f"NLU analyze (one/one) : {n / t_single:8.1f} msg/s   ({t_single:.2f} s)   ratio {t_raw / t_single:.2f}x")
    print(
        f"stream x{args.repeat} with LRU cache: {len(stream) / t_stream:8.1f} msg/s   ratio {t_raw_stream / t_stream:.2f}x"
    )
    print(
        f"dev accuracy of the batched run: category micro-F1 {s['categories_micro']['f1']:.3f}, "
        f"intent {s['intent_accuracy']:.3f}, urgent recall {s['urgent']['recall']:.3f}, "
        f"municipality {s['municipality_accuracy']:.3f}"
    )
    print(f"peak traced memory: raw pipe {mem_raw:.1f} MiB, NLU {mem_nlu:.1f} MiB; process max RSS {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
