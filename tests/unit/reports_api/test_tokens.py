"""Officers' tokens: shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from reports_api import Role, authenticate, create_token, revoke


def test_a_created_token_authenticates_with_its_role_and_scope(engine: Engine) -> None:
    plaintext = create_token(engine, "moderator", ["14205"], label="藤沢市 防災安全部")
    assert plaintext.startswith("sonae_") and len(plaintext) > 40
    info = authenticate(engine, plaintext)
    assert info is not None
    assert (info.role, info.label, info.municipalities) == (
        Role.MODERATOR,
        "藤沢市 防災安全部",
        frozenset({"14205"}),
    )
    assert info.can_see("14205")
    assert not info.can_see("14100")
    assert not info.can_see(None)


def test_a_prefecture_wide_token_sees_every_municipality(engine: Engine) -> None:
    info = authenticate(engine, create_token(engine, Role.VIEWER))
    assert info is not None and info.prefecture_wide
    assert info.can_see("14100") and info.can_see(None)


def test_only_the_hash_is_stored(engine: Engine) -> None:
    plaintext = create_token(engine, "admin")
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.text("SELECT * FROM api_tokens"))]
    assert plaintext not in str(rows)
    assert hashlib.sha256(plaintext.encode()).hexdigest() in str(rows)


@pytest.mark.parametrize("wrong", ["", "sonae_", "sonae_nope", "Bearer x", "x" * 500])
def test_unknown_tokens_do_not_authenticate(engine: Engine, wrong: str) -> None:
    create_token(engine, "viewer")
    assert authenticate(engine, wrong) is None


def test_a_revoked_token_no_longer_authenticates(engine: Engine) -> None:
    plaintext = create_token(engine, "viewer")
    info = authenticate(engine, plaintext)
    assert info is not None
    assert revoke(engine, info.id) is True
    assert authenticate(engine, plaintext) is None
    assert revoke(engine, info.id) is False
    assert revoke(engine, 999_999) is False


def test_bad_roles_and_codes_are_refused(engine: Engine) -> None:
    with pytest.raises(ValueError):
        create_token(engine, "superuser")
    with pytest.raises(ValueError):
        create_token(engine, "viewer", ["藤沢市"])
