"""Import GSI 「指定緊急避難場所・指定避難所データ」 CSVs into ``Site`` records.

Bad rows are collected with their line numbers and reasons; they never abort the import.
A file that is not a GSI shelter CSV at all raises ``GsiFileError``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from evacuation.csvfile import GsiFileError, SiteKind, iter_records, read_text
from evacuation.geo import check_in_japan
from evacuation.hazards import HAZARD_COLUMNS, Hazard
from evacuation.linking import link_sites
from evacuation.site import Site, municipality_code, split_municipality, ward_of

__all__ = ["BadRow", "GsiFileError", "ImportResult", "SiteKind", "load_sites", "read_gsi_csv"]

_TRUE = {"1", "１", "○", "◯", "〇"}
_FALSE = {"", "0", "０"}
PROGRESS_EVERY = 10_000


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that was skipped, with where it starts in the file and why."""

    source: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The sites read from one or more files and the rows that were skipped."""

    sites: tuple[Site, ...]
    bad_rows: tuple[BadRow, ...] = ()
    kinds: dict[str, SiteKind] = field(default_factory=dict)  # source -> kind
    rows_read: int = 0


class _RowError(Exception):
    pass


def _coordinate(value: str, column: str) -> float:
    if not value.strip():
        raise _RowError(f"missing {column}")
    try:
        number = float(value)
    except ValueError:
        raise _RowError(f"{column} is not a number: {value!r}") from None
    if not math.isfinite(number):
        raise _RowError(f"{column} is not finite: {value!r}")
    return number


def _flag(value: str, column: str) -> bool:
    text = value.strip()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _RowError(f"unexpected value in {column}: {value!r}")


def _site(row: dict[str, str], kind: SiteKind) -> Site:
    site_id = row["共通ID"].strip()
    name = row["施設・場所名"].strip()
    if not site_id:
        raise _RowError("missing 共通ID")
    if not name:
        raise _RowError("missing 施設・場所名 (name)")
    pref_and_city = row["都道府県名及び市町村名"].strip()
    try:
        prefecture, municipality = split_municipality(pref_and_city)
    except ValueError as exc:
        raise _RowError(str(exc)) from None
    lat = _coordinate(row["緯度"], "緯度")
    lon = _coordinate(row["経度"], "経度")
    try:
        check_in_japan(lat, lon)
    except ValueError as exc:
        raise _RowError(str(exc)) from None
    hazards: frozenset[Hazard] = frozenset()
    if kind is SiteKind.EMERGENCY:
        hazards = frozenset(h for h, col in HAZARD_COLUMNS.items() if _flag(row[col], col))
    address = row["住所"].strip()
    is_shelter = kind is SiteKind.SHELTER
    return Site(
        id=site_id,
        name=name,
        address=address,
        prefecture=prefecture,
        municipality=municipality,
        lat=lat,
        lon=lon,
        hazards=hazards,
        is_shelter=is_shelter,
        municipality_code=municipality_code(site_id),
        ward=ward_of(address, pref_and_city),
        shelter_id=site_id if is_shelter else None,
        shelter_for=row.get("受入対象者", "").strip() if is_shelter else "",
        note=row.get("備考", "").strip(),
    )


def read_gsi_csv(path: str | Path, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read one GSI CSV (either list; UTF-8 with/without BOM or cp932; may be gzipped).

    Sites are not linked here (see ``load_sites``). ``progress`` is called with the number
    of rows read every 10,000 rows.
    """
    source = str(path)
    kind, header, records = iter_records(read_text(Path(path)), source)
    sites: list[Site] = []
    bad: list[BadRow] = []
    first_line: dict[str, int] = {}
    rows = 0
    for line, fields in records:
        rows += 1
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows)
        if len(fields) != len(header):
            bad.append(BadRow(source, line, f"expected {len(header)} fields, got {len(fields)}"))
            continue
        try:
            site = _site(dict(zip(header, fields, strict=True)), kind)
        except _RowError as exc:
            bad.append(BadRow(source, line, str(exc)))
            continue
        if site.id in first_line:
            reason = f"duplicate 共通ID {site.id} (first on line {first_line[site.id]})"
            bad.append(BadRow(source, line, reason))
            continue
        first_line[site.id] = line
        sites.append(site)
    return ImportResult(tuple(sites), tuple(bad), {source: kind}, rows)


def load_sites(paths: Iterable[str | Path], progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read several GSI CSVs and link emergency sites with the shelters at the same place."""
    emergency: list[Site] = []
    shelters: list[Site] = []
    bad: list[BadRow] = []
    kinds: dict[str, SiteKind] = {}
    rows = 0
    seen: dict[str, str] = {}
    for path in paths:
        result = read_gsi_csv(path, progress)
        rows += result.rows_read
        bad.extend(result.bad_rows)
        kinds.update(result.kinds)
        (source, kind), *_ = result.kinds.items()
        for site in result.sites:
            if site.id in seen:
                bad.append(BadRow(source, 0, f"duplicate 共通ID {site.id} (also in {seen[site.id]})"))
                continue
            seen[site.id] = source
            (emergency if kind is SiteKind.EMERGENCY else shelters).append(site)
    return ImportResult(tuple(link_sites(emergency, shelters)), tuple(bad), kinds, rows)
