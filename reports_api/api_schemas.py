"""Marshmallow schemas of the officers' API: they document it (OpenAPI) and validate JSON bodies.

Responses are built by ``api_json``; these schemas describe them for the document.
"""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, ValidationError, fields, validate

from .api_params import bad
from .models import RejectReason, ReportStatus, Role

__all__ = [
    "AggregateQuery",
    "AggregatesOut",
    "AuditList",
    "ErrorOut",
    "ExportQuery",
    "IncidentDetailOut",
    "IncidentPageOut",
    "ListQuery",
    "MergeIn",
    "NoteIn",
    "NoteOut",
    "NotesOut",
    "ReportOut",
    "ReportPageOut",
    "SplitIn",
    "SplitOut",
    "StatusIn",
    "SubscriptionCreatedOut",
    "SubscriptionIn",
    "SubscriptionsOut",
    "TokenCreatedOut",
    "TokenIn",
    "TokensOut",
    "doc",
    "load_body",
]

_CODE = fields.String(validate=validate.Regexp(r"^[0-9]{5}$"), metadata={"example": "14205"})


class ErrorOut(Schema):
    error = fields.String(required=True, metadata={"example": "not_found"})
    message = fields.String(required=True)


class LocationOut(Schema):
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    source = fields.String()
    precision_m = fields.Float(allow_none=True)
    place_text = fields.String()


class MunicipalityOut(Schema):
    name = fields.String()
    code = fields.String(allow_none=True)


class ReportOut(Schema):
    number = fields.String(metadata={"example": "R-20261129-000007"})
    received_at = fields.DateTime()
    reported_at = fields.DateTime()
    categories = fields.List(fields.String())
    urgent = fields.Boolean()
    text = fields.String(metadata={"description": "The resident's words: escape before showing in HTML."})
    location = fields.Nested(LocationOut)
    municipality = fields.Nested(MunicipalityOut)
    reporter = fields.String(metadata={"description": "Keyed pseudonym, never a LINE user id."})
    source = fields.String()
    status = fields.String(validate=validate.OneOf([s.value for s in ReportStatus]))
    reject_reason = fields.String(allow_none=True)
    incident_id = fields.Integer(allow_none=True)
    photos = fields.Integer()


class ReportPageOut(Schema):
    reports = fields.List(fields.Nested(ReportOut))
    next_cursor = fields.String(allow_none=True)


class IncidentOut(Schema):
    id = fields.Integer()
    category = fields.String()
    first_at = fields.DateTime()
    last_at = fields.DateTime()
    urgent = fields.Boolean()
    location = fields.Dict()
    municipality = fields.Nested(MunicipalityOut)
    report_count = fields.Integer()
    corroboration = fields.Integer(metadata={"description": "Distinct reporters among non-rejected reports."})
    edited = fields.Boolean()


class IncidentDetailOut(IncidentOut):
    reports = fields.List(fields.String())


class IncidentPageOut(Schema):
    incidents = fields.List(fields.Nested(IncidentOut))
    next_cursor = fields.String(allow_none=True)


class StatusIn(Schema):
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in ReportStatus]))
    reason = fields.String(load_default=None, validate=validate.OneOf([r.value for r in RejectReason]))


class NoteIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class NoteOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    author = fields.String()
    text = fields.String()


class NotesOut(Schema):
    notes = fields.List(fields.Nested(NoteOut))


class AuditOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String(metadata={"example": "token:3"})
    action = fields.String(metadata={"example": "report.status_changed"})
    detail = fields.Dict(metadata={"description": "before/after values"})


class AuditList(Schema):
    entries = fields.List(fields.Nested(AuditOut))


class MergeIn(Schema):
    incident_ids = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)), required=True, validate=validate.Length(min=2)
    )


class SplitIn(Schema):
    reports = fields.List(
        fields.String(validate=validate.Length(min=1, max=32)), required=True, validate=validate.Length(min=1)
    )


class SplitOut(Schema):
    incident = fields.Nested(IncidentDetailOut)
    new_incident = fields.Nested(IncidentDetailOut)


class AggregateRow(Schema):
    municipality_code = fields.String(allow_none=True)
    municipality = fields.String()
    category = fields.String()
    bucket_start = fields.DateTime()
    count = fields.Integer()


class AggregatesOut(Schema):
    bucket = fields.String()
    counts = fields.List(fields.Nested(AggregateRow))


class TokenIn(Schema):
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    municipalities = fields.List(_CODE, load_default=list)
    label = fields.String(load_default="", validate=validate.Length(max=200))


class TokenOut(Schema):
    id = fields.Integer()
    label = fields.String()
    role = fields.String()
    municipalities = fields.List(fields.String())
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class TokensOut(Schema):
    tokens = fields.List(fields.Nested(TokenOut))


