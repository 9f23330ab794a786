"""Officers' status of a site: open / closed, crowding (空き・混雑・満員), head count; full history.

Every change is a new row (time in UTC, author); the newest row per site is its current
status. "Unknown" means no row yet. The officers' API (reports_api) and the CLI call these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from evacuation.store import site_exists
from evacuation.tables import CROWDING_VALUES, STATUS_VALUES, ShelterStatusEvent

__all__ = [
    "CROWDING_VALUES",
    "STATUS_VALUES",
    "StatusRecord",
    "UnknownSiteError",
    "current_statuses",
    "set_status",
    "status_history",
]

MAX_AUTHOR = 100
MAX_NOTE = 2000
_QUERY_CHUNK = 500  # ids per IN (...) list
EVENTS = cast(sa.Table, ShelterStatusEvent.__table__)


class UnknownSiteError(KeyError):
    """No designated site (or linked 指定避難所) has this 共通ID."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "unknown site"


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """One status change: ``status`` open/closed, ``crowding`` available/crowded/full or None."""

    site_id: str
    status: str
    crowding: str | None
    head_count: int | None
    author: str
    note: str
    at: datetime  # UTC

    @property
    def turns_away(self) -> bool:
        """Whether residents must not be sent here (closed, or open but full)."""
        return self.status == "closed" or self.crowding == "full"


def _validate(status: str, crowding: str | None, head_count: int | None, author: str, note: str) -> None:
    if status not in STATUS_VALUES:
        raise ValueError(f"invalid status {status!r}; valid statuses: {', '.join(STATUS_VALUES)}")
    if crowding is not None and crowding not in CROWDING_VALUES:
        raise ValueError(f"invalid crowding {crowding!r}; valid values: {', '.join(CROWDING_VALUES)} (or none)")
    if crowding is not None and status != "open":
        raise ValueError("crowding applies only to an open site (status 'open')")
    if head_count is not None and (isinstance(head_count, bool) or not isinstance(head_count, int) or head_count < 0):
        raise ValueError(f"head_count must be a whole number >= 0, got {head_count!r}")
    if not author.strip():
        raise ValueError("author is required (who changed the status)")
    if len(author) > MAX_AUTHOR:
        raise ValueError(f"author is longer than {MAX_AUTHOR} characters")
    if len(note) > MAX_NOTE:
        raise ValueError(f"note is longer than {MAX_NOTE} characters")


def _record(row: ShelterStatusEvent | sa.Row[tuple[object, ...]]) -> StatusRecord:
    return StatusRecord(
        site_id=row.site_id,
        status=row.status,
        crowding=row.crowding,
        head_count=row.head_count,
        author=row.author,
        note=row.note,
        at=row.at,
    )


def set_status(
    engine: Engine,
    site_id: str,
    *,
    status: str,
    crowding: str | None = None,
    head_count: int | None = None,
    author: str,
    note: str = "",
) -> StatusRecord:
    """Record a new status for ``site_id`` (a site's or a linked 指定避難所's 共通ID).

    Raises ``ValueError`` (listing valid values) for bad input and ``UnknownSiteError`` (a
    ``KeyError``) when no site has this ID. Takes effect for the next search.
    """
    _validate(status, crowding, head_count, author, note)
    site_id = site_id.strip()
    if not site_exists(engine, site_id):
        raise UnknownSiteError(f"no designated site or shelter with 共通ID {site_id!r}")
    values = {
        "site_id": site_id,
        "status": status,
        "crowding": crowding,
        "head_count": head_count,
        "author": author.strip(),
        "note": note,
        "at": datetime.now(UTC),
    }
    with engine.begin() as conn:
        conn.execute(sa.insert(EVENTS).values(**values))
    return StatusRecord(**values)  # type: ignore[arg-type]


def current_statuses(engine: Engine, site_ids: Iterable[str] | None = None) -> dict[str, StatusRecord]:
    """The newest status of each site that has one (of ``site_ids``, or of all sites)."""
    table = EVENTS
    wanted = None if site_ids is None else sorted(set(site_ids))
    chunks: list[list[str] | None] = (
        [None] if wanted is None else [wanted[i : i + _QUERY_CHUNK] for i in range(0, len(wanted), _QUERY_CHUNK)]
    )
    out: dict[str, StatusRecord] = {}
    with engine.connect() as conn:
        for chunk in chunks:
            newest = sa.select(sa.func.max(table.c.id)).group_by(table.c.site_id)
            if chunk is not None:
                newest = newest.where(table.c.site_id.in_(chunk))
            rows = conn.execute(sa.select(table).where(table.c.id.in_(newest.scalar_subquery())))
            out.update((r.site_id, _record(r)) for r in rows)
    return out


def status_history(engine: Engine, site_id: str, limit: int = 100) -> list[StatusRecord]:
    """The site's status changes, newest first (at most ``limit``)."""
    if limit <= 0:
        raise ValueError(f"limit must be at least 1, got {limit}")
    table = EVENTS
    query = sa.select(table).where(table.c.site_id == site_id.strip()).order_by(table.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [_record(r) for r in conn.execute(query)]
