"""Admin routes: tokens and delivery subscriptions (prefecture-wide admin tokens only)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from sqlalchemy.engine import Engine
from werkzeug.exceptions import BadRequest, NotFound

from .api_auth import require_role
from .api_json import timestamp
from .api_schemas import (
    SubscriptionCreatedOut,
    SubscriptionIn,
    SubscriptionsOut,
    TokenCreatedOut,
    TokenIn,
    TokensOut,
    doc,
    load_body,
)
from .delivery import SubscriptionView, create_subscription, list_subscriptions, revoke_subscription
from .models import Role
from .tokens import TokenRecord, authenticate, create_token, list_tokens, revoke

__all__ = ["register_admin_routes"]


def _token_json(t: TokenRecord) -> dict[str, Any]:
    return {
        "id": t.id,
        "label": t.label,
        "role": t.role,
        "municipalities": list(t.municipalities),
        "created_at": timestamp(t.created_at),
        "revoked_at": timestamp(t.revoked_at) if t.revoked_at else None,
    }


def _subscription_json(s: SubscriptionView) -> dict[str, Any]:
    return {
        "id": s.id,
        "label": s.label,
        "url": s.url,
        "events": list(s.events),
        "municipalities": list(s.municipalities),
        "created_at": timestamp(s.created_at),
        "revoked_at": timestamp(s.revoked_at) if s.revoked_at else None,
        "pending": s.pending,
    }


def _admin() -> str:
    return require_role(Role.ADMIN, prefecture_wide=True).actor


def register_admin_routes(bp: Blueprint, engine: Engine) -> None:
    @bp.route("/tokens", methods=["GET"])
    @bp.doc(**doc(200, TokensOut, 403, tags=("admin",)))
    def tokens_list() -> dict[str, Any]:
        """Every token (never its secret), revoked ones included."""
        _admin()
        return {"tokens": [_token_json(t) for t in list_tokens(engine)]}

    @bp.route("/tokens", methods=["POST"])
    @bp.doc(**doc(201, TokenCreatedOut, 403, body=TokenIn, tags=("admin",)))
    def tokens_create() -> tuple[dict[str, Any], int]:
        """Create a token; its plaintext is in this answer only."""
        actor = _admin()
        body = load_body(TokenIn)
        plaintext = create_token(engine, body["role"], body["municipalities"], body["label"], actor=actor)
        info = authenticate(engine, plaintext)
        assert info is not None
        record = next(t for t in list_tokens(engine) if t.id == info.id)
        return _token_json(record) | {"token": plaintext}, 201

    @bp.route("/tokens/<int:token_id>", methods=["DELETE"])
    @bp.doc(**doc(204, None, 403, 404, tags=("admin",)))
    def tokens_revoke(token_id: int) -> tuple[str, int]:
        """Revoke a token at once."""
        actor = _admin()
        if not revoke(engine, token_id, actor=actor):
            raise NotFound(description=f"no active token {token_id}")
        return "", 204

    @bp.route("/subscriptions", methods=["GET"])
    @bp.doc(**doc(200, SubscriptionsOut, 403, tags=("admin",)))
    def subscriptions_list() -> dict[str, Any]:
        """Delivery subscriptions with their count of pending deliveries (never their secret)."""
        _admin()
        return {"subscriptions": [_subscription_json(s) for s in list_subscriptions(engine)]}

    @bp.route("/subscriptions", methods=["POST"])
    @bp.doc(**doc(201, SubscriptionCreatedOut, 403, body=SubscriptionIn, tags=("admin",)))
    def subscriptions_create() -> tuple[dict[str, Any], int]:
        """Deliver new and/or verified reports to a URL, signed with the secret in this answer."""
        actor = _admin()
        body = load_body(SubscriptionIn)
        try:
            view, secret = create_subscription(
                engine,
                url=body["url"],
                events=body["events"],
                municipalities=body["municipalities"],
                label=body["label"],
                actor=actor,
            )
        except ValueError as exc:
            raise BadRequest(description=str(exc)) from None
        return _subscription_json(view) | {"secret": secret}, 201

    @bp.route("/subscriptions/<int:subscription_id>", methods=["DELETE"])
    @bp.doc(**doc(204, None, 403, 404, tags=("admin",)))
    def subscriptions_revoke(subscription_id: int) -> tuple[str, int]:
        """Stop a subscription; its pending deliveries are no longer sent."""
        actor = _admin()
        if not revoke_subscription(engine, subscription_id, actor=actor):
            raise NotFound(description=f"no active subscription {subscription_id}")
        return "", 204
