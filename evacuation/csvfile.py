"""Reading GSI CSV files: encodings, gzip, header detection and line-numbered rows."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

from evacuation.hazards import HAZARD_COLUMNS

__all__ = ["GsiFileError", "SiteKind", "decode", "detect_kind", "iter_records", "read_text"]

COMMON_COLUMNS = ("共通ID", "都道府県名及び市町村名", "施設・場所名", "住所", "緯度", "経度")
EMERGENCY_COLUMNS = (*COMMON_COLUMNS, *HAZARD_COLUMNS.values())
# A 指定避難所 file is recognised by this column; it has no hazard columns.
SHELTER_MARKER = "指定緊急避難場所との住所同一"


class GsiFileError(ValueError):
    """The file as a whole cannot be read as a GSI shelter CSV (not a bad row)."""


class SiteKind(StrEnum):
    """Which GSI list a file holds."""

    EMERGENCY = "emergency"  # 指定緊急避難場所
    SHELTER = "shelter"  # 指定避難所


def decode(raw: bytes, source: str) -> str:
    """Text of a (possibly gzipped) CSV: UTF-8 with or without BOM, else cp932 (Shift_JIS)."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise GsiFileError(f"{source}: broken gzip file ({exc})") from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp932")
    except UnicodeDecodeError as exc:
        raise GsiFileError(f"{source}: neither UTF-8 nor Shift_JIS (cp932) text, byte {exc.start}") from exc


def detect_kind(header: list[str], source: str) -> SiteKind:
    """Tell a 指定緊急避難場所 header from a 指定避難所 header, by column name."""
    names = set(header)
    missing_common = [c for c in COMMON_COLUMNS if c not in names]
    if not missing_common:
        if all(c in names for c in EMERGENCY_COLUMNS):
            return SiteKind.EMERGENCY
        if SHELTER_MARKER in names or "受入対象者" in names:
            return SiteKind.SHELTER
        missing = [c for c in EMERGENCY_COLUMNS if c not in names]
    else:
        missing = missing_common
    shown = ",".join(header[:8]) + (",…" if len(header) > 8 else "")
    raise GsiFileError(
        f"{source}: not a GSI 指定緊急避難場所/指定避難所 CSV; missing columns "
        f"{', '.join(missing)} (header was: {shown})"
    )


def iter_records(text: str, source: str) -> tuple[SiteKind, list[str], Iterator[tuple[int, list[str]]]]:
    """The file's kind, header, and its records as (first physical line number, fields).

    Quoted fields may span lines; the line number is where the record starts (header = 1).
    Blank lines are skipped.
    """
    if not text.strip():
        raise GsiFileError(f"{source}: empty file")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except csv.Error as exc:
        raise GsiFileError(f"{source}: unreadable header ({exc})") from exc
    kind = detect_kind(header, source)

    def records() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise GsiFileError(f"{source}: line {start}: {exc}") from exc
            if fields and any(f.strip() for f in fields):
                yield start, fields
            start = reader.line_num + 1

    return kind, header, records()


def read_text(path: Path) -> str:
    """Decoded text of ``path``; a missing or unreadable file is a ``GsiFileError``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GsiFileError(f"{path}: cannot read ({exc.strerror})") from exc
    return decode(raw, str(path))
