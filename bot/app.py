"""The Flask app factory. Nothing happens at import time."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from flask import Flask, Response, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.runtime import Runtime, build_runtime
from bot.webhook import create_webhook_blueprint
from config import Settings, load_settings
from reports_api import ApiOptions, check_connection, init_api

__all__ = ["create_app"]


def create_app(
    settings: Settings | None = None,
    *,
    runtime: Runtime | None = None,
    start_worker: bool | None = None,
    env: Mapping[str, str] | None = None,
) -> Flask:
    """Build the web app: the LINE webhook and the officers' API, sharing no routes or auth.

    Settings come from ``SONAE_*`` variables unless given. On the embedded default the
    worker runs in-process (``start_worker`` overrides that).
    """
    settings = settings or (runtime.settings if runtime else load_settings(env if env is not None else os.environ))
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runtime = runtime or build_runtime(settings)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Japanese stays readable in the API
    app.extensions["sonae"] = runtime
    app.register_blueprint(
        create_webhook_blueprint(
            settings.line_channel_secret, runtime.queue, settings.max_body_bytes, on_enqueued=runtime.wake.set
        )
    )
    init_api(
        app,
        runtime.engine,
        ApiOptions(
            redis_url=settings.redis_url,
            rate_limit=settings.api_rate_limit,
            drill_mode=settings.drill_mode,
            cap_sender=settings.cap_sender,
        ),
    )

    @app.get("/healthz")
    def healthz() -> Response | tuple[Response, int]:
        """Liveness and readiness: Redis and the database answer."""
        try:
            runtime.redis.ping()
            check_connection(runtime.engine)
        except Exception as exc:
            return jsonify(status="unavailable", reason=exc.__class__.__name__), 503
        return jsonify(status="ok", embedded=settings.embedded, backlog=runtime.queue.backlog())

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)

    if start_worker if start_worker is not None else settings.embedded:
        runtime.start_workers(1)
    return app
