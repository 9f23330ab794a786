"""Bearer-token authentication and role checks for the officers' API."""

from __future__ import annotations

from collections.abc import Callable

from flask import g, request
from sqlalchemy.engine import Engine
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import Unauthorized as _Unauthorized

from .models import Role
from .tokens import TokenInfo, authenticate

__all__ = ["Unauthorized", "authenticate_request", "caller", "rate_limit_key", "require_role"]

_LOOKUP = "sonae_token_lookup"

_RANK = {Role.VIEWER: 0, Role.MODERATOR: 1, Role.ADMIN: 2}


class Unauthorized(_Unauthorized):
    """401 with the RFC 6750 challenge."""

    def __init__(self, description: str, invalid: bool = False) -> None:
        params: dict[str, str | None] = {"realm": "sonae"}
        if invalid:
            params["error"] = "invalid_token"
        challenge = WWWAuthenticate("Bearer", params)
        super().__init__(description=description, www_authenticate=challenge)


def _credentials() -> tuple[str, str]:
    """The raw header and the bearer credentials ('' when missing or not ``Bearer <token>``)."""
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    return header, credentials.strip() if scheme.lower() == "bearer" else ""


def _lookup(engine: Engine) -> TokenInfo | None:
    """The request's token (looked up once per request: the rate limiter asks first)."""
    if _LOOKUP not in g:
        _, credentials = _credentials()
        setattr(g, _LOOKUP, authenticate(engine, credentials) if credentials else None)
    token: TokenInfo | None = getattr(g, _LOOKUP)
    return token


def authenticate_request(engine: Engine) -> TokenInfo:
    """The caller's token from ``Authorization: Bearer``; 401 when missing, malformed or unknown."""
    header, credentials = _credentials()
    if not header:
        raise Unauthorized("send 'Authorization: Bearer <token>'")
    if not credentials:
        raise Unauthorized("the Authorization header must be 'Bearer <token>'", invalid=True)
    token = _lookup(engine)
    if token is None:
        raise Unauthorized("the token is unknown or revoked", invalid=True)
    return token


def caller() -> TokenInfo:
    token: TokenInfo = g.api_token
    return token


def require_role(role: Role, *, prefecture_wide: bool = False) -> TokenInfo:
    """The caller, when its role is at least ``role`` (and, if asked, it is not city-scoped); else 403."""
    token = caller()
    if _RANK[token.role] < _RANK[role]:
        raise Forbidden(description=f"this needs the {role.value} role; the token is {token.role.value}")
    if prefecture_wide and not token.prefecture_wide:
        raise Forbidden(description="this needs a prefecture-wide token (no municipality scope)")
    return token


def rate_limit_key(engine: Engine) -> Callable[[], str]:
    """The limiter's key: the authenticated token's id, else (no, unknown or revoked token) the client address.

    Keying on the token id, not the header, means spacing or case variants of one token share
    a bucket, and guessing tokens is limited per address.
    """

    def key() -> str:
        token = _lookup(engine)
        if token is not None:
            return f"token:{token.id}"
        return "addr:" + (request.remote_addr or "unknown")

    return key
