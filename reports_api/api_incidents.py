"""Routes for incidents: list (urgent first), get, merge and split (moderator+)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint
from sqlalchemy.engine import Engine
from werkzeug.exceptions import BadRequest, NotFound

from .api_auth import caller, require_role
from .api_json import incident_json
from .api_params import decode_cursor, parse_list_params
from .api_reports import check_requested_scope
from .api_schemas import IncidentDetailOut, IncidentPageOut, ListQuery, MergeIn, SplitIn, SplitOut, doc, load_body
from .incident_queries import (
    IncidentCursor,
    IncidentError,
    get_incident,
    list_incidents,
    merge_incidents,
    split_incident,
)
from .models import Role

__all__ = ["register_incident_routes"]


def register_incident_routes(bp: Blueprint, engine: Engine) -> None:
    @bp.route("/incidents", methods=["GET"])
    @bp.doc(**doc(200, IncidentPageOut, 403, query=ListQuery, tags=("incidents",)))
    def incidents_list() -> dict[str, Any]:
        """Incidents in scope: urgent first, then most recently active; same filters as reports."""
        params = parse_list_params(request.args)
        check_requested_scope(params.filters)
        page = list_incidents(
            engine,
            params.filters,
            scope=caller().municipalities,
            limit=params.limit,
            after=decode_cursor(IncidentCursor.decode, params.raw_cursor),
        )
        return {
            "incidents": [incident_json(i) for i in page.incidents],
            "next_cursor": page.next_cursor.encode() if page.next_cursor else None,
        }

    @bp.route("/incidents/<int:incident_id>", methods=["GET"])
    @bp.doc(**doc(200, IncidentDetailOut, 404, tags=("incidents",)))
    def incidents_get(incident_id: int) -> dict[str, Any]:
        """One incident with the numbers of its reports in the token's scope."""
        incident = get_incident(engine, incident_id, scope=caller().municipalities)
        if incident is None:
            raise NotFound(description=f"no incident {incident_id}")
        return incident_json(incident, with_reports=True)

    @bp.route("/incidents/merge", methods=["POST"])
    @bp.doc(**doc(200, IncidentDetailOut, 403, 404, body=MergeIn, tags=("incidents",)))
    def incidents_merge() -> dict[str, Any]:
        """Merge incidents into the oldest of them (moderator+); audited."""
        token = require_role(Role.MODERATOR)
        body = load_body(MergeIn)
        try:
            merged = merge_incidents(engine, body["incident_ids"], actor=token.actor, scope=token.municipalities)
        except IncidentError as exc:
            raise BadRequest(description=str(exc)) from None
        if merged is None:
            raise NotFound(description="one of the incidents does not exist")
        return incident_json(merged, with_reports=True)

    @bp.route("/incidents/<int:incident_id>/split", methods=["POST"])
    @bp.doc(**doc(200, SplitOut, 403, 404, body=SplitIn, tags=("incidents",)))
    def incidents_split(incident_id: int) -> dict[str, Any]:
        """Move some reports of an incident into a new incident (moderator+); audited."""
        token = require_role(Role.MODERATOR)
        body = load_body(SplitIn)
        try:
            result = split_incident(engine, incident_id, body["reports"], actor=token.actor, scope=token.municipalities)
        except IncidentError as exc:
            raise BadRequest(description=str(exc)) from None
        if result is None:
            raise NotFound(description=f"no incident {incident_id}")
        old, new = result
        return {
            "incident": incident_json(old, with_reports=True),
            "new_incident": incident_json(new, with_reports=True),
        }
