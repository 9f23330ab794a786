"""LINE's request limits, reported with LINE's error shapes.

Each ``check_*`` returns a list of error details (``{"message", "property"}``); an empty list
means the request is acceptable. ``error_body`` wraps them the way the platform does.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "MAX_ALT_TEXT_FLEX",
    "MAX_ALT_TEXT_TEMPLATE",
    "MAX_FLEX_CAROUSEL",
    "MAX_MESSAGES",
    "MAX_MULTICAST_TO",
    "MAX_QUICK_REPLY_ITEMS",
    "MAX_TEMPLATE_CAROUSEL",
    "MAX_TEXT_UTF16",
    "check_loading",
    "check_messages",
    "check_multicast",
    "check_push",
    "check_reply",
    "error_body",
    "utf16_len",
]

MAX_MESSAGES = 5
MAX_TEXT_UTF16 = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_FLEX_CAROUSEL = 12
#: LINE allows fewer columns in a template carousel than bubbles in a flex carousel.
MAX_TEMPLATE_CAROUSEL = 10
MAX_ALT_TEXT_FLEX = 1500
MAX_ALT_TEXT_TEMPLATE = 400
MAX_MULTICAST_TO = 500

Detail = dict[str, str]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: characters outside the BMP (most emoji) count twice."""
    return len(text.encode("utf-16-le")) // 2


def error_body(details: list[Detail]) -> dict[str, Any]:
    return {"message": f"The request body has {len(details)} error(s)", "details": details}


def _detail(message: str, prop: str) -> Detail:
    return {"message": message, "property": prop}


def _size(value: Any, low: int, high: int, prop: str) -> list[Detail]:
    if not isinstance(value, list) or not low <= len(value) <= high:
        return [_detail(f"Size must be between {low} and {high}", prop)]
    return []


def _text(value: Any, high: int, prop: str, count: Any = len) -> list[Detail]:
    if not isinstance(value, str) or value == "":
        return [_detail("must be specified", prop)]
    if count(value) > high:
        return [_detail(f"Length must be between 0 and {high}", prop)]
    return []


def _check_message(message: Any, prop: str) -> list[Detail]:
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return [_detail("must be specified", f"{prop}.type")]
    kind = message["type"]
    details: list[Detail] = []
    if kind == "text":
        details += _text(message.get("text"), MAX_TEXT_UTF16, f"{prop}.text", utf16_len)
    elif kind == "flex":
        details += _text(message.get("altText"), MAX_ALT_TEXT_FLEX, f"{prop}.altText")
        contents = message.get("contents")
        if not isinstance(contents, dict):
            details.append(_detail("must be specified", f"{prop}.contents"))
        elif contents.get("type") == "carousel":
            details += _size(contents.get("contents"), 1, MAX_FLEX_CAROUSEL, f"{prop}.contents.contents")
    elif kind == "template":
        details += _text(message.get("altText"), MAX_ALT_TEXT_TEMPLATE, f"{prop}.altText")
        template = message.get("template")
        if not isinstance(template, dict):
            details.append(_detail("must be specified", f"{prop}.template"))
        elif template.get("type") in ("carousel", "image_carousel"):
            columns = template.get("columns")
            details += _size(columns, 1, MAX_TEMPLATE_CAROUSEL, f"{prop}.template.columns")
    quick_reply = message.get("quickReply")
    if quick_reply is not None:
        items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
        details += _size(items, 1, MAX_QUICK_REPLY_ITEMS, f"{prop}.quickReply.items")
    return details


def _required_str(body: dict[str, Any], prop: str) -> list[Detail]:
    value = body.get(prop)
    return [] if isinstance(value, str) and value else [_detail("must be specified", prop)]


def check_messages(messages: Any) -> list[Detail]:
    """The ``messages`` array shared by reply, push and multicast."""
    size = _size(messages, 1, MAX_MESSAGES, "messages")
    if size:
        return size
    details: list[Detail] = []
    for index, message in enumerate(messages):
        details += _check_message(message, f"messages[{index}]")
    return details


def check_reply(body: dict[str, Any]) -> list[Detail]:
    return _required_str(body, "replyToken") + check_messages(body.get("messages"))


def check_push(body: dict[str, Any]) -> list[Detail]:
    return _required_str(body, "to") + check_messages(body.get("messages"))


def check_multicast(body: dict[str, Any]) -> list[Detail]:
    to = body.get("to")
    details = _size(to, 1, MAX_MULTICAST_TO, "to")
    if not details and not all(isinstance(user, str) and user for user in to or ()):
        details = [_detail("must be a user ID", "to")]
    return details + check_messages(body.get("messages"))


def check_loading(body: dict[str, Any]) -> list[Detail]:
    details: list[Detail] = []
    chat_id = body.get("chatId")
    if not isinstance(chat_id, str) or not chat_id:
        details.append(_detail("must be specified", "chatId"))
    seconds = body.get("loadingSeconds", 20)
    valid = isinstance(seconds, int) and not isinstance(seconds, bool)
    if not valid or not 5 <= seconds <= 60 or seconds % 5:
        details.append(_detail("Must be a multiple of 5 between 5 and 60", "loadingSeconds"))
    return details
