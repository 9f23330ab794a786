"""The shelter tables: imported sites, import runs and the officers' status history.

They live on ``reports_api.models.Base`` so one Alembic history (``0002_shelters``) and one
``compare_metadata`` check cover them. Enumerated columns are CHECK-guarded short strings.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from evacuation.status_values import CROWDING_VALUES, STATUS_VALUES
from reports_api.models import Base
from reports_api.sqltypes import JSONValue, UTCDateTime, utcnow

__all__ = ["CROWDING_VALUES", "STATUS_VALUES", "ShelterImport", "ShelterSite", "ShelterStatusEvent"]


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ShelterImport(Base):
    """One run of ``sonae shelters import``: which files, which data date, what changed."""

    __tablename__ = "shelter_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    data_date: Mapped[date] = mapped_column(sa.Date)
    # [{"name": "japan_shitei_hinanjo.csv.gz", "sha256": "...", "kind": "shelter", "rows": 82557}]
    files: Mapped[list[dict[str, object]]] = mapped_column(JSONValue)
    # Prefectures whose sites this run replaced (sites of other prefectures are untouched).
    prefectures: Mapped[list[str]] = mapped_column(JSONValue)
    rows_read: Mapped[int] = mapped_column(sa.Integer)
    bad_rows: Mapped[int] = mapped_column(sa.Integer)
    sites_total: Mapped[int] = mapped_column(sa.Integer)
    sites_added: Mapped[int] = mapped_column(sa.Integer)
    sites_updated: Mapped[int] = mapped_column(sa.Integer)
    sites_removed: Mapped[int] = mapped_column(sa.Integer)
    author: Mapped[str] = mapped_column(sa.String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ShelterSite(Base):
    """A designated site as last imported; ``removed_at`` is set when a newer file drops it."""

    __tablename__ = "shelter_sites"
    __table_args__ = (
        sa.Index(None, "municipality_code"),
        sa.Index(None, "shelter_id"),
        sa.Index(None, "prefecture", "removed_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # GSI 共通ID
    name: Mapped[str] = mapped_column(sa.Text)
    address: Mapped[str] = mapped_column(sa.Text)
    prefecture: Mapped[str] = mapped_column(sa.String(8))
    municipality: Mapped[str] = mapped_column(sa.String(64))
    municipality_code: Mapped[str] = mapped_column(sa.String(6))
    ward: Mapped[str | None] = mapped_column(sa.String(16))
    lat: Mapped[float] = mapped_column(sa.Float)
    lon: Mapped[float] = mapped_column(sa.Float)
    hazards: Mapped[list[str]] = mapped_column(JSONValue)  # Hazard values, in Hazard order
    is_shelter: Mapped[bool] = mapped_column(sa.Boolean)
    shelter_id: Mapped[str | None] = mapped_column(sa.String(32))  # the linked 指定避難所
    shelter_for: Mapped[str] = mapped_column(sa.Text)
    note: Mapped[str] = mapped_column(sa.Text)
    import_id: Mapped[int] = mapped_column(sa.ForeignKey("shelter_imports.id"), index=True)  # last seen in
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # content last changed
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ShelterStatusEvent(Base):
    """One status change by an officer; the newest per site is its current status.

    ``site_id`` is a site's 共通ID or the 共通ID of a linked 指定避難所 (officers open
    避難所). No foreign key: the packaged sites are not in the table, and history outlives a
    site that a newer import removed.
    """

    __tablename__ = "shelter_status_events"
    __table_args__ = (
        sa.CheckConstraint(_one_of("status", STATUS_VALUES), name="status"),
        sa.CheckConstraint(f"crowding IS NULL OR {_one_of('crowding', CROWDING_VALUES)}", name="crowding"),
        sa.CheckConstraint("head_count IS NULL OR head_count >= 0", name="head_count"),
        sa.Index(None, "site_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(sa.String(32))
    status: Mapped[str] = mapped_column(sa.String(8))
    crowding: Mapped[str | None] = mapped_column(sa.String(16))
    head_count: Mapped[int | None] = mapped_column(sa.Integer)
    author: Mapped[str] = mapped_column(sa.String(100))
    note: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
