"""Store GSI CSVs in the database: idempotent, recording each run and its data date.

A run replaces the sites of the prefectures (and kinds: emergency / shelter-only) present in
its files: new sites are added, changed ones updated, missing ones marked removed. Sites of
other prefectures are untouched. Re-importing the files of the latest run changes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from evacuation.csvfile import GsiFileError, SiteKind
from evacuation.importer import BadRow, load_sites
from evacuation.site import Site
from evacuation.store import CONTENT_COLUMNS, IMPORTS, SITES, site_to_row

__all__ = ["KNOWN_SNAPSHOTS", "ImportOutcome", "Progress", "import_sites"]

Progress = Callable[[str, int, int | None], None]  # (phase, done, total or None)
BATCH = 2_000
# sha256 of the uncompressed CSV -> GSI data date, for the snapshots this project ships or uses.
KNOWN_SNAPSHOTS: dict[str, date] = {
    "fd6a48f1c537324623a00e69b10faaf895f16231ba5f6e0f48e0892083433967": date(2025, 10, 27),
    "bca3471948990035e1bcd5ec3d836dfb7d51350745edb92b87d63685a39dd10b": date(2025, 10, 27),
    "9666896e709b15aa36ba3e4f81d5dbc07c7981ea07c498525e4d27031970bc9d": date(2025, 10, 27),
    "cc45f60d378a850afbf45359b32babe60c938aabe5e59907af7400d85bf6a272": date(2025, 10, 27),
}


@dataclass(frozen=True)
class ImportOutcome:
    """What a run did. ``skipped``: the same files and data date as the latest run."""

    import_id: int
    data_date: date
    skipped: bool
    rows_read: int = 0
    sites: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept_missing: int = 0  # not removed because the run had bad rows
    bad_rows: tuple[BadRow, ...] = ()
    files: tuple[dict[str, Any], ...] = field(default=())


def _sha256(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GsiFileError(f"{path}: cannot read ({exc.strerror})") from exc
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise GsiFileError(f"{path}: broken gzip file ({exc})") from exc
    return hashlib.sha256(raw).hexdigest()


def _data_date(given: date | None, digests: Sequence[str]) -> date | None:
    if given is not None:
        return given
    known = {KNOWN_SNAPSHOTS.get(d) for d in digests}
    return known.pop() if len(known) == 1 else None


def _latest(conn: Connection) -> Any:
    return conn.execute(sa.select(IMPORTS).order_by(IMPORTS.c.id.desc()).limit(1)).first()


def _kind(row_hazards: Sequence[str]) -> SiteKind:
    return SiteKind.EMERGENCY if row_hazards else SiteKind.SHELTER


def import_sites(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    data_date: date | None = None,
    author: str,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Parse GSI CSVs and store them (see the module docstring). One transaction.

    Raises ``GsiFileError`` for a file that is not a readable GSI CSV and ``ValueError`` when
    the data date is not given and the files are not a known snapshot. Bad rows are reported.
    """
    files = [Path(p) for p in paths]
    if not files:
        raise ValueError("no files to import")
    digests = [_sha256(p) for p in files]
    found = _data_date(data_date, digests)
    if found is None:
        load_sites(files)  # a file of another kind is the more useful error
        raise ValueError("unknown GSI snapshot: give its data date (--data-date YYYY-MM-DD, the date GSI published it)")
    when = found
    signature = sorted(digests)
    with engine.connect() as conn:
        latest = _latest(conn)
    if latest is not None and sorted(f["sha256"] for f in latest.files) == signature and latest.data_date == when:
        return ImportOutcome(latest.id, when, skipped=True, files=tuple(latest.files))

    def rows_read(n: int) -> None:
        if progress is not None:
            progress("reading", n, None)

    parsed = load_sites(files, rows_read)
    file_info = tuple(
        {"name": p.name, "sha256": d, "kind": parsed.kinds[str(p)].value} for p, d in zip(files, digests, strict=True)
    )
    started = datetime.now(UTC)
    with engine.begin() as conn:
        inserted = conn.execute(
            sa.insert(IMPORTS).values(
                data_date=when, files=list(file_info), prefectures=sorted({s.prefecture for s in parsed.sites}),
                rows_read=parsed.rows_read, bad_rows=len(parsed.bad_rows), sites_total=len(parsed.sites),
                sites_added=0, sites_updated=0, sites_removed=0, author=author.strip()[:100] or "unknown",
                started_at=started, finished_at=started,
            )
        )  # fmt: skip
        key = inserted.inserted_primary_key
        assert key is not None
        import_id = int(key[0])
        counts = _apply(conn, import_id, parsed.sites, set(parsed.kinds.values()), bool(parsed.bad_rows), progress)
        conn.execute(
            sa.update(IMPORTS).where(IMPORTS.c.id == import_id).values(
                sites_added=counts[0], sites_updated=counts[1], sites_removed=counts[2],
                finished_at=datetime.now(UTC),
            )
        )  # fmt: skip
    return ImportOutcome(
        import_id, when, False, parsed.rows_read, len(parsed.sites), *counts, parsed.bad_rows, file_info
    )


