"""Shelters: imported GSI sites, import runs, officers' status history.

Revision ID: 0002_shelters
Revises: 0001_initial
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_shelters"
down_revision: str | None = "0001_initial"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "shelter_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("data_date", sa.Date, nullable=False),
        sa.Column("files", JSONValue, nullable=False),
        sa.Column("prefectures", JSONValue, nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("bad_rows", sa.Integer, nullable=False),
        sa.Column("sites_total", sa.Integer, nullable=False),
        sa.Column("sites_added", sa.Integer, nullable=False),
        sa.Column("sites_updated", sa.Integer, nullable=False),
        sa.Column("sites_removed", sa.Integer, nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.Column("finished_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_shelter_imports"),
    )
    op.create_table(
        "shelter_sites",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("prefecture", sa.String(8), nullable=False),
        sa.Column("municipality", sa.String(64), nullable=False),
        sa.Column("municipality_code", sa.String(6), nullable=False),
        sa.Column("ward", sa.String(16), nullable=True),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("hazards", JSONValue, nullable=False),
        sa.Column("is_shelter", sa.Boolean, nullable=False),
        sa.Column("shelter_id", sa.String(32), nullable=True),
        sa.Column("shelter_for", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("import_id", sa.Integer, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("removed_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_shelter_sites"),
        sa.ForeignKeyConstraint(
            ["import_id"], ["shelter_imports.id"], name="fk_shelter_sites_import_id_shelter_imports"
        ),
    )
    op.create_index("ix_shelter_sites_municipality_code", "shelter_sites", ["municipality_code"])
    op.create_index("ix_shelter_sites_shelter_id", "shelter_sites", ["shelter_id"])
    op.create_index("ix_shelter_sites_prefecture_removed_at", "shelter_sites", ["prefecture", "removed_at"])
    op.create_index("ix_shelter_sites_import_id", "shelter_sites", ["import_id"])

    op.create_table(
        "shelter_status_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("crowding", sa.String(16), nullable=True),
        sa.Column("head_count", sa.Integer, nullable=True),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_shelter_status_events"),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_shelter_status_events_status"),
        sa.CheckConstraint(
            "crowding IS NULL OR crowding IN ('available', 'crowded', 'full')",
            name="ck_shelter_status_events_crowding",
        ),
        sa.CheckConstraint("head_count IS NULL OR head_count >= 0", name="ck_shelter_status_events_head_count"),
    )
    op.create_index("ix_shelter_status_events_site_id_id", "shelter_status_events", ["site_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_shelter_status_events_site_id_id", table_name="shelter_status_events")
    op.drop_table("shelter_status_events")
    for name in (
        "ix_shelter_sites_import_id",
        "ix_shelter_sites_prefecture_removed_at",
        "ix_shelter_sites_shelter_id",
        "ix_shelter_sites_municipality_code",
    ):
        op.drop_index(name, table_name="shelter_sites")
    op.drop_table("shelter_sites")
    op.drop_table("shelter_imports")
