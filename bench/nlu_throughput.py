"""Benchmark: the whole NLU (``analyze_many``) against raw GiNZA ``nlp.pipe``, same texts, one run.

Run: .venv/bin/python bench/nlu_throughput.py [--repeat N] [--batch-size B]

Texts are the annotated corpora (tests/nlu_corpus/*.jsonl). Three timings:
  raw     spacy.load("ja_ginza") and list(nlp.pipe(texts)): the baseline;
  nlu     analyze_many(texts) without a cache: every message is new;
  stream  the same messages repeated ``--repeat`` times, shuffled, through one LRU cache
          (a disaster brings many identical short messages: 「停電」, 「ひなんじょ どこ」).
Then the dev-corpus scores of the batched results (to show speed does not cost accuracy)
and peak memory: tracemalloc peak per phase, and the process's max RSS.

With ``--compare-pygeonlp PYTHON`` it instead compares place extraction with pygeonlp on
both corpora. PYTHON is an interpreter where pygeonlp is installed and its basic dictionary
set up in ``--pygeonlp-db`` (it is not a project dependency; see docs/nlu.md for the setup).
pygeonlp's adjacent geowords are merged (横浜市 + 港北区 → one mention, as annotated);
municipality nodes give their municipality, other geowords are reverse-geocoded with the
same gazetteer Sonae uses for stations.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
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


_PYGEONLP_WORKER = """
import json, sys, unicodedata
import pygeonlp.api as api
api.init(db_dir=sys.argv[1])
def parse(text):
    if not text.strip():
        return []
    try:
        return api.geoparse(text)
    except Exception:  # it crashes on NUL and some control characters: retry without them
        clean = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
        try:
            return api.geoparse(clean)
        except Exception:
            print("pygeonlp failed on a message", file=sys.stderr)
            return []
for line in sys.stdin:
    text = json.loads(line)
    out, pos = [], 0
    for f in parse(text):
        p = f["properties"]
        start = text.find(p["surface"], pos)
        if start < 0:
            continue
        pos = start + len(p["surface"])
        if p["node_type"] == "NORMAL":
            continue
        g = p.get("geoword_properties") or p.get("address_properties") or {}
        muni = None
        if g.get("ne_class") == "市区町村":
            county = g.get("countyname") or ""
            muni = (county if county.endswith("市") else "") + g["body"] + (g.get("suffix") or [""])[0]
        lat, lon = g.get("latitude"), g.get("longitude")
        out.append({"start": start, "end": pos, "municipality": muni,
                    "lat": float(lat) if lat else None, "lon": float(lon) if lon else None})
    print(json.dumps(out), flush=True)
"""


def _pygeonlp_locations(python: str, db: str, texts: list[str], gazetteer: nlp.Gazetteer) -> list[list[dict[str, Any]]]:
    proc = subprocess.run(
        [python, "-c", _PYGEONLP_WORKER, db],
        input="".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    results = []
    for text, line in zip(texts, proc.stdout.splitlines(), strict=True):
        merged: list[dict[str, Any]] = []
        for m in json.loads(line):
            if m["municipality"] is None and m["lat"] is not None:
                found = gazetteer.reverse_municipality(m["lat"], m["lon"])
                m["municipality"] = found.name if found else None
            if merged and merged[-1]["end"] == m["start"]:
                merged[-1].update(end=m["end"], municipality=m["municipality"] or merged[-1]["municipality"])
            else:
                merged.append(m)
        results.append([{**m, "text": text[m["start"] : m["end"]], "kind": "?"} for m in merged])
    return results


def _location_scores(golds: list[dict[str, Any]], locations: list[list[dict[str, Any]]]) -> dict[str, Any]:
    preds = [{**g, "locations": locs} for g, locs in zip(golds, locations, strict=True)]
    s = score(golds, preds).summary()
    return {k: s[k] for k in ("location_spans_exact", "location_recall_overlap", "municipality_accuracy")}


def compare_pygeonlp(python: str, db: str) -> int:
    """Location recall and municipality accuracy: Sonae vs pygeonlp on the same messages."""
    pipeline, gazetteer = nlp.load_pipeline(), nlp.Gazetteer.load_default()
    for name in ("dev.jsonl", "holdout.jsonl"):
        golds = _load(name)
        texts = [g["text"] for g in golds]
        ours = [[loc.to_dict() for loc in r.locations] for r in analyze_many(texts, pipeline, gazetteer)]
        theirs = _pygeonlp_locations(python, db, texts, gazetteer)
        for who, locs in (("sonae", ours), ("pygeonlp", theirs)):
            s = _location_scores(golds, locs)
            sp = s["location_spans_exact"]
            print(
                f"{name:<14} {who:<9} span P {sp['precision']:.3f} R {sp['recall']:.3f} "
                f"| overlap recall {s['location_recall_overlap']:.3f} "
                f"| municipality accuracy {s['municipality_accuracy']:.3f}"
            )
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="copies of each message in the stream phase")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--compare-pygeonlp", metavar="PYTHON", help="compare places with pygeonlp instead")
    ap.add_argument("--pygeonlp-db", default="/tmp/pgdb", help="pygeonlp database directory")
    args = ap.parse_args()
    if args.compare_pygeonlp:
        return compare_pygeonlp(args.compare_pygeonlp, args.pygeonlp_db)

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
    rate = len(stream) / t_stream
    print(f"stream x{args.repeat} with LRU cache: {rate:8.1f} msg/s   ratio {t_raw_stream / t_stream:.2f}x")
    print(
        f"dev accuracy of the batched run: category micro-F1 {s['categories_micro']['f1']:.3f}, "
        f"intent {s['intent_accuracy']:.3f}, urgent recall {s['urgent']['recall']:.3f}, "
        f"municipality {s['municipality_accuracy']:.3f}"
    )
    print(f"peak traced memory: raw pipe {mem_raw:.1f} MiB, NLU {mem_nlu:.1f} MiB; process max RSS {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