def _apply(
    conn: Connection,
    import_id: int,
    sites: Sequence[Site],
    kinds: set[SiteKind],
    had_bad_rows: bool,
    progress: Progress | None,
) -> tuple[int, int, int, int]:
    """Insert, update and mark removed; returns (added, updated, removed, kept_missing)."""
    now = datetime.now(UTC)
    columns = [SITES.c.id, SITES.c.removed_at, *(SITES.c[c] for c in CONTENT_COLUMNS)]
    existing = {r.id: r for r in conn.execute(sa.select(*columns))}
    new_rows, changed, unchanged = [], [], []
    for site in sites:
        row = site_to_row(site)
        old = existing.get(site.id)
        if old is None:
            new_rows.append(row | {"import_id": import_id, "updated_at": now, "removed_at": None})
        elif old.removed_at is not None or any(getattr(old, c) != row[c] for c in CONTENT_COLUMNS):
            changed.append({f"b_{k}": v for k, v in row.items()})
        else:
            unchanged.append(site.id)
    total = len(new_rows) + len(changed) + len(unchanged)
    done = 0
    # Plain executemany (psycopg pipelines it): measured faster than multi-row VALUES or
    # RETURNING-driven batching for these rows.
    for start in range(0, len(new_rows), BATCH):
        conn.execute(sa.insert(SITES), new_rows[start : start + BATCH])
        done += len(new_rows[start : start + BATCH])
        _tick(progress, done, total)
    if changed:
        update = (
            sa.update(SITES)
            .where(SITES.c.id == sa.bindparam("b_id"))
            .values({c: sa.bindparam(f"b_{c}") for c in CONTENT_COLUMNS} | {"import_id": import_id,
                                                                             "updated_at": now, "removed_at": None})
        )  # fmt: skip
        for start in range(0, len(changed), BATCH):
            conn.execute(update, changed[start : start + BATCH])
            done += len(changed[start : start + BATCH])
            _tick(progress, done, total)
    for start in range(0, len(unchanged), BATCH):
        chunk = unchanged[start : start + BATCH]
        conn.execute(sa.update(SITES).where(SITES.c.id.in_(chunk)).values(import_id=import_id))
        done += len(chunk)
        _tick(progress, done, total)
    seen = {s.id for s in sites}
    prefectures = {s.prefecture for s in sites}
    missing = [
        r.id for r in existing.values()
        if r.removed_at is None and r.id not in seen and r.prefecture in prefectures and _kind(r.hazards) in kinds
    ]  # fmt: skip
    if had_bad_rows:  # a missing site may just be a bad row: keep it rather than drop a real site
        return len(new_rows), len(changed), 0, len(missing)
    for start in range(0, len(missing), BATCH):
        conn.execute(sa.update(SITES).where(SITES.c.id.in_(missing[start : start + BATCH])).values(removed_at=now))
    return len(new_rows), len(changed), len(missing), 0


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress("writing", done, total)
