"""Benchmark: the officers' report queries over one million reports in PostgreSQL.

Run: .venv/bin/python bench/reports_query.py [--rows 1000000] [--repeat 30] [--url postgresql://...]

Creates a throw-away database next to the one in ``--url`` (default: SONAE_BENCH_DATABASE_URL,
else postgresql://postgres@127.0.0.1:5432/postgres), migrates it, bulk-loads synthetic reports
with COPY, then times each query (p50/p95 over ``--repeat`` runs) with the schema's indexes,
drops those indexes and times the same queries again: the ratio comes from one run on one
machine. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports_api import ReportFilter, list_reports, make_engine, upgrade  # noqa: E402
from reports_api.aggregates import count_reports  # noqa: E402
from reports_api.queries import BBox  # noqa: E402

CATEGORIES = ["flood", "landslide", "fire", "injury", "trapped", "road", "outage", "earthquake"]
# 33 municipalities of Kanagawa-like codes, with centres spread over ~60 km.
MUNICIPALITIES = [
    (f"14{100 + i * 3:03d}", f"市{i:02d}", 35.2 + (i % 6) * 0.06, 139.1 + (i // 6) * 0.09) for i in range(33)
]
STATUSES = ["new"] * 70 + ["verified"] * 20 + ["rejected"] * 5 + ["resolved"] * 5
T_END = datetime(2026, 11, 29, tzinfo=UTC)
DAYS = 30
COLUMNS = (
    "number", "source_event_id", "received_at", "reported_at", "text", "categories", "urgent", "lat", "lon",
    "location_source", "location_precision_m", "place_text", "municipality", "municipality_code", "reporter",
    "source", "status", "photos", "created_at", "updated_at", "category",
)  # fmt: skip


def _tsv(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _row(i: int, rng: random.Random) -> str:
    code, name, lat0, lon0 = MUNICIPALITIES[rng.randrange(len(MUNICIPALITIES))]
    at = T_END - timedelta(seconds=rng.random() * DAYS * 86400)
    cats = [rng.choice(CATEGORIES)] + ([rng.choice(CATEGORIES)] if rng.random() < 0.2 else [])
    located = rng.random() < 0.85
    values = (
        f"R-B-{i:07d}", f"bench{i:012d}", at, at - timedelta(seconds=30),
        f"通報 {i} {rng.choice(['川があふれそう', '道路が冠水', '家が倒れた', '煙が見える'])}",
        json.dumps(cats), rng.random() < 0.05,
        lat0 + rng.gauss(0, 0.02) if located else None, lon0 + rng.gauss(0, 0.02) if located else None,
        "line_location" if located else "none", 20.0 if located else None, "", name, code,
        f"rp_{rng.getrandbits(96):024x}", "line", rng.choice(STATUSES), "[]", at, at, cats[0],
    )  # fmt: skip
    return "\t".join(_tsv(v) for v in values) + "\n"


def load(engine: sa.Engine, rows: int, rng: random.Random) -> float:
    """COPY synthetic reports in blocks of 20,000 rows of tab-separated text."""
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY reports ({', '.join(COLUMNS)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for block in range(1, rows + 1, 20_000):
                copy.write("".join(_row(i, rng) for i in range(block, min(block + 20_000, rows + 1))))
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE reports"))
    return time.perf_counter() - started


def queries(engine: sa.Engine) -> dict[str, Callable[[], object]]:
    week = ReportFilter(since=T_END - timedelta(days=7), until=T_END)
    city = frozenset({"14103"})
    return {
        "list: prefecture, first page": lambda: list_reports(engine, ReportFilter(), scope=frozenset(), limit=50),
        "list: one city, status=new": lambda: list_reports(
            engine, ReportFilter(statuses=frozenset({"new"})), scope=city, limit=50
        ),
        "list: one city, category, 7 days": lambda: list_reports(
            engine,
            ReportFilter(categories=frozenset({"fire"}), since=week.since, until=week.until),
            scope=city,
            limit=50,
        ),
        "list: bbox ~2 km, 7 days": lambda: list_reports(
            engine,
            ReportFilter(bbox=BBox(139.09, 35.19, 139.11, 35.21), since=week.since, until=week.until),
            scope=frozenset(),
            limit=50,
        ),
        "aggregate: one city, day, 7 days": lambda: count_reports(engine, week, scope=city, bucket="day"),
        "aggregate: prefecture, hour, 1 day": lambda: count_reports(
            engine, ReportFilter(since=T_END - timedelta(days=1), until=T_END), scope=frozenset(), bucket="hour"
        ),
    }


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm the cache and the plan
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def drop_indexes(engine: sa.Engine) -> list[str]:
    with engine.begin() as conn:
        names = list(
            conn.scalars(
                sa.text(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'reports' AND indexname LIKE 'ix_%' "
                    "ORDER BY indexname"
                )
            )
        )
        for name in names:
            conn.execute(sa.text(f'DROP INDEX "{name}"'))
        conn.execute(sa.text("ANALYZE reports"))
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    default_url = os.environ.get("SONAE_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--url", default=default_url)
    args = parser.parse_args()

    admin = sa.create_engine(make_engine(args.url).url, isolation_level="AUTOCOMMIT")
    name = f"sonae_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        print(f"loading {args.rows:,} reports …", flush=True)
        seconds = load(engine, args.rows, random.Random(args.seed))
        print(f"loaded in {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s)")
        with_ix = {label: measure(fn, args.repeat) for label, fn in queries(engine).items()}
        dropped = drop_indexes(engine)
        without = {label: measure(fn, max(5, args.repeat // 3)) for label, fn in queries(engine).items()}
        print(f"\nindexes dropped for the baseline: {', '.join(dropped)}\n")
        print("| query | with indexes p50 / p95 (ms) | without p50 / p95 (ms) | speed-up (p50) |")
        print("|---|---|---|---|")
        for label, (p50, p95) in with_ix.items():
            b50, b95 = without[label]
            print(f"| {label} | {p50:.1f} / {p95:.1f} | {b50:.1f} / {b95:.1f} | {b50 / p50:.0f}× |")
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
