"""Photos residents send with their reports, downloaded from LINE while still available.

LINE keeps message content only for a limited time, so the bot stores the bytes when the
image arrives; a report refers to its photos by LINE message id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .models import Base
from .sqltypes import UTCDateTime, utcnow

__all__ = ["MAX_PHOTO_BYTES", "PhotoStore", "ReportPhoto", "StoredPhoto"]

MAX_PHOTO_BYTES = 10 * 1024 * 1024  # LINE's own limit for images


class ReportPhoto(Base):
    __tablename__ = "report_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@dataclass(frozen=True)
class StoredPhoto:
    message_id: str
    content_type: str
    sha256: str
    size: int
    data: bytes


@dataclass(frozen=True)
class PhotoStore:
    engine: Engine

    def save(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> bool:
        """Store a photo once; False if it was stored before. Oversized photos raise ValueError."""
        if len(data) > MAX_PHOTO_BYTES:
            raise ValueError(f"photo of {len(data)} bytes exceeds {MAX_PHOTO_BYTES}")
        row = ReportPhoto(
            message_id=message_id,
            content_type=content_type[:100],
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            data=data,
        )
        with Session(self.engine) as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                return False
        return True

    def get(self, message_id: str) -> StoredPhoto | None:
        with Session(self.engine) as session:
            row = session.scalar(sa.select(ReportPhoto).where(ReportPhoto.message_id == message_id))
            if row is None:
                return None
            return StoredPhoto(row.message_id, row.content_type, row.sha256, row.size, row.data)
