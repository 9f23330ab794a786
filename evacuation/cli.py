"""``sonae shelters``: nearest designated sites, and a dry-run import of GSI CSVs.

``register(subparsers)`` adds the command; each leaf parser sets ``func(args) -> int``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from evacuation.csvfile import GsiFileError
from evacuation.geo import DEFAULT_WALK_SPEED_M_PER_MIN
from evacuation.hazards import HAZARD_LABELS_JA, Hazard, parse_hazard
from evacuation.importer import ImportResult, load_sites
from evacuation.index import DEFAULT_DATA_DATE, NearbySite, ShelterIndex

__all__ = ["nearest_json", "register"]

FOLLOW_MUNICIPALITY = "Follow your municipality's instructions; designations change."


def _hazard(text: str) -> Hazard:
    try:
        return parse_hazard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``shelters nearest`` and ``shelters import`` to an argparse subparsers object."""
    shelters = subparsers.add_parser("shelters", help="designated evacuation sites (GSI data)")
    commands = shelters.add_subparsers(dest="shelters_command", required=True)

    nearest = commands.add_parser("nearest", help="the nearest sites designated for a hazard")
    nearest.add_argument("--lat", type=float, required=True)
    nearest.add_argument("--lon", type=float, required=True)
    nearest.add_argument("--hazard", type=_hazard, required=True, help=", ".join(h.value for h in Hazard))
    nearest.add_argument("-k", type=int, default=5, help="how many sites (default 5)")
    nearest.add_argument("--max-distance-m", type=float, default=None)
    nearest.add_argument("--walk-speed", type=float, default=DEFAULT_WALK_SPEED_M_PER_MIN, help="metres/minute")
    nearest.add_argument("--data", nargs="+", metavar="CSV", help="GSI CSVs instead of the packaged data")
    nearest.add_argument("--data-date", type=date.fromisoformat, default=None)
    nearest.add_argument("--municipality", help="the caller's municipality; warns when it has no data")
    nearest.add_argument("--json", action="store_true", help="print a JSON list")
    nearest.set_defaults(func=_run_nearest)

    importer = commands.add_parser("import", help="parse GSI CSVs and report (stores nothing yet)")
    importer.add_argument("paths", nargs="+", metavar="PATH")
    importer.add_argument("--json", action="store_true")
    importer.set_defaults(func=_run_import)
    return shelters


def nearest_json(results: list[NearbySite]) -> list[dict[str, Any]]:
    """The JSON shape of ``shelters nearest --json`` (status is null until status exists)."""
    return [
        {
            "id": n.site.id,
            "name": n.site.name,
            "address": n.site.address,
            "municipality": n.site.municipality_full,
            "lat": n.site.lat,
            "lon": n.site.lon,
            "distance_m": round(n.distance_m, 1),
            "walk_minutes": round(n.walk_minutes, 1),
            "hazards": [h.value for h in Hazard if h in n.site.hazards],
            "is_shelter": n.site.is_shelter,
            "note": n.site.note,
            "status": None,
        }
        for n in results
    ]


def _run_nearest(args: argparse.Namespace) -> int:
    try:
        if args.data:
            index = ShelterIndex.from_files(args.data, args.data_date or DEFAULT_DATA_DATE)
        else:
            index = ShelterIndex.load_default()
        results = index.nearest(
            args.lat,
            args.lon,
            hazard=args.hazard,
            k=args.k,
            max_distance_m=args.max_distance_m,
            walk_speed_m_per_min=args.walk_speed,
        )
    except (GsiFileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.municipality and not index.has_data(args.municipality, args.hazard):
        print(
            f"warning: no {args.hazard.value} designated-site data for {args.municipality} in "
            f"the snapshot of {index.data_date}; sites below belong to other municipalities "
            "and are not a complete list. Ask the municipality.",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(nearest_json(results), ensure_ascii=False, indent=2))
        return 0
    print(f"{HAZARD_LABELS_JA[args.hazard]} ({args.hazard.value}), data of {index.data_date}")
    if not results:
        print("no designated site found for this hazard")
    for i, n in enumerate(results, 1):
        print(
            f"{i}. {n.site.name} — {n.distance_m:,.0f} m, about {n.walk_minutes:.0f} min walk"
            f" ({n.site.municipality_full} {n.site.address})"
        )
    print(FOLLOW_MUNICIPALITY)
    return 0


def _progress(rows: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{rows:,} rows…", end="", file=sys.stderr, flush=True)


def _run_import(args: argparse.Namespace) -> int:
    try:
        result: ImportResult = load_sites(args.paths, _progress)
    except GsiFileError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 2
    if sys.stderr.isatty():
        print(file=sys.stderr)
    summary = {
        "stored": False,  # parsing only: storing into the database is a later step
        "files": {path: kind.value for path, kind in result.kinds.items()},
        "rows_read": result.rows_read,
        "sites": len(result.sites),
        "emergency_sites": sum(1 for s in result.sites if s.hazards),
        "shelters": sum(1 for s in result.sites if s.is_shelter),
        "linked_emergency_and_shelter": sum(1 for s in result.sites if s.hazards and s.is_shelter),
        "bad_rows": [{"source": b.source, "line": b.line, "reason": b.reason} for b in result.bad_rows],
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        for path, kind in result.kinds.items():
            print(f"{path}: {kind.value}")
        print(
            f"{result.rows_read:,} rows read; {len(result.sites):,} sites "
            f"({summary['emergency_sites']:,} emergency, {summary['shelters']:,} shelters, "
            f"{summary['linked_emergency_and_shelter']:,} both); "
            f"{len(result.bad_rows):,} bad rows"
        )
        for bad in result.bad_rows:
            print(f"  {bad.source}:{bad.line}: {bad.reason}")
        print("Nothing was stored: database import is not implemented yet.")
    return 1 if result.bad_rows else 0
