"""Benchmark: what reading officers' statuses on every search costs.

Run: .venv/bin/python bench/shelters_status.py [--database-url URL] [--statuses N] [--queries Q] [--nationwide]

Imports the packaged Kanagawa data (or the nationwide files) into a fresh database (a
temporary SQLite file by default; a PostgreSQL URL must name an empty database), marks
``--statuses`` random sites (a third closed, a sixth full, the rest open), then times, on
the same random queries near sites:

* ``index only``: ``ShelterIndex.nearest`` with the closed/full set computed once (a cache
  that never goes stale — the lower bound);
* ``reread``: read every current status and derive the closed/full set on each search;
* ``live``: what ``ShelterFinder`` does: ``LiveShelters.snapshot()`` (one query to notice a new
  import or status change; statuses re-read only then), then search;
* ``live+change``: as ``live``, but an officer changes a status before every search;
* ``finder``: the whole ``ShelterFinder`` call (municipality lookup, coverage, cards, labels).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # see bench/shelters_nearest.py

from bot.wiring import ShelterFinder  # noqa: E402
from evacuation import Hazard  # noqa: E402
from evacuation.db_import import import_sites  # noqa: E402
from evacuation.live import LiveShelters  # noqa: E402
from evacuation.status import set_status  # noqa: E402
from nlp import Gazetteer  # noqa: E402
from reports_api import make_engine, upgrade  # noqa: E402

PACKAGED = sorted((ROOT / "evacuation/data").glob("*.csv"))
NATIONWIDE = sorted((ROOT.parent / "shared/data/gsi_shelters_japan").glob("*.csv.gz"))


Query = tuple[float, float, Hazard]


def timed(label: str, search: Callable[[float, float, Hazard], object], queries: list[Query]) -> float:
    times = []
    for lat, lon, hazard in queries:
        t0 = time.perf_counter()
        search(lat, lon, hazard)
        times.append(time.perf_counter() - t0)
    p50, p95 = statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]
    print(f"{label:11s} {len(times) / sum(times):8.0f} q/s   p50 {1e3 * p50:6.2f} ms   p95 {1e3 * p95:6.2f} ms")
    return p50


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--statuses", type=int, default=500)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--nationwide", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.database_url or f"sqlite:///{folder}/bench.sqlite3")
        upgrade(engine)
        t0 = time.perf_counter()
        outcome = import_sites(engine, NATIONWIDE if args.nationwide else PACKAGED, author="bench")
        print(f"{engine.url.get_backend_name()}: imported {outcome.sites:,} sites in {time.perf_counter() - t0:.1f} s")
        live = LiveShelters(engine)
        index = live.index()
        emergency = [s for s in index.sites if s.hazards]
        for site in rng.sample(emergency, min(args.statuses, len(emergency))):
            kind = rng.random()
            if kind < 1 / 3:
                set_status(engine, site.id, status="closed", author="bench")
            else:
                crowding = "full" if kind < 0.5 else rng.choice(["available", "crowded", None])
                set_status(engine, site.id, status="open", crowding=crowding, head_count=50, author="bench")
        skip = live.turned_away(index, live.statuses())
        print(f"{args.statuses} statuses set, {len(skip)} sites closed or full; {args.queries} queries, k = 5")

        finder = ShelterFinder(live, Gazetteer.load_default())
        queries: list[Query] = []
        for _ in range(args.queries):
            anchor = rng.choice(emergency)
            hazard = rng.choice([h for h in Hazard if h in anchor.hazards])
            queries.append((anchor.lat + rng.uniform(-0.02, 0.02), anchor.lon + rng.uniform(-0.02, 0.02), hazard))

        def reread(lat: float, lon: float, hazard: Hazard) -> object:
            current = live.index()
            return current.nearest(lat, lon, hazard, 5, None, live.turned_away(current, live.statuses()))

        def live_search(lat: float, lon: float, hazard: Hazard) -> object:
            snap = live.snapshot()
            return snap.index.nearest(lat, lon, hazard, 5, None, snap.turned_away)

        def changed_then_search(lat: float, lon: float, hazard: Hazard) -> object:
            set_status(engine, emergency[0].id, status="open", author="bench")
            return live_search(lat, lon, hazard)

        def index_only(lat: float, lon: float, hazard: Hazard) -> object:
            return index.nearest(lat, lon, hazard, 5, None, skip)

        def whole_finder(lat: float, lon: float, hazard: Hazard) -> object:
            return finder(lat, lon, hazard.value, "ja")

        base = timed("index only", index_only, queries)
        timed("reread", reread, queries)
        with_status = timed("live", live_search, queries)
        timed("live+change", changed_then_search, queries)
        timed("finder", whole_finder, queries)
        print(f"live (statuses checked per search) adds {1e3 * (with_status - base):.2f} ms at the median")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
