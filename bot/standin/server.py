"""``LineStandin``: a local LINE Messaging API the real line-bot-sdk can talk to."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.standin.app import StandinApp
from bot.standin.state import Fault, Profile, RecordedCall, StandinState

__all__ = ["LineStandin"]


class _QuietHandler(WSGIRequestHandler):
    """No access log: request lines would end up in test output and chat transcripts."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class LineStandin:
    """An HTTP stand-in for api.line.me and api-data.line.me, served from a daemon thread.

    Point ``linebot.v3.messaging.Configuration(host=standin.base_url, ...)`` at it.
    """

    def __init__(
        self,
        access_token: str,
        reply_token_ttl_s: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.state = StandinState(reply_token_ttl_s=reply_token_ttl_s, clock=clock)
        self._app = StandinApp(self.state, access_token)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if self._server is not None:
            raise RuntimeError("the LINE stand-in is already running")
        server = make_server(host, port, self._app, threaded=True, request_handler=_QuietHandler)
        self._server = server
        # A short poll interval keeps stop() (and so each test's teardown) quick.
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="line-standin", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=10)

    def __enter__(self) -> LineStandin:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://host:port`` without a trailing slash (the SDK appends paths verbatim)."""
        if self._server is None:
            raise RuntimeError("the LINE stand-in is not running")
        address, port = self._server.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else str(address)
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}"

    # -- set-up ----------------------------------------------------------------------------
    def issue_reply_token(self, chat_id: str) -> str:
        """A fresh reply token for ``chat_id`` (a user, group or room id)."""
        return self.state.issue_reply_token(chat_id)

    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        self.state.add_content(message_id, data, content_type)

    def add_profile(self, user_id: str, display_name: str, language: str = "ja") -> None:
        self.state.add_profile(Profile(user_id, display_name, language))

    def inject(
        self,
        path_prefix: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        delay_s: float = 0.0,
        *,
        deliver: bool = False,
    ) -> None:
        """The next ``times`` calls under ``path_prefix`` answer ``status`` after ``delay_s``.

        They deliver nothing unless ``deliver`` (the platform did the work, but the answer
        was lost). ``status=0`` only delays the normal answer.
        """
        self.state.add_fault(Fault(path_prefix, status, times, retry_after, delay_s, deliver))

    def slow(self, path_prefix: str, delay_s: float, times: int = 1) -> None:
        """Delay the normal answer to the next ``times`` calls under ``path_prefix``."""
        self.inject(path_prefix, 0, times, delay_s=delay_s)

    # -- assertions ------------------------------------------------------------------------
    @property
    def calls(self) -> list[RecordedCall]:
        return self.state.calls()

    def calls_to(self, path_prefix: str) -> list[RecordedCall]:
        return [call for call in self.state.calls() if call.path.startswith(path_prefix)]

    def clear(self) -> None:
        self.state.clear()

    def delivered(self, chat_id: str) -> list[dict[str, Any]]:
        """Message objects delivered to ``chat_id`` by reply, push or multicast, in order."""
        return self.state.delivered(chat_id)

    def wait_for_delivered(self, chat_id: str, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Block until ``chat_id`` has at least ``count`` messages; raise TimeoutError."""
        return self.state.wait_for_delivered(chat_id, count, timeout)

    def loading_calls(self, chat_id: str) -> list[int]:
        """``loadingSeconds`` of each accepted loading-animation call for ``chat_id``."""
        return self.state.loading_calls(chat_id)
