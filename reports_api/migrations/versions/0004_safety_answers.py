"""Safety-check answers.

Revision ID: 0004_safety_answers
Revises: 0003_review_incidents_delivery
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_safety_answers"
down_revision: str | None = "0003_review_incidents_delivery"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "safety_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.String(length=64), nullable=True),
        sa.Column("respondent", sa.String(length=40), nullable=False),
        sa.Column("answer", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "answer IN ('safe', 'evacuated', 'need_help', 'family_unreachable')",
            name=op.f("ck_safety_answers_answer_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_answers")),
        sa.UniqueConstraint("source_event_id", name=op.f("uq_safety_answers_source_event_id")),
    )
    op.create_index(op.f("ix_safety_answers_campaign_id"), "safety_answers", ["campaign_id"])
    op.create_index(op.f("ix_safety_answers_respondent"), "safety_answers", ["respondent"])


def downgrade() -> None:
    op.drop_index(op.f("ix_safety_answers_respondent"), table_name="safety_answers")
    op.drop_index(op.f("ix_safety_answers_campaign_id"), table_name="safety_answers")
    op.drop_table("safety_answers")
