"""Running the web app: gunicorn for real deployments, a threaded server for the embedded default."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

__all__ = ["BackgroundServer", "run_gunicorn"]

log = logging.getLogger(__name__)


class BackgroundServer:
    """A threaded WSGI server on a daemon thread (embedded default, chat, tests)."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0):
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def run_gunicorn(app_factory: Callable[[], Flask], bind: str, workers: int, threads: int = 4) -> None:
    """Serve with gunicorn: ``workers`` processes, each building its own app after fork."""
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):
        def load_config(self) -> None:
            for key, value in {"bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread",
                               "timeout": 30, "graceful_timeout": 20, "accesslog": None}.items():  # fmt: skip
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app_factory()

    _App().run()
