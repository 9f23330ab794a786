"""Residents' answers to safety checks (安否確認), stored for officers.

An answer is kept under the resident's keyed pseudonym (never the LINE user id) and is
idempotent by the LINE event that carried it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .models import Base
from .sqltypes import UTCDateTime, utcnow

__all__ = ["SafetyAnswer", "SafetyAnswerRow", "SafetyAnswerStore"]


class SafetyAnswer(StrEnum):
    SAFE = "safe"
    EVACUATED = "evacuated"
    NEED_HELP = "need_help"
    FAMILY_UNREACHABLE = "family_unreachable"


class SafetyAnswerRow(Base):
    __tablename__ = "safety_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_event_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    campaign_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    respondent: Mapped[str] = mapped_column(sa.String(40), index=True)
    answer: Mapped[str] = mapped_column(sa.String(24))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("answer IN ('safe', 'evacuated', 'need_help', 'family_unreachable')", name="answer_valid"),
    )


@dataclass(frozen=True)
class SafetyAnswerStore:
    engine: Engine

    def record(
        self,
        source_event_id: str,
        respondent: str,
        answer: str,
        answered_at: datetime,
        campaign_id: str | None = None,
        text: str = "",
    ) -> bool:
        """Store an answer; False when this event's answer was stored before."""
        SafetyAnswer(answer)  # raises ValueError for an unknown answer
        row = SafetyAnswerRow(
            source_event_id=source_event_id,
            respondent=respondent,
            answer=answer,
            answered_at=answered_at,
            campaign_id=campaign_id,
            text=text[:2000],
        )
        with Session(self.engine) as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                exists = session.scalar(
                    sa.select(SafetyAnswerRow.id).where(SafetyAnswerRow.source_event_id == source_event_id)
                )
                if exists is None:
                    raise
                return False
        return True

    def counts(self, campaign_id: str | None = None) -> dict[str, int]:
        """Latest answer per respondent, counted by answer (for a campaign, or all)."""
        latest = sa.select(SafetyAnswerRow.respondent, sa.func.max(SafetyAnswerRow.id).label("last_id")).group_by(
            SafetyAnswerRow.respondent
        )
        if campaign_id is not None:
            latest = latest.where(SafetyAnswerRow.campaign_id == campaign_id)
        sub = latest.subquery()
        query = (
            sa.select(SafetyAnswerRow.answer, sa.func.count())
            .join(sub, SafetyAnswerRow.id == sub.c.last_id)
            .group_by(SafetyAnswerRow.answer)
        )
        with Session(self.engine) as session:
            return {answer: int(n) for answer, n in session.execute(query)}
