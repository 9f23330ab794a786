"""``sonae shelters``: nearest designated sites, importing GSI CSVs, officers' status.

``register(subparsers)`` adds the command; each leaf parser sets ``func(args) -> int``.
The database parts (``cli_db``) are imported only when such a command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from evacuation.csvfile import GsiFileError
from evacuation.geo import DEFAULT_WALK_SPEED_M_PER_MIN
from evacuation.hazards import HAZARD_LABELS_JA, Hazard, parse_hazard
from evacuation.importer import ImportResult, load_sites
from evacuation.index import DEFAULT_DATA_DATE, NearbySite, ShelterIndex
from evacuation.status_values import CROWDING_VALUES, STATUS_VALUES

if TYPE_CHECKING:
    from evacuation.status import StatusRecord

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
    nearest.add_argument("--include-closed", action="store_true", help="also list sites marked closed or full")
    nearest.set_defaults(func=_run_nearest)

    importer = commands.add_parser("import", help="store GSI CSVs in the database (idempotent)")
    importer.add_argument("paths", nargs="+", metavar="PATH")
    importer.add_argument("--data-date", type=date.fromisoformat, default=None,
                          help="GSI data date YYYY-MM-DD (needed unless the files are a known snapshot)")  # fmt: skip
    importer.add_argument("--author", help="who imports (default: the login name)")
    importer.add_argument("--dry-run", action="store_true", help="parse and report only; store nothing")
    importer.add_argument("--json", action="store_true")
    importer.set_defaults(func=_run_import)

    status = commands.add_parser("status", help="show a site's status history, or set its status")
    status.add_argument("site_id", metavar="SITE_ID", help="共通ID of the site or of its 指定避難所")
    status.add_argument("--set", choices=STATUS_VALUES, help="open (開設) or closed (閉鎖)")
    status.add_argument("--crowding", choices=CROWDING_VALUES, help="空き / 混雑 / 満員 (open sites only)")
    status.add_argument("--head-count", type=int, help="people at the site")
    status.add_argument("--author", help="who sets it (required with --set)")
    status.add_argument("--note", help="free text kept with the change")
    status.add_argument("--limit", type=int, default=20, help="history entries to show (default 20)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=_run_status)
    return shelters


def nearest_json(results: list[NearbySite], statuses: dict[str, StatusRecord] | None = None) -> list[dict[str, Any]]:
    """The JSON shape of ``shelters nearest --json``; ``status`` is null when never set."""
    from evacuation.live import status_of

    def status(n: NearbySite) -> dict[str, Any]:
        record = status_of(n.site, statuses or {})
        if record is None:
            return {"status": None, "crowding": None, "head_count": None, "status_at": None}
        return {
            "status": record.status,
            "crowding": record.crowding,
            "head_count": record.head_count,
            "status_at": record.at.isoformat(),
        }

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
            **status(n),
        }
        for n in results
    ]


def _run_nearest(args: argparse.Namespace) -> int:
    from evacuation.cli_db import open_database
    from evacuation.live import LiveShelters

    try:
        with open_database(create=False) as engine:
            live = LiveShelters(engine)
            index = (
                ShelterIndex.from_files(args.data, args.data_date or DEFAULT_DATA_DATE) if args.data else live.index()
            )
            statuses = live.statuses()
        results = index.nearest(
            args.lat,
            args.lon,
            hazard=args.hazard,
            k=args.k,
            max_distance_m=args.max_distance_m,
            excluded=frozenset() if args.include_closed else live.turned_away(index, statuses),
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
        print(json.dumps(nearest_json(results, statuses), ensure_ascii=False, indent=2))
        return 0
    print(f"{HAZARD_LABELS_JA[args.hazard]} ({args.hazard.value}), data of {index.data_date}")
    if not results:
        print("no designated site found for this hazard")
    for i, (n, row) in enumerate(zip(results, nearest_json(results, statuses), strict=True), 1):
        state = f" [{row['status']}{', ' + row['crowding'] if row['crowding'] else ''}]" if row["status"] else ""
        print(
            f"{i}. {n.site.name} — {n.distance_m:,.0f} m, about {n.walk_minutes:.0f} min walk"
            f" ({n.site.municipality_full} {n.site.address}){state}"
        )
    print(FOLLOW_MUNICIPALITY)
    return 0


def _progress(rows: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{rows:,} rows…", end="", file=sys.stderr, flush=True)


def _run_import(args: argparse.Namespace) -> int:
    if not args.dry_run:
        from evacuation.cli_db import run_import

        return run_import(args)
    try:
        result: ImportResult = load_sites(args.paths, _progress)
    except GsiFileError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 2
    if sys.stderr.isatty():
        print(file=sys.stderr)
    summary = {
        "stored": False,  # --dry-run: parsing only
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
        print("Nothing was stored (--dry-run).")
    return 1 if result.bad_rows else 0


def _run_status(args: argparse.Namespace) -> int:
    from evacuation.cli_db import run_status

    return run_status(args)
