"""Officers' bearer tokens: shown once, stored as SHA-256, scoped by role and municipality."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .models import ApiToken, AuditEntry, Role

__all__ = [
    "TOKEN_PREFIX",
    "TokenInfo",
    "TokenRecord",
    "authenticate",
    "create_token",
    "hash_token",
    "list_tokens",
    "revoke",
]

TOKEN_PREFIX = "sonae_"


@dataclass(frozen=True)
class TokenInfo:
    """Who is calling: the token's id, label, role and municipality scope."""

    id: int
    label: str
    role: Role
    #: Municipality codes in scope; empty means every municipality (prefecture-wide).
    municipalities: frozenset[str]

    @property
    def actor(self) -> str:
        return f"token:{self.id}"

    @property
    def prefecture_wide(self) -> bool:
        return not self.municipalities

    def can_see(self, municipality_code: str | None) -> bool:
        """A scoped token sees only its municipalities; reports without a code are wide-only."""
        return self.prefecture_wide or municipality_code in self.municipalities


@dataclass(frozen=True)
class TokenRecord:
    """A token as admins list it: never its plaintext or hash."""

    id: int
    label: str
    role: str
    municipalities: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def _check_codes(municipalities: Iterable[str]) -> list[str]:
    codes = sorted(set(municipalities))
    for code in codes:
        if not (len(code) == 5 and code.isascii() and code.isdigit()):
            raise ValueError(f"not a 5-digit JIS X 0402 municipality code: {code!r}")
    return codes


def create_token(
    engine: Engine, role: Role | str, municipalities: Iterable[str] = (), label: str = "", *, actor: str = "system"
) -> str:
    """Create a token and return its plaintext; this is the only time it is available."""
    role = Role(role)
    codes = _check_codes(municipalities)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        token = ApiToken(
            label=label,
            token_hash=hash_token(plaintext),
            role=role.value,
            municipalities=codes,
            created_at=now,
        )
        session.add(token)
        session.flush()
        session.add(
            AuditEntry(
                at=now,
                actor=actor,
                action="token.created",
                detail={
                    "before": None,
                    "after": {"token_id": token.id, "role": role.value, "municipalities": codes},
                },
            )
        )
    return plaintext


def authenticate(engine: Engine, plaintext: str) -> TokenInfo | None:
    """The token's info, or None when it is unknown or revoked."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    with Session(engine) as session:
        token = session.scalars(
            sa.select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext), ApiToken.revoked_at.is_(None))
        ).first()
        if token is None:
            return None
        return TokenInfo(
            id=token.id,
            label=token.label,
            role=Role(token.role),
            municipalities=frozenset(token.municipalities),
        )


def revoke(engine: Engine, token_id: int, actor: str = "system") -> bool:
    """Revoke a token; False when it does not exist or was already revoked."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        token = session.get(ApiToken, token_id) if abs(token_id) < 2**31 else None
        if token is None or token.revoked_at is not None:
            return False
        token.revoked_at = now
        session.add(
            AuditEntry(
                at=now,
                actor=actor,
                action="token.revoked",
                detail={"token_id": token_id, "before": {"revoked": False}, "after": {"revoked": True}},
            )
        )
        return True


def list_tokens(engine: Engine) -> list[TokenRecord]:
    """Every token, oldest first, revoked ones included (with their revocation time)."""
    with Session(engine) as session:
        rows = session.scalars(sa.select(ApiToken).order_by(ApiToken.id))
        return [TokenRecord(t.id, t.label, t.role, tuple(t.municipalities), t.created_at, t.revoked_at) for t in rows]