class TokenCreatedOut(TokenOut):
    token = fields.String(metadata={"description": "The bearer token; shown only in this answer."})


class SubscriptionIn(Schema):
    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False, validate=validate.Length(max=2000))
    events = fields.List(
        fields.String(validate=validate.OneOf(["report.created", "report.verified"])),
        load_default=lambda: ["report.created", "report.verified"],
        validate=validate.Length(min=1),
    )
    municipalities = fields.List(_CODE, load_default=list)
    label = fields.String(load_default="", validate=validate.Length(max=200))


class SubscriptionOut(Schema):
    id = fields.Integer()
    label = fields.String()
    url = fields.String()
    events = fields.List(fields.String())
    municipalities = fields.List(fields.String())
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
    pending = fields.Integer(metadata={"description": "Deliveries not yet accepted by the receiver."})


class SubscriptionsOut(Schema):
    subscriptions = fields.List(fields.Nested(SubscriptionOut))


class SubscriptionCreatedOut(SubscriptionOut):
    secret = fields.String(metadata={"description": "HMAC-SHA256 signing secret; shown only in this answer."})


class ListQuery(Schema):
    status = fields.List(fields.String(validate=validate.OneOf([s.value for s in ReportStatus])))
    category = fields.List(fields.String(validate=validate.Length(min=1, max=64)))
    municipality = fields.List(_CODE)
    urgent = fields.Boolean()
    since = fields.DateTime(metadata={"description": "ISO 8601 with a time zone; received at or after."})
    until = fields.DateTime(metadata={"description": "ISO 8601 with a time zone; received before."})
    bbox = fields.String(metadata={"description": "minlon,minlat,maxlon,maxlat", "example": "139.4,35.3,139.55,35.4"})
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Text search (substring)."})
    limit = fields.Integer(validate=validate.Range(min=1, max=500), metadata={"default": 50})
    cursor = fields.String(metadata={"description": "next_cursor of the previous page"})


class ExportQuery(ListQuery):
    precision = fields.Integer(
        validate=validate.Range(min=0, max=6),
        metadata={"description": "Round coordinates to this many decimals (3 ≈ 110 m) before sharing."},
    )
    lang = fields.String(validate=validate.OneOf(["en", "ja"]), metadata={"description": "CSV column names"})


class AggregateQuery(ListQuery):
    bucket = fields.String(validate=validate.OneOf(["hour", "day"]), metadata={"default": "day"})


_ERRORS = {
    400: "Bad request: the message names the parameter",
    401: "Missing, unknown or revoked token",
    403: "The token's role or scope does not allow this",
    404: "Absent, or outside the token's municipality scope",
    409: "The change conflicts with the current state",
    429: "Too many requests for this token",
}


def _content(schema: type[Schema] | str, media: str = "application/json") -> dict[str, Any]:
    return {media: {"schema": schema if not isinstance(schema, str) else {"type": "string"}}}


def doc(
    ok: int,
    schema: type[Schema] | None,
    *errors: int,
    query: type[Schema] | None = None,
    body: type[Schema] | None = None,
    media: str = "application/json",
    tags: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Keyword arguments for ``blueprint.doc``: responses, parameters and request body."""
    responses: dict[Any, Any] = {ok: {"description": "OK"}}
    if schema is not None:
        responses[ok]["content"] = _content(schema)
    elif media != "application/json":
        responses[ok]["content"] = _content("string", media)
    for code in sorted({400, 401, 429, *errors}):
        responses[code] = {"description": _ERRORS[code], "content": _content(ErrorOut)}
    out: dict[str, Any] = {"responses": responses, "tags": list(tags)}
    if query is not None:
        out["parameters"] = [{"in": "query", "schema": query}]
    if body is not None:
        out["requestBody"] = {"required": True, "content": _content(body)}
    return out


def _has_nul(value: object) -> bool:
    """Whether a NUL character appears anywhere in a JSON value (keys included)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def load_body(schema: type[Schema]) -> dict[str, Any]:
    """The request's JSON object validated by ``schema``; a 400 naming the first bad field."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise bad("send a JSON object with Content-Type: application/json")
    if _has_nul(data):
        # PostgreSQL cannot store NUL characters in text: refuse them clearly rather than fail later.
        raise bad("NUL characters are not allowed in the request body")
    try:
        loaded: dict[str, Any] = schema().load(data)
    except ValidationError as exc:
        messages = exc.normalized_messages()
        name = next(iter(messages)) if isinstance(messages, dict) and messages else "body"
        detail = messages.get(name) if isinstance(messages, dict) else messages
        raise bad(f"'{name}': {detail}") from None
    return loaded
