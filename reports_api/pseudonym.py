"""Keyed pseudonyms for reporters: stable per resident, useless without the key."""

from __future__ import annotations

import hashlib
import hmac
import re

__all__ = ["LINE_USER_ID", "PREFIX", "looks_like_line_user_id", "pseudonymise"]

PREFIX = "rp_"
_HEX_CHARS = 24  # 96 bits: no collisions at any plausible number of residents

#: A LINE user id: "U" followed by 32 lowercase hex digits.
LINE_USER_ID = re.compile(r"U[0-9a-f]{32}")


def pseudonymise(key: str, line_user_id: str) -> str:
    """``rp_`` + the first 24 hex digits of HMAC-SHA256(key, line_user_id)."""
    if not key:
        raise ValueError("the pseudonym key must not be empty")
    if not line_user_id:
        raise ValueError("the LINE user id must not be empty")
    digest = hmac.new(key.encode(), line_user_id.encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:_HEX_CHARS]


def looks_like_line_user_id(value: str) -> bool:
    """True when ``value`` contains something shaped like a LINE user id."""
    return LINE_USER_ID.search(value) is not None
