"""Benchmark: nearest-5 sites over a national-scale set, index vs brute-force haversine.

Run: .venv/bin/python bench/shelters_nearest.py [--queries N] [--seed S] [--k K]

Loads GSI's nationwide 指定緊急避難場所 CSV from ../shared/data/gsi_shelters_japan (or, when
absent, synthesises 115,402 sites by copying the packaged Kanagawa data across Japan), then
runs the same random queries through ``ShelterIndex.nearest`` and through a pure-Python
haversine scan, checks the answers are identical and prints queries/s, the ratio and memory.
"""

from __future__ import annotations

import argparse
import dataclasses
import heapq
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The editable install of the venv exposes `evacuation` as a namespace package when run
# from bench/; put the project root first so the real package is imported.
sys.path.insert(0, str(ROOT))

from evacuation import Hazard, ShelterIndex, Site, load_sites, read_gsi_csv  # noqa: E402
from evacuation.geo import haversine_m, in_japan  # noqa: E402
from evacuation.index import DEFAULT_DATA_DATE, DEFAULT_DATA_FILES  # noqa: E402

NATIONWIDE = ROOT.parent / "shared/data/gsi_shelters_japan/japan_shitei_kinkyu_hinan_basho.csv.gz"
NATIONAL_SIZE = 115_402


def national_sites(rng: random.Random, synthetic: bool) -> tuple[list[Site], str]:
    """The nationwide emergency sites, or a synthetic set of the same size."""
    if NATIONWIDE.exists() and not synthetic:
        return list(read_gsi_csv(NATIONWIDE).sites), f"GSI nationwide ({NATIONWIDE.name})"
    base = load_sites(ROOT / "evacuation/data" / name for name in DEFAULT_DATA_FILES).sites
    sites: list[Site] = []
    copy = 0
    while len(sites) < NATIONAL_SIZE:
        dlat, dlon = rng.uniform(-4.5, 6.0), rng.uniform(-8.0, 5.0)
        for site in base:
            lat, lon = site.lat + dlat, site.lon + dlon
            if in_japan(lat, lon) and len(sites) < NATIONAL_SIZE:
                sites.append(dataclasses.replace(site, id=f"{site.id}-{copy}", lat=lat, lon=lon))
        copy += 1
    return sites, f"synthetic ({copy} shifted copies of Kanagawa)"


def brute_force(points: list[tuple[float, float, int]], lat: float, lon: float, k: int) -> list[tuple[float, int]]:
    """The k nearest (distance, index) by scanning every point in Python."""
    return heapq.nsmallest(k, ((haversine_m(lat, lon, a, b), i) for a, b, i in points))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--synthetic", action="store_true", help="ignore the nationwide file")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    t0 = time.perf_counter()
    sites, origin = national_sites(rng, args.synthetic)
    load_s = time.perf_counter() - t0
    tracemalloc.start()
    t0 = time.perf_counter()
    index = ShelterIndex(sites, DEFAULT_DATA_DATE)
    build_s = time.perf_counter() - t0
    index_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Brute force gets per-hazard lists prepared in advance: only the scan is timed.
    hazards: list[Hazard | None] = [None, *Hazard]
    lists = {h: [(s.lat, s.lon, i) for i, s in enumerate(sites) if h is None or h in s.hazards] for h in hazards}
    queries = []
    for _ in range(args.queries):
        anchor = rng.choice(sites)  # near where sites (and people) are, up to ~10 km off
        lat = anchor.lat + rng.uniform(-0.1, 0.1)
        lon = anchor.lon + rng.uniform(-0.1, 0.1)
        if in_japan(lat, lon):
            queries.append((lat, lon, rng.choice(hazards)))

    t0 = time.perf_counter()
    fast = [index.nearest(lat, lon, hazard=h, k=args.k) for lat, lon, h in queries]
    fast_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    slow = [brute_force(lists[h], lat, lon, args.k) for lat, lon, h in queries]
    slow_s = time.perf_counter() - t0

    position = {id(s): i for i, s in enumerate(sites)}
    mismatches = 0
    for got, want in zip(fast, slow, strict=True):
        got_pairs = [(position[id(n.site)], n.distance_m) for n in got]
        if [i for i, _ in got_pairs] != [i for _, i in want] or any(
            abs(d - w) > 1e-6 for (_, d), (w, _) in zip(got_pairs, want, strict=True)
        ):
            mismatches += 1

    n = len(queries)
    print(f"data: {origin}: {len(sites):,} sites (load {load_s:.1f} s, index build {build_s:.2f} s)")
    print(f"queries: {n} random nearest-{args.k}, hazard drawn from any/8 hazards, seed {args.seed}")
    print(f"index:       {n / fast_s:10.1f} queries/s  ({1e3 * fast_s / n:.3f} ms/query)")
    print(f"brute force: {n / slow_s:10.1f} queries/s  ({1e3 * slow_s / n:.3f} ms/query)")
    print(f"speed-up: {slow_s / fast_s:.0f}x; identical results: {n - mismatches}/{n}")
    print(
        f"index memory: {index_bytes / 2**20:.1f} MiB allocated while building "
        f"({index.nbytes / 2**20:.1f} MiB numpy arrays; Site objects not counted)"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
