"""Query-string parsing for the officers' API; every mistake becomes a clear 400."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from .models import ReportStatus
from .queries import Cursor, ReportFilter

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "ListParams", "parse_list_params"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
_REPEATABLE = ("status", "category", "municipality")
_SINGLE = ("urgent", "since", "until", "limit", "cursor")
_EXAMPLE = "2026-11-29T09:00:00+09:00"
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


@dataclass(frozen=True)
class ListParams:
    filters: ReportFilter
    limit: int
    cursor: Cursor | None


def _bad(message: str) -> BadRequest:
    return BadRequest(description=message)


def _single(args: MultiDict[str, str], name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise _bad(f"'{name}' may be given only once")
    return values[0].strip() if values else None


def _values(args: MultiDict[str, str], name: str) -> frozenset[str]:
    """Repeated or comma-separated values: ?status=new&status=verified or ?status=new,verified."""
    found = {v.strip() for raw in args.getlist(name) for v in raw.split(",")}
    if "" in found:
        raise _bad(f"'{name}' must not be empty")
    return frozenset(found)


def _time(args: MultiDict[str, str], name: str) -> datetime | None:
    raw = _single(args, name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise _bad(f"'{name}' must be an ISO 8601 date-time, e.g. {_EXAMPLE}") from None
    if value.utcoffset() is None:
        raise _bad(f"'{name}' needs a time zone, e.g. {_EXAMPLE} or 2026-11-29T00:00:00Z")
    return value


def _urgent(args: MultiDict[str, str]) -> bool | None:
    raw = _single(args, "urgent")
    if raw is None:
        return None
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise _bad("'urgent' must be true or false")


def _limit(args: MultiDict[str, str]) -> int:
    raw = _single(args, "limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise _bad(f"'limit' must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def parse_list_params(args: MultiDict[str, str]) -> ListParams:
    """The filters, page size and cursor of ``GET /reports``."""
    unknown = sorted(set(args) - set(_REPEATABLE) - set(_SINGLE))
    if unknown:
        allowed = ", ".join(_REPEATABLE + _SINGLE)
        raise _bad(f"unknown parameter '{unknown[0]}'; expected one of: {allowed}")
    statuses = _values(args, "status")
    wrong = sorted(statuses - {s.value for s in ReportStatus})
    if wrong:
        raise _bad(f"'status' must be one of {', '.join(s.value for s in ReportStatus)}")
    codes = _values(args, "municipality")
    if any(not (len(c) == 5 and c.isascii() and c.isdigit()) for c in codes):
        raise _bad("'municipality' must be a 5-digit municipality code, e.g. 14205")
    categories = _values(args, "category")
    if any(len(c) > 64 for c in categories):
        raise _bad("'category' codes are at most 64 characters")
    since, until = _time(args, "since"), _time(args, "until")
    if since is not None and until is not None and since >= until:
        raise _bad("'since' must be earlier than 'until'")
    raw_cursor = _single(args, "cursor")
    try:
        cursor = Cursor.decode(raw_cursor) if raw_cursor else None
    except ValueError:
        raise _bad("'cursor' is not valid: pass next_cursor from the previous page") from None
    filters = ReportFilter(
        statuses=statuses,
        urgent=_urgent(args),
        categories=categories,
        municipality_codes=codes,
        since=since,
        until=until,
    )
    return ListParams(filters=filters, limit=_limit(args), cursor=cursor)
