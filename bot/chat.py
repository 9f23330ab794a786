"""``sonae chat``: talk to the bot from a terminal through the real signed-webhook path.

Typed text is sent as a LINE text message; ``/loc LAT LON`` sends a location;
a number taps that quick reply; ``/follow`` greets; ``/quit`` ends.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

from bot.embedded import EmbeddedStack
from bot.standin import WebhookDriver
from config import Settings

__all__ = ["format_message", "run_chat"]

USER_ID = "U" + "c0ffee" * 5 + "00"  # a made-up LINE user id for the terminal resident
HELP = "Type a message. /loc LAT LON sends a location, a number taps a button, /follow, /help, /quit."


def format_message(message: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """A LINE message as terminal text, plus its quick-reply actions (numbered by the caller)."""
    if message.get("type") == "text":
        text = str(message["text"])
    elif message.get("type") == "flex":
        text = str(message.get("altText", ""))
    else:
        text = f"[{message.get('type')}]"
    items = (message.get("quickReply") or {}).get("items") or []
    return text, [item["action"] for item in items]


def _tap(driver: WebhookDriver, action: dict[str, Any], out: TextIO) -> dict[str, Any] | None:
    kind = action.get("type")
    if kind == "postback":
        return driver.build_postback(USER_ID, str(action.get("data", "")))
    if kind == "message":
        return driver.build_text(USER_ID, str(action.get("text", action.get("label", ""))))
    if kind == "location":
        print("  (type /loc LAT LON, e.g. /loc 35.3387 139.4870 for 藤沢駅)", file=out)
    return None


def run_chat(settings: Settings, inp: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    if settings.log_level == "INFO":  # keep the conversation readable; SONAE_LOG_LEVEL=DEBUG shows everything
        settings = settings.replace(log_level="WARNING")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with EmbeddedStack(settings, standin=True) as stack:
        assert stack.standin is not None
        driver = WebhookDriver(stack.url + "/callback", stack.settings.line_channel_secret, stack.standin)
        seen = 0
        actions: list[dict[str, Any]] = []
        print("備え (Sonae) — " + HELP, file=out)
        pending: dict[str, Any] | None = driver.build_follow(USER_ID)
        while True:
            if pending is not None:
                status = driver.send(pending)
                if status != 200:
                    print(f"  (the bot answered HTTP {status})", file=out)
                try:
                    delivered = stack.standin.wait_for_delivered(USER_ID, seen + 1, timeout=30)
                except TimeoutError:
                    delivered = stack.standin.delivered(USER_ID)
                for message in delivered[seen:]:
                    text, actions = format_message(message)
                    print("\n".join("bot> " + line for line in text.splitlines()), file=out)
                    for i, action in enumerate(actions, 1):
                        print(f"  [{i}] {action.get('label')}", file=out)
                seen = len(delivered)
            print("you> ", end="", file=out, flush=True)
            line = inp.readline()
            if not line or line.strip() in ("/quit", "/exit"):
                return 0
            pending = _parse(driver, line.strip(), actions, out)


def _parse(driver: WebhookDriver, line: str, actions: list[dict[str, Any]], out: TextIO) -> dict[str, Any] | None:
    if not line:
        return None
    if line == "/help":
        print(HELP, file=out)
        return None
    if line == "/follow":
        return driver.build_follow(USER_ID)
    if line.startswith("/loc"):
        try:
            _cmd, lat, lon = line.split()
            return driver.build_location(USER_ID, float(lat), float(lon))
        except ValueError:
            print("  usage: /loc 35.3387 139.4870", file=out)
            return None
    if line.isdigit() and 1 <= int(line) <= len(actions):
        return _tap(driver, actions[int(line) - 1], out)
    return driver.build_text(USER_ID, line)
