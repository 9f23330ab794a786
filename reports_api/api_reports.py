"""Routes for reports: list, get, change status, notes and audit trail."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint
from sqlalchemy.engine import Engine
from werkzeug.exceptions import BadRequest, Conflict, Forbidden, NotFound

from .api_auth import caller, require_role
from .api_json import report_json, timestamp
from .api_params import decode_cursor, parse_list_params
from .api_schemas import (
    AuditList,
    ListQuery,
    NoteIn,
    NoteOut,
    NotesOut,
    ReportOut,
    ReportPageOut,
    StatusIn,
    doc,
    load_body,
)
from .models import Role
from .queries import Cursor, ReportFilter, list_reports
from .queries import get_report as get_report_row
from .review import ReviewError, add_note, audit_trail, change_status, list_notes

__all__ = ["check_requested_scope", "register_report_routes"]


def check_requested_scope(filters: ReportFilter) -> None:
    """403 when the caller explicitly asks for a municipality outside its scope."""
    token = caller()
    outside = sorted(c for c in filters.municipality_codes if not token.can_see(c))
    if outside:
        raise Forbidden(description=f"this token cannot see municipality {outside[0]}")


def _not_found(number: str) -> NotFound:
    return NotFound(description=f"no report {number}")


def register_report_routes(bp: Blueprint, engine: Engine) -> None:
    @bp.route("/reports", methods=["GET"])
    @bp.doc(**doc(200, ReportPageOut, 403, query=ListQuery, tags=("reports",)))
    def reports_list() -> dict[str, Any]:
        """List reports in the token's scope: urgent first, then newest; filters and a cursor."""
        params = parse_list_params(request.args)
        check_requested_scope(params.filters)
        page = list_reports(
            engine,
            params.filters,
            scope=caller().municipalities,
            limit=params.limit,
            after=decode_cursor(Cursor.decode, params.raw_cursor),
        )
        return {
            "reports": [report_json(r) for r in page.reports],
            "next_cursor": page.next_cursor.encode() if page.next_cursor else None,
        }

    @bp.route("/reports/<number>", methods=["GET"])
    @bp.doc(**doc(200, ReportOut, 404, tags=("reports",)))
    def reports_get(number: str) -> dict[str, Any]:
        """One report by number; 404 when absent or outside the token's scope alike."""
        report = get_report_row(engine, number, scope=caller().municipalities)
        if report is None:
            raise _not_found(number)
        return report_json(report)

    @bp.route("/reports/<number>/status", methods=["POST"])
    @bp.doc(**doc(200, ReportOut, 403, 404, 409, body=StatusIn, tags=("review",)))
    def reports_status(number: str) -> dict[str, Any]:
        """Change a report's status (moderator+); a rejection needs a reason."""
        token = require_role(Role.MODERATOR)
        body = load_body(StatusIn)
        try:
            saved = change_status(
                engine,
                number,
                status=body["status"],
                reason=body["reason"],
                actor=token.actor,
                scope=token.municipalities,
            )
        except ReviewError as exc:
            if exc.conflict:
                raise Conflict(description=str(exc)) from None
            raise BadRequest(description=str(exc)) from None
        if saved is None:
            raise _not_found(number)
        return report_json(saved)

    @bp.route("/reports/<number>/notes", methods=["GET"])
    @bp.doc(**doc(200, NotesOut, 404, tags=("review",)))
    def reports_notes(number: str) -> dict[str, Any]:
        """Officers' notes on a report, oldest first."""
        notes = list_notes(engine, number, scope=caller().municipalities)
        if notes is None:
            raise _not_found(number)
        return {"notes": [_note_json(n) for n in notes]}

    @bp.route("/reports/<number>/notes", methods=["POST"])
    @bp.doc(**doc(201, NoteOut, 403, 404, body=NoteIn, tags=("review",)))
    def reports_add_note(number: str) -> tuple[dict[str, Any], int]:
        """Add a note to a report (moderator+)."""
        token = require_role(Role.MODERATOR)
        body = load_body(NoteIn)
        note = add_note(engine, number, text=body["text"], actor=token.actor, scope=token.municipalities)
        if note is None:
            raise _not_found(number)
        return _note_json(note), 201

    @bp.route("/reports/<number>/audit", methods=["GET"])
    @bp.doc(**doc(200, AuditList, 404, tags=("review",)))
    def reports_audit(number: str) -> dict[str, Any]:
        """Who changed what and when on this report, oldest first."""
        entries = audit_trail(engine, number, scope=caller().municipalities)
        if entries is None:
            raise _not_found(number)
        return {
            "entries": [
                {"id": e.id, "at": timestamp(e.at), "actor": e.actor, "action": e.action, "detail": e.detail}
                for e in entries
            ]
        }


def _note_json(note: Any) -> dict[str, Any]:
    return {"id": note.id, "at": timestamp(note.at), "author": note.author, "text": note.text}
