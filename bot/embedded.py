"""The embedded default as one object: app + in-process worker + LINE stand-in."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

from bot.app import create_app
from bot.runtime import Runtime, build_runtime
from bot.serving import BackgroundServer
from bot.standin import LineStandin
from config import Settings

__all__ = ["EmbeddedStack"]


class EmbeddedStack:
    """Starts the stand-in (when no LINE API is configured), the app and its worker.

    Tests use it on real services too, with ``standin=True`` and ``migrate=True``.
    """

    def __init__(
        self,
        settings: Settings,
        host: str = "127.0.0.1",
        port: int = 0,
        workers: int = 1,
        *,
        standin: bool | None = None,
        migrate: bool | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.standin: LineStandin | None = None
        if settings.use_standin if standin is None else standin:
            self.standin = LineStandin(settings.line_channel_access_token)
            self.standin.start()
            base = self.standin.base_url
            settings = settings.replace(line_api_base=base, line_data_api_base=base)
        self.settings = settings
        self.runtime: Runtime = build_runtime(settings, migrate=migrate, clock=clock)
        self.app = create_app(settings, runtime=self.runtime, start_worker=False)
        self.runtime.start_workers(workers)
        self.server = BackgroundServer(self.app, host, port).start()

    @property
    def url(self) -> str:
        return self.server.url

    def close(self) -> None:
        self.server.stop()
        self.runtime.close()
        if self.standin is not None:
            self.standin.stop()

    def __enter__(self) -> EmbeddedStack:
        return self

    def __exit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
