"""Routes for shelters: list with current status, one site with its history, status updates.

Built on ``evacuation.status`` (status history) and ``evacuation.store`` (the imported
sites, else the packaged snapshot). A site belongs to the municipality of its JIS code:
scoped tokens see and change only their municipalities' sites (404 otherwise, as for reports).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from evacuation import ShelterIndex, Site
from evacuation.status_values import CROWDING_VALUES, STATUS_VALUES

from .api_auth import caller, require_role
from .api_json import timestamp
from .api_params import DEFAULT_LIMIT, bad, single
from .api_schemas import doc, load_body
from .models import AuditEntry, Role

if TYPE_CHECKING:
    from evacuation.status import StatusRecord

__all__ = ["register_shelter_routes"]


class ShelterQuery(Schema):
    municipality = fields.String(validate=validate.Regexp(r"^[0-9]{5}$"))
    status = fields.String(validate=validate.OneOf([*STATUS_VALUES, "unknown"]))
    limit = fields.Integer(validate=validate.Range(min=1, max=500))
    cursor = fields.String()


class ShelterStatusIn(Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUS_VALUES))
    crowding = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(CROWDING_VALUES))
    head_count = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=1_000_000))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ShelterOut(Schema):
    id = fields.String()
    name = fields.String()
    address = fields.String()
    municipality = fields.Dict()
    location = fields.Dict()
    is_shelter = fields.Boolean()
    hazards = fields.List(fields.String())
    status = fields.Dict(allow_none=True)


class ShelterPageOut(Schema):
    shelters = fields.List(fields.Nested(ShelterOut))
    next_cursor = fields.String(allow_none=True)


class ShelterDetailOut(ShelterOut):
    history = fields.List(fields.Dict())


class _Sites:
    """The current sites, reloaded when an import changes the data version."""

    def __init__(self, engine: Engine, data_version: Callable[[Engine], int]) -> None:
        self._engine = engine
        self._data_version = data_version
        self._lock = threading.Lock()
        self._cached: tuple[int, ShelterIndex] | None = None

    def index(self) -> ShelterIndex:
        from evacuation.store import load_index

        version = self._data_version(self._engine)
        with self._lock:
            if self._cached is None or self._cached[0] != version:
                self._cached = (version, load_index(self._engine) or ShelterIndex.load_default())
            return self._cached[1]


def _status_json(record: StatusRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "status": record.status,
        "crowding": record.crowding,
        "head_count": record.head_count,
        "author": record.author,
        "note": record.note,
        "at": timestamp(record.at),
    }


def _site_json(site: Site, record: StatusRecord | None) -> dict[str, Any]:
    return {
        "id": site.id,
        "name": site.name,
        "address": site.address,
        "municipality": {"name": site.municipality, "code": _code(site)},
        "location": {"lat": site.lat, "lon": site.lon},
        "is_shelter": site.is_shelter,
        "hazards": sorted(h.value for h in site.hazards),
        "status": _status_json(record),
    }


def _code(site: Site) -> str | None:
    """The 5-digit JIS X 0402 code tokens use (GSI data carries the 6-digit form with a check digit)."""
    return site.municipality_code[:5] or None


def _visible(site: Site) -> bool:
    return caller().can_see(_code(site))


def register_shelter_routes(bp: Blueprint, engine: Engine) -> None:
    # Imported here: evacuation's tables live on reports_api.models.Base (an import cycle otherwise).
    from evacuation.status import UnknownSiteError, current_statuses, set_status, status_history
    from evacuation.store import data_version

    sites = _Sites(engine, data_version)

    def find(site_id: str) -> Site:
        index = sites.index()
        site = index.get(site_id) or next(iter(index.linked_to_shelter(site_id)), None)
        if site is None or not _visible(site):
            raise NotFound(description=f"no shelter {site_id}")
        return site

    @bp.route("/shelters", methods=["GET"])
    @bp.doc(**doc(200, ShelterPageOut, 403, query=ShelterQuery, tags=("shelters",)))
    def shelters_list() -> dict[str, Any]:
        """Designated sites in scope with their current status ("unknown" when never set), by id."""
        unknown = sorted(set(request.args) - {"municipality", "status", "limit", "cursor"})
        if unknown:
            raise bad(f"unknown parameter '{unknown[0]}'; expected one of: municipality, status, limit, cursor")
        code, wanted = single(request.args, "municipality"), single(request.args, "status")
        if code is not None and not caller().can_see(code):
            raise Forbidden(description=f"this token cannot see municipality {code}")
        if wanted is not None and wanted not in (*STATUS_VALUES, "unknown"):
            raise bad(f"'status' must be one of {', '.join((*STATUS_VALUES, 'unknown'))}")
        raw_limit = single(request.args, "limit")
        if raw_limit is not None and not (raw_limit.isascii() and raw_limit.isdigit() and 1 <= int(raw_limit) <= 500):
            raise bad("'limit' must be a whole number from 1 to 500")
        limit = int(raw_limit) if raw_limit else DEFAULT_LIMIT
        after = single(request.args, "cursor") or ""
        candidates = sorted(
            (s for s in sites.index().sites if _visible(s) and (code is None or _code(s) == code)),
            key=lambda s: s.id,
        )
        statuses = current_statuses(engine, [s.id for s in candidates]) if candidates else {}
        page: list[dict[str, Any]] = []
        next_cursor = None
        for site in candidates:
            if site.id <= after:
                continue
            record = statuses.get(site.id)
            if wanted is not None and (record.status if record else "unknown") != wanted:
                continue
            if len(page) == limit:
                next_cursor = page[-1]["id"]
                break
            page.append(_site_json(site, record))
        return {"shelters": page, "next_cursor": next_cursor}

    @bp.route("/shelters/<site_id>", methods=["GET"])
    @bp.doc(**doc(200, ShelterDetailOut, 404, tags=("shelters",)))
    def shelters_get(site_id: str) -> dict[str, Any]:
        """One site with its current status and its last 20 status changes (newest first)."""
        site = find(site_id)
        history = status_history(engine, site.id, limit=20)
        body = _site_json(site, history[0] if history else None)
        body["history"] = [_status_json(r) for r in history]
        return body

    @bp.route("/shelters/<site_id>/status", methods=["POST"])
    @bp.doc(**doc(200, ShelterOut, 403, 404, body=ShelterStatusIn, tags=("shelters",)))
    def shelters_set_status(site_id: str) -> dict[str, Any]:
        """Set a site's status, crowding and head count (moderator+); audited."""
        token = require_role(Role.MODERATOR)
        site = find(site_id)
        body = load_body(ShelterStatusIn)
        before = current_statuses(engine, [site.id]).get(site.id)
        try:
            record = set_status(
                engine,
                site.id,
                status=body["status"],
                crowding=body["crowding"],
                head_count=body["head_count"],
                author=token.actor,
                note=body["note"],
            )
        except UnknownSiteError:
            raise NotFound(description=f"no shelter {site_id}") from None
        except ValueError as exc:
            raise BadRequest(description=str(exc)) from None
        with Session(engine) as session, session.begin():
            session.add(
                AuditEntry(
                    at=record.at,
                    actor=token.actor,
                    action="shelter.status_changed",
                    detail={"site_id": site.id, "before": _status_json(before), "after": _status_json(record)},
                )
            )
        return _site_json(site, record)
