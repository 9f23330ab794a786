"""``sonae shelters import`` (into the database) and ``sonae shelters status``.

The database is the configured one (``SONAE_DATABASE_URL``), or the embedded default's
SQLite file, migrated on first use like ``sonae serve`` does.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from config import ConfigError, load_settings
from evacuation.csvfile import GsiFileError
from evacuation.db_import import ImportOutcome, import_sites
from evacuation.status import StatusRecord, UnknownSiteError, set_status, status_history
from reports_api import DatabaseUnavailable, check_connection, make_engine, upgrade

__all__ = ["open_database", "run_import", "run_status"]


@contextmanager
def open_database(*, create: bool) -> Iterator[Engine | None]:
    """The configured database, disposed on exit. On the embedded default: None when its
    file does not exist and ``create`` is false (read-only commands use the packaged data)."""
    settings = load_settings(os.environ)
    if settings.embedded:
        if not create and not (settings.data_dir / "sonae.sqlite3").exists():
            yield None
            return
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    try:
        try:
            check_connection(engine)
        except DatabaseUnavailable as exc:
            raise ConfigError(f"SONAE_DATABASE_URL: {exc}") from None
        if settings.embedded:
            upgrade(engine)
        yield engine
    finally:
        engine.dispose()


def _schema_hint(exc: sa.exc.DBAPIError) -> str:
    return f"database error ({type(exc.orig).__name__}); is the schema up to date? run `sonae db upgrade`"


class _Progress:
    """Plain progress on stderr (only on a terminal): rows read, then sites written."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if not self.tty:
            return
        shown = f"{done:,}/{total:,} sites" if total else f"{done:,} rows"
        print(f"\r{phase}: {shown} ({time.monotonic() - self.started:.0f} s)   ", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def _summary(outcome: ImportOutcome) -> dict[str, Any]:
    return {
        "stored": not outcome.skipped,
        "import_id": outcome.import_id,
        "skipped_same_as_latest": outcome.skipped,
        "data_date": outcome.data_date.isoformat(),
        "files": list(outcome.files),
        "rows_read": outcome.rows_read,
        "sites": outcome.sites,
        "added": outcome.added,
        "updated": outcome.updated,
        "removed": outcome.removed,
        "kept_missing_because_of_bad_rows": outcome.kept_missing,
        "bad_rows": [{"source": b.source, "line": b.line, "reason": b.reason} for b in outcome.bad_rows],
    }


def run_import(args: argparse.Namespace) -> int:
    progress = _Progress()
    try:
        with open_database(create=True) as engine:
            assert engine is not None
            outcome = import_sites(
                engine, args.paths, data_date=args.data_date, author=args.author or getpass.getuser(), progress=progress
            )
    except (GsiFileError, ValueError) as exc:
        progress.done()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except sa.exc.DBAPIError as exc:
        progress.done()
        print(f"error: {_schema_hint(exc)}", file=sys.stderr)
        return 2
    progress.done()
    summary = _summary(outcome)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    elif outcome.skipped:
        print(f"Already imported as run #{outcome.import_id} (same files, data date {outcome.data_date}): no change.")
    else:
        print(
            f"Run #{outcome.import_id}, data date {outcome.data_date}: {outcome.rows_read:,} rows read, "
            f"{outcome.sites:,} sites; {outcome.added:,} added, {outcome.updated:,} updated, "
            f"{outcome.removed:,} removed; {len(outcome.bad_rows):,} bad rows"
        )
        if outcome.kept_missing:
            print(f"{outcome.kept_missing:,} sites missing from these files were kept because of the bad rows.")
        for bad in outcome.bad_rows:
            print(f"  {bad.source}:{bad.line}: {bad.reason}")
    return 1 if outcome.bad_rows else 0


def _record_json(record: StatusRecord) -> dict[str, Any]:
    return asdict(record) | {"at": record.at.isoformat()}


def run_status(args: argparse.Namespace) -> int:
    if args.set is None and (args.crowding or args.head_count is not None):
        print("error: --crowding and --head-count need --set open|closed", file=sys.stderr)
        return 2
    if args.set is not None and not args.author:
        print("error: --author is required with --set (who changed the status)", file=sys.stderr)
        return 2
    try:
        with open_database(create=True) as engine:
            assert engine is not None
            if args.set is not None:
                set_status(engine, args.site_id, status=args.set, crowding=args.crowding,
                           head_count=args.head_count, author=args.author, note=args.note or "")  # fmt: skip
            history = status_history(engine, args.site_id, limit=args.limit)
    except (UnknownSiteError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except sa.exc.DBAPIError as exc:
        print(f"error: {_schema_hint(exc)}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([_record_json(r) for r in history], ensure_ascii=False, indent=2))
        return 0
    if not history:
        print(f"{args.site_id}: no status recorded (unknown)")
    for r in history:
        extra = "".join(
            [f", {r.crowding}" if r.crowding else "", f", {r.head_count} people" if r.head_count is not None else ""]
        )
        note = f" — {r.note}" if r.note else ""
        print(f"{r.at.isoformat(timespec='seconds')}  {r.site_id}  {r.status}{extra}  by {r.author}{note}")
    return 0
