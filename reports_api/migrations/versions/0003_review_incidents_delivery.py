"""Review workflow, incidents, notes, subscriptions and the delivery outbox.

Revision ID: 0003_review_incidents_delivery
Revises: 0002_shelters
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_review_incidents_delivery"
down_revision: str | None = "0002_shelters"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

REJECT_REASONS = "'false', 'duplicate', 'not_disaster'"
# Self-contained on purpose: later model changes must not alter this migration.
JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("municipality", sa.String(64), nullable=False),
        sa.Column("municipality_code", sa.String(6), nullable=True),
        sa.Column("first_at", UTC_DATETIME, nullable=False),
        sa.Column("last_at", UTC_DATETIME, nullable=False),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("place_text", sa.Text, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("report_count", sa.Integer, nullable=False),
        sa.Column("corroboration", sa.Integer, nullable=False),
        sa.Column("edited", sa.Boolean, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_index("ix_incidents_urgent_last_at_id", "incidents", ["urgent", "last_at", "id"])
    op.create_index("ix_incidents_municipality_code", "incidents", ["municipality_code"])

    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("category", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("reject_reason", sa.String(16), nullable=True))
        batch.add_column(sa.Column("incident_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_reports_incident_id_incidents", "incidents", ["incident_id"], ["id"])
        batch.create_check_constraint(
            "ck_reports_reject_reason", f"reject_reason IS NULL OR reject_reason IN ({REJECT_REASONS})"
        )
    # Existing rows: the first category code becomes the grouping category.
    reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("categories", JSONValue))
    conn = op.get_bind()
    for row_id, categories in conn.execute(sa.select(reports.c.id, reports.c.categories)).all():
        if categories:
            conn.execute(sa.text("UPDATE reports SET category = :c WHERE id = :i"), {"c": categories[0], "i": row_id})
    op.create_index("ix_reports_incident_id", "reports", ["incident_id"])
    op.create_index(
        "ix_reports_municipality_code_urgent_received_at_id",
        "reports",
        ["municipality_code", "urgent", "received_at", "id"],
    )
    op.create_index("ix_reports_category_received_at", "reports", ["category", "received_at"])
    op.create_index(
        "ix_reports_received_at_municipality_code_category_municipality",
        "reports",
        ["received_at", "municipality_code", "category", "municipality"],
    )
    op.create_index(
        "ix_reports_municipality_code_received_at_category_municipality",
        "reports",
        ["municipality_code", "received_at", "category", "municipality"],
    )

    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("incident_id", sa.Integer, nullable=True))
    op.create_index("ix_audit_entries_incident_id", "audit_entries", ["incident_id"])

    op.create_table(
        "report_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report_notes"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name="fk_report_notes_report_id_reports"),
    )
    op.create_index("ix_report_notes_report_id", "report_notes", ["report_id"])

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("events", JSONValue, nullable=False),
        sa.Column("municipalities", JSONValue, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("delivery_id", sa.String(64), nullable=False),
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("delivered_at", UTC_DATETIME, nullable=True),
        sa.Column("last_error", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("delivery_id", name="uq_outbox_delivery_id"),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["subscriptions.id"], name="fk_outbox_subscription_id_subscriptions"
        ),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name="fk_outbox_report_id_reports"),
    )
    op.create_index("ix_outbox_subscription_id", "outbox", ["subscription_id"])
    op.create_index("ix_outbox_delivered_at_next_attempt_at", "outbox", ["delivered_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("subscriptions")
    op.drop_table("report_notes")
    op.drop_index("ix_audit_entries_incident_id", table_name="audit_entries")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("incident_id")
    for name in (
        "ix_reports_municipality_code_received_at_category_municipality",
        "ix_reports_received_at_municipality_code_category_municipality",
        "ix_reports_category_received_at",
        "ix_reports_municipality_code_urgent_received_at_id",
        "ix_reports_incident_id",
    ):
        op.drop_index(name, table_name="reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_constraint("ck_reports_reject_reason", type_="check")
        batch.drop_constraint("fk_reports_incident_id_incidents", type_="foreignkey")
        batch.drop_column("incident_id")
        batch.drop_column("reject_reason")
        batch.drop_column("category")
    op.drop_index("ix_incidents_municipality_code", table_name="incidents")
    op.drop_index("ix_incidents_urgent_last_at_id", table_name="incidents")
    op.drop_table("incidents")
