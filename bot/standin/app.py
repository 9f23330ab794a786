"""The stand-in's WSGI application: the Messaging API endpoints the bot uses."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from bot.standin import limits
from bot.standin.state import Fault, RecordedCall, StandinState, new_request_id

__all__ = ["AUTH_FAILED", "StandinApp"]

AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid."
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_RETRY_KEY = "X-Line-Retry-Key"


@dataclass
class Answer:
    status: int
    payload: Any = None
    data: bytes | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def _error(status: int, message: str) -> Answer:
    return Answer(status, {"message": message})


def _invalid(details: list[dict[str, str]]) -> Answer:
    return Answer(400, limits.error_body(details))


class StandinApp:
    """Answers like api.line.me / api-data.line.me; records every call in ``state``."""

    def __init__(self, state: StandinState, access_token: str) -> None:
        self.state = state
        self._auth = f"Bearer {access_token}"
        self._routes: dict[str, Callable[[Request, Any, dict[str, str]], Answer]] = {
            "reply": self._reply,
            "push": self._push,
            "multicast": self._multicast,
            "content": self._content,
            "profile": self._profile,
            "loading": self._loading,
        }
        self._map = Map(
            [
                Rule("/v2/bot/message/reply", endpoint="reply", methods=["POST"]),
                Rule("/v2/bot/message/push", endpoint="push", methods=["POST"]),
                Rule("/v2/bot/message/multicast", endpoint="multicast", methods=["POST"]),
                Rule("/v2/bot/message/<message_id>/content", endpoint="content", methods=["GET"]),
                Rule("/v2/bot/profile/<user_id>", endpoint="profile", methods=["GET"]),
                Rule("/v2/bot/chat/loading/start", endpoint="loading", methods=["POST"]),
            ]
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        raw = request.get_data()
        try:
            body: Any = json.loads(raw) if raw else None
            malformed = False
        except ValueError:
            body, malformed = None, True
        answer = self._answer(request, body, malformed)
        request_id = new_request_id()
        answer.headers.setdefault("x-line-request-id", request_id)
        headers = {k.lower(): v for k, v in request.headers.items()}
        if "authorization" in headers:
            headers["authorization"] = "Bearer ***"
        self.state.record(RecordedCall(request.method, request.path, headers, body, answer.status, time.time()))
        data = answer.data if answer.data is not None else json.dumps(answer.payload).encode()
        response = Response(data, status=answer.status, content_type=answer.content_type)
        response.headers.update(answer.headers)
        return response(environ, start_response)

    def _answer(self, request: Request, body: Any, malformed: bool) -> Answer:
        if request.headers.get("Authorization") != self._auth:
            return _error(401, AUTH_FAILED)
        fault = self.state.take_fault(request.path)
        if fault is not None:
            if fault.delay_s > 0:
                time.sleep(fault.delay_s)
            if fault.status:
                if fault.deliver:
                    self._route(request, body, malformed)
                return _fault_answer(fault)
        return self._route(request, body, malformed)

    def _route(self, request: Request, body: Any, malformed: bool) -> Answer:
        try:
            endpoint, args = self._map.bind_to_environ(request.environ).match()
        except MethodNotAllowed:
            return _error(405, "Method Not Allowed")
        except NotFound:
            return _error(404, "Not found")
        if request.method == "POST" and (malformed or not isinstance(body, dict)):
            return _error(400, "The request body could not be parsed as JSON")
        return self._routes[str(endpoint)](request, body, dict(args))

    def _reply(self, request: Request, body: Any, args: dict[str, str]) -> Answer:
        if _RETRY_KEY in request.headers:
            return _error(400, "The X-Line-Retry-Key header is not supported for this API")
        details = limits.check_reply(body)
        if details:
            return _invalid(details)
        chat_id = self.state.redeem_reply_token(body["replyToken"])
        if chat_id is None:
            return _error(400, "Invalid reply token")
        sent = self.state.deliver([chat_id], body["messages"])
        return Answer(200, {"sentMessages": sent})

    def _push(self, request: Request, body: Any, args: dict[str, str]) -> Answer:
        return self._send(request, [body.get("to")], body, limits.check_push(body), True)

    def _multicast(self, request: Request, body: Any, args: dict[str, str]) -> Answer:
        return self._send(request, body.get("to"), body, limits.check_multicast(body), False)

    def _send(self, request: Request, to: Any, body: Any, details: list[dict[str, str]], push: bool) -> Answer:
        key = request.headers.get(_RETRY_KEY)
        if key is not None and not _UUID.match(key):
            return _error(400, "The value for the 'X-Line-Retry-Key' header is invalid")
        if details:
            return _invalid(details)
        request_id = str(uuid.uuid4())
        fresh, first_id, sent = self.state.deliver_once(key, request_id, list(to), body["messages"])
        if not fresh:
            payload: dict[str, Any] = {"message": "The retry key is already accepted"}
            if push:
                payload["sentMessages"] = sent
            return Answer(409, payload, headers={"x-line-accepted-request-id": first_id})
        return Answer(200, {"sentMessages": sent} if push else {}, headers={"x-line-request-id": request_id})

    def _content(self, request: Request, body: Any, args: dict[str, str]) -> Answer:
        found = self.state.content(args["message_id"])
        if found is None:
            return _error(404, "Not found")
        data, content_type = found
        return Answer(200, data=data, content_type=content_type)

    def _profile(self, request: Request, body: Any, args: dict[str, str]) -> Answer:
        profile = self.state.profile(args["user_id"])
        if profile is None:
            return _error(404, "Not found")
        payload = {
            "userId": profile.user_id,
            "displayName": profile.display_name,
            "language": profile.language,
        }
        return Answer(200, payload)

    def _loading(self, request: Request, body: Any, args: dict[str, str]) -> Answer:
        details = limits.check_loading(body)
        if details:
            return _invalid(details)
        self.state.add_loading(body["chatId"], body.get("loadingSeconds", 20))
        return Answer(202, {})


def _fault_answer(fault: Fault) -> Answer:
    if fault.status == 429:
        answer = _error(429, "Too Many Requests")
    else:
        try:
            phrase = HTTPStatus(fault.status).phrase
        except ValueError:
            phrase = "Error"
        answer = _error(fault.status, phrase)
    if fault.retry_after is not None:
        answer.headers["Retry-After"] = str(fault.retry_after)
    return answer
