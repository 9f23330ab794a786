"""Query-string parsing for the officers' API; every mistake becomes a clear 400."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from .models import ReportStatus
from .queries import BBox, Cursor, ReportFilter, representable

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "ListParams", "bad", "decode_cursor", "parse_list_params", "single"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
_REPEATABLE = ("status", "category", "municipality")
_SINGLE = ("urgent", "since", "until", "bbox", "q", "limit", "cursor")
_EXAMPLE = "2026-11-29T09:00:00+09:00"
T = TypeVar("T")
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


@dataclass(frozen=True)
class ListParams:
    filters: ReportFilter
    limit: int
    #: The raw cursor text (each list decodes its own kind of cursor).
    raw_cursor: str | None

    @property
    def cursor(self) -> Cursor | None:
        return Cursor.decode(self.raw_cursor) if self.raw_cursor else None


def bad(message: str) -> BadRequest:
    return BadRequest(description=message)


def single(args: MultiDict[str, str], name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise bad(f"'{name}' may be given only once")
    return values[0].strip() if values else None


def _values(args: MultiDict[str, str], name: str) -> frozenset[str]:
    """Repeated or comma-separated values: ?status=new&status=verified or ?status=new,verified."""
    found = {v.strip() for raw in args.getlist(name) for v in raw.split(",")}
    if "" in found:
        raise bad(f"'{name}' must not be empty")
    return frozenset(found)


def _time(args: MultiDict[str, str], name: str) -> datetime | None:
    raw = single(args, name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise bad(f"'{name}' must be an ISO 8601 date-time, e.g. {_EXAMPLE}") from None
    if value.utcoffset() is None:
        raise bad(f"'{name}' needs a time zone, e.g. {_EXAMPLE} or 2026-11-29T00:00:00Z")
    try:
        return representable(value)
    except ValueError:
        raise bad(f"'{name}' is out of range: in UTC it must fall within years 1 to 9999") from None


def _urgent(args: MultiDict[str, str]) -> bool | None:
    raw = single(args, "urgent")
    if raw is None:
        return None
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise bad("'urgent' must be true or false")


def _limit(args: MultiDict[str, str]) -> int:
    raw = single(args, "limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise bad(f"'limit' must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def _bbox(args: MultiDict[str, str]) -> BBox | None:
    raw = single(args, "bbox")
    if raw is None:
        return None
    message = "'bbox' must be minlon,minlat,maxlon,maxlat in degrees, e.g. 139.40,35.30,139.55,35.40"
    try:
        parts = [float(p) for p in raw.split(",")]
    except ValueError:
        raise bad(message) from None
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        raise bad(message)
    box = BBox(*parts)
    if not (-180 <= box.min_lon <= box.max_lon <= 180 and -90 <= box.min_lat <= box.max_lat <= 90):
        raise bad(message + " (min before max, within ±180/±90)")
    return box


def _text(args: MultiDict[str, str]) -> str | None:
    raw = single(args, "q")
    if raw is None or raw == "":
        return None
    if len(raw) > 200 or "\x00" in raw:
        raise bad("'q' is at most 200 characters")
    return raw


def parse_list_params(args: MultiDict[str, str], extra: tuple[str, ...] = ()) -> ListParams:
    """The filters, page size and cursor of the lists and exports; ``extra`` names are left to the caller."""
    unknown = sorted(set(args) - set(_REPEATABLE) - set(_SINGLE) - set(extra))
    if unknown:
        allowed = ", ".join(_REPEATABLE + _SINGLE + extra)
        raise bad(f"unknown parameter '{unknown[0]}'; expected one of: {allowed}")
    statuses = _values(args, "status")
    wrong = sorted(statuses - {s.value for s in ReportStatus})
    if wrong:
        raise bad(f"'status' must be one of {', '.join(s.value for s in ReportStatus)}")
    codes = _values(args, "municipality")
    if any(not (len(c) == 5 and c.isascii() and c.isdigit()) for c in codes):
        raise bad("'municipality' must be a 5-digit municipality code, e.g. 14205")
    categories = _values(args, "category")
    if any(len(c) > 64 for c in categories):
        raise bad("'category' codes are at most 64 characters")
    since, until = _time(args, "since"), _time(args, "until")
    if since is not None and until is not None and since >= until:
        raise bad("'since' must be earlier than 'until'")
    raw_cursor = single(args, "cursor")
    filters = ReportFilter(
        statuses=statuses,
        urgent=_urgent(args),
        categories=categories,
        municipality_codes=codes,
        since=since,
        until=until,
        bbox=_bbox(args),
        text=_text(args),
    )
    return ListParams(filters=filters, limit=_limit(args), raw_cursor=raw_cursor or None)


def decode_cursor(decode: Callable[[str], T], raw: str | None) -> T | None:
    """Decode a list's cursor; a clear 400 when it is not one of ours."""
    if raw is None:
        return None
    try:
        return decode(raw)
    except ValueError:
        raise bad("'cursor' is not valid: pass next_cursor from the previous page") from None
