"""The officers' API (``/api/v1``): bearer tokens, scoped reads and audited writes, OpenAPI 3.

:func:`init_api` wires everything onto an app: the flask-smorest ``Api`` that generates the
document (``/api/v1/openapi.json``) and serves Swagger UI from vendored assets
(``/api/v1/docs``, no CDN), the rate limiter, and one blueprint whose routes are defined in
``api_reports``, ``api_incidents``, ``api_exports``, ``api_admin`` and ``api_shelters``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import Blueprint as FlaskBlueprint
from flask import Flask, Response, g, request, send_from_directory
from flask_limiter import Limiter
from flask_smorest import Api, Blueprint
from sqlalchemy.engine import Engine
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from .api_admin import register_admin_routes
from .api_auth import authenticate_request, rate_limit_key
from .api_exports import register_export_routes
from .api_incidents import register_incident_routes
from .api_json import error_response
from .api_reports import register_report_routes
from .api_shelters import register_shelter_routes

__all__ = ["DEFAULT_RATE_LIMIT", "URL_PREFIX", "ApiOptions", "init_api"]

URL_PREFIX = "/api/v1"
DEFAULT_RATE_LIMIT = "600 per minute"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ApiOptions:
    """What the API needs beyond the engine; the app factory fills it from ``Settings``."""

    #: Rate-limit counters live here when set (e.g. redis://…); else in process memory.
    redis_url: str | None = None
    #: flask-limiter syntax, per token: "600 per minute", "20/second;600/minute", …
    rate_limit: str = DEFAULT_RATE_LIMIT
    #: CAP alerts carry <status>Exercise</status> in drill mode.
    drill_mode: bool = False
    #: CAP <sender>.
    cap_sender: str = "sonae@localhost"


class _ScopedApi(Api):
    """flask-smorest's Api without its app-wide error handler: the LINE webhook keeps its own."""

    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        return None


_SPEC_OPTIONS: dict[str, Any] = {
    "info": {
        "description": "Residents' disaster reports for municipal and prefectural officers. "
        "Send `Authorization: Bearer <token>`; a token's municipality scope limits what it can see and change."
    },
    "security": [{"bearerAuth": []}],
    "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    "servers": [{"url": "/"}],
}


def _configure(app: Flask) -> None:
    defaults = {
        "API_TITLE": "Sonae officers' API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": URL_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": f"{URL_PREFIX}/docs/assets/",
        "API_SPEC_OPTIONS": _SPEC_OPTIONS,
    }
    for key, value in defaults.items():
        app.config.setdefault(key, value)


def _assets_blueprint() -> FlaskBlueprint:
    """Swagger UI's files from the swagger-ui-bundle package: the docs work offline."""
    assets = FlaskBlueprint("api_v1_docs_assets", __name__, url_prefix=f"{URL_PREFIX}/docs/assets")

    @assets.get("/<path:filename>")
    def asset(filename: str) -> Response:
        return send_from_directory(str(swagger_ui_path), filename)

    return assets


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


def _refuse_nul() -> None:
    # PostgreSQL cannot store or compare NUL characters: refuse them up front, clearly.
    if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
        raise BadRequest(description="NUL characters are not allowed in the URL")


def init_api(app: Flask, engine: Engine, options: ApiOptions | None = None) -> Api:
    """Register the officers' API, its OpenAPI document, docs and rate limits on ``app``."""
    options = options or ApiOptions()
    _configure(app)
    api = _ScopedApi(app)
    limiter = Limiter(
        rate_limit_key(engine),
        app=app,
        storage_uri=options.redis_url or "memory://",
        headers_enabled=True,
        # If the limiter's Redis is down, officers keep working rather than get 500s.
        swallow_errors=True,
        key_prefix="sonae:ratelimit",
    )
    app.extensions["sonae_limiter"] = limiter
    bp = Blueprint("api_v1", __name__, url_prefix=URL_PREFIX, description="Officers' API")

    @bp.before_request
    def require_token() -> None:
        _refuse_nul()
        g.api_token = authenticate_request(engine)

    register_report_routes(bp, engine)
    register_incident_routes(bp, engine)
    register_export_routes(bp, engine, options)
    register_admin_routes(bp, engine)
    register_shelter_routes(bp, engine)

    bp.register_error_handler(HTTPException, error_response)
    bp.register_error_handler(Exception, _unexpected_error)
    bp.app_errorhandler(404)(_routing_error)
    bp.app_errorhandler(405)(_routing_error)
    limiter.limit(options.rate_limit)(bp)
    api.register_blueprint(bp)
    app.register_blueprint(_assets_blueprint())
    return api
