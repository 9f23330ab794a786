"""The officers' API blueprint (``/api/v1``): bearer tokens, scoped report reads.

Handlers stay thin (parse, query, render) so an OpenAPI extension can wrap them later.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, g, request
from sqlalchemy.engine import Engine
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError, NotFound
from werkzeug.exceptions import Unauthorized as _Unauthorized

from .api_json import error_response, report_json
from .api_params import parse_list_params
from .queries import get_report, list_reports
from .tokens import TokenInfo, authenticate

__all__ = ["URL_PREFIX", "create_api_blueprint"]

URL_PREFIX = "/api/v1"
log = logging.getLogger(__name__)


class Unauthorized(_Unauthorized):
    """401 with the RFC 6750 challenge."""

    def __init__(self, description: str, invalid: bool = False) -> None:
        params: dict[str, str | None] = {"realm": "sonae"}
        if invalid:
            params["error"] = "invalid_token"
        challenge = WWWAuthenticate("Bearer", params)
        super().__init__(description=description, www_authenticate=challenge)


def _authenticate(engine: Engine) -> TokenInfo:
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if not header:
        raise Unauthorized("send 'Authorization: Bearer <token>'")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'", invalid=True)
    token = authenticate(engine, credentials.strip())
    if token is None:
        raise Unauthorized("the token is unknown or revoked", invalid=True)
    return token


def _http_error(exc: HTTPException) -> Response:
    return error_response(exc)


def _unexpected_error(exc: Exception) -> Response:
    # The exception type and route only: messages may quote stored data.
    log.error("unexpected %s in %s %s", type(exc).__name__, request.method, request.path)
    log.debug("traceback of the unexpected error", exc_info=exc)
    return error_response(InternalServerError())


def _routing_error(exc: HTTPException) -> Response | HTTPException:
    """404/405 raised while routing never reach the blueprint: answer JSON under its prefix."""
    if request.path == URL_PREFIX or request.path.startswith(URL_PREFIX + "/"):
        return error_response(exc)
    return exc


def create_api_blueprint(engine: Engine) -> Blueprint:
    """The ``/api/v1`` blueprint, reading reports through ``engine``."""
    bp = Blueprint("api_v1", __name__, url_prefix=URL_PREFIX)

    @bp.before_request
    def require_token() -> None:
        g.api_token = _authenticate(engine)

    @bp.get("/reports")
    def reports_list() -> Response | dict[str, object]:
        """List reports in the token's scope, newest first, with filters and a cursor."""
        token: TokenInfo = g.api_token
        params = parse_list_params(request.args)
        wanted = params.filters.municipality_codes
        outside = sorted(c for c in wanted if not token.can_see(c))
        if outside:
            raise Forbidden(description=f"this token cannot see municipality {outside[0]}")
        page = list_reports(
            engine,
            params.filters,
            scope=token.municipalities,
            limit=params.limit,
            after=params.cursor,
        )
        return {
            "reports": [report_json(r) for r in page.reports],
            "next_cursor": page.next_cursor.encode() if page.next_cursor else None,
        }

    @bp.get("/reports/<number>")
    def reports_get(number: str) -> dict[str, object]:
        """One report by number; 404 when absent or outside the token's scope alike."""
        token: TokenInfo = g.api_token
        report = get_report(engine, number, scope=token.municipalities)
        if report is None:
            raise NotFound(description=f"no report {number}")
        return report_json(report)

    for code in (400, 401, 403, 404, 405, 500):
        bp.register_error_handler(code, _http_error)
    bp.register_error_handler(HTTPException, _http_error)
    bp.register_error_handler(Exception, _unexpected_error)
    bp.app_errorhandler(404)(_routing_error)
    bp.app_errorhandler(405)(_routing_error)
    return bp
