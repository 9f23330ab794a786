"""The baseline for the webhook benchmark: a Flask handler that only checks the signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from flask import Flask, Response, request


def create_bare_app() -> Flask:
    secret = os.environ["SONAE_LINE_CHANNEL_SECRET"].encode()
    app = Flask(__name__)

    @app.post("/callback")
    def callback() -> Response:
        body = request.get_data()
        expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest())
        if not hmac.compare_digest(expected, request.headers.get("X-Line-Signature", "").encode()):
            return Response("invalid signature\n", status=400)
        return Response("OK\n", status=200)

    return app
