"""Initial schema: reports, API tokens, audit trail.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

STATUSES = "'new', 'verified', 'rejected', 'resolved'"
SOURCES = "'line', 'simulator', 'drill'"
LOCATION_SOURCES = "'line_location', 'text', 'home_area', 'none'"
ROLES = "'viewer', 'moderator', 'admin'"

# Self-contained on purpose: later model changes must not alter this migration.
JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)  # the models' UTCDateTime stores this


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("source_event_id", sa.String(64), nullable=False),
        sa.Column("received_at", UTC_DATETIME, nullable=False),
        sa.Column("reported_at", UTC_DATETIME, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("categories", JSONValue, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("location_source", sa.String(16), nullable=False),
        sa.Column("location_precision_m", sa.Float, nullable=True),
        sa.Column("place_text", sa.Text, nullable=False),
        sa.Column("municipality", sa.String(64), nullable=False),
        sa.Column("municipality_code", sa.String(6), nullable=True),
        sa.Column("reporter", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("photos", JSONValue, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
        sa.UniqueConstraint("number", name="uq_reports_number"),
        sa.UniqueConstraint("source_event_id", name="uq_reports_source_event_id"),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_reports_status"),
        sa.CheckConstraint(f"source IN ({SOURCES})", name="ck_reports_source"),
        sa.CheckConstraint(f"location_source IN ({LOCATION_SOURCES})", name="ck_reports_location_source"),
    )
    # The officers' list: newest first, optionally narrowed by city, status or urgency.
    op.create_index("ix_reports_received_at_id", "reports", ["received_at", "id"])
    op.create_index(
        "ix_reports_municipality_code_received_at_id",
        "reports",
        ["municipality_code", "received_at", "id"],
    )
    op.create_index("ix_reports_status_received_at_id", "reports", ["status", "received_at", "id"])
    op.create_index("ix_reports_urgent_received_at_id", "reports", ["urgent", "received_at", "id"])

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("municipalities", JSONValue, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
        sa.CheckConstraint(f"role IN ({ROLES})", name="ck_api_tokens_role"),
    )

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("report_id", sa.Integer, nullable=True),
        sa.Column("detail", JSONValue, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entries"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name="fk_audit_entries_report_id_reports"),
    )
    op.create_index("ix_audit_entries_report_id", "audit_entries", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_entries_report_id", table_name="audit_entries")
    op.drop_table("audit_entries")
    op.drop_table("api_tokens")
    for name in (
        "ix_reports_urgent_received_at_id",
        "ix_reports_status_received_at_id",
        "ix_reports_municipality_code_received_at_id",
        "ix_reports_received_at_id",
    ):
        op.drop_index(name, table_name="reports")
    op.drop_table("reports")
