"""Neutral messages → LINE message objects (JSON dicts as the Messaging API takes them)."""

from __future__ import annotations

from typing import Any

from dialogue.messages import Out, QuickReply, QuickReplyKind, ShelterCard, ShelterCarousel, Text
from dialogue.prompts import Prompts

__all__ = ["render"]

MAX_TEXT = 5000  # UTF-16 code units
MAX_ALT = 1500
MAX_LABEL = 20
MAX_BUBBLES = 12


def _utf16_cut(text: str, limit: int) -> str:
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    out, used = [], 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out) + "…"


def _action(qr: QuickReply) -> dict[str, Any]:
    label = qr.label[:MAX_LABEL]
    if qr.kind is QuickReplyKind.LOCATION:
        return {"type": "location", "label": label}
    if qr.kind is QuickReplyKind.POSTBACK:
        return {"type": "postback", "label": label, "data": qr.value, "displayText": label}
    return {"type": "message", "label": label, "text": qr.value or label}


def _with_quick(message: dict[str, Any], replies: tuple[QuickReply, ...]) -> dict[str, Any]:
    if replies:
        message["quickReply"] = {"items": [{"type": "action", "action": _action(q)} for q in replies[:13]]}
    return message


def _directions(card: ShelterCard) -> str:
    return f"https://www.google.com/maps/dir/?api=1&destination={card.lat:.6f},{card.lon:.6f}&travelmode=walking"


def _distance(meters: float) -> str:
    return f"{meters / 1000:.1f} km" if meters >= 1000 else f"{round(meters)} m"


STATUS_COLOURS = {"open": "#1E8449", "available": "#1E8449", "crowded": "#B9770E", "full": "#C0392B",
                  "closed": "#C0392B"}  # fmt: skip


def _bubble(card: ShelterCard, p: Prompts, footer: str) -> dict[str, Any]:
    lines: list[dict[str, Any]] = [
        {"type": "text", "text": card.name[:100] or "-", "weight": "bold", "size": "md", "wrap": True},
        {"type": "text", "text": f"{_distance(card.distance_m)}・{p.t('label.walk', minutes=card.walk_minutes)}",
         "size": "sm", "color": "#555555"},
        {"type": "text", "text": card.address[:200] or "-", "size": "xs", "color": "#777777", "wrap": True},
        {"type": "text", "text": f"{p.t('label.designated_for')}：{'・'.join(card.hazards) or '-'}",
         "size": "xs", "wrap": True},
    ]  # fmt: skip
    if card.status:
        colour = STATUS_COLOURS.get(card.status_code or "", "#C0392B")
        lines.append({"type": "text", "text": card.status[:100], "size": "sm", "weight": "bold", "color": colour,
                      "wrap": True})  # fmt: skip
    if card.note:
        lines.append({"type": "text", "text": f"※{card.note[:200]}", "size": "xs", "color": "#B9770E", "wrap": True})
    if footer:
        lines.append({"type": "text", "text": footer, "size": "xxs", "color": "#999999", "wrap": True})
    return {
        "type": "bubble",
        "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": lines},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "height": "sm",
             "action": {"type": "uri", "label": p.t("label.directions")[:MAX_LABEL], "uri": _directions(card)}},
        ]},
    }  # fmt: skip


def _alt_row(i: int, card: ShelterCard, p: Prompts) -> str:
    row = f"{i}. {card.name} {_distance(card.distance_m)}（{p.t('label.walk', minutes=card.walk_minutes)}）"
    if card.status:
        row += f" {card.status}"
    if card.note:
        row += f" ※{card.note[:60]}"
    return row


def _alt_text(carousel: ShelterCarousel, p: Prompts) -> str:
    """The readable text version (notification, old clients, screen readers).

    The footer (data date, "follow your municipality") goes first among what may be cut,
    so it is never lost to a long list: rows are dropped from the end instead.
    """
    head = [carousel.alt_text] if carousel.alt_text else []
    tail = [carousel.footer] if carousel.footer else []
    rows = [_alt_row(i, c, p) for i, c in enumerate(carousel.cards[:MAX_BUBBLES], 1)]
    while rows and _utf16_len("\n".join([*head, *rows, *tail])) > MAX_ALT:
        rows.pop()
    return _utf16_cut("\n".join([*head, *rows, *tail]), MAX_ALT)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def render(messages: tuple[Out, ...], p: Prompts) -> list[dict[str, Any]]:
    """Render up to five LINE messages; quick replies ride on the last one."""
    out: list[dict[str, Any]] = []
    for message in messages:
        if isinstance(message, Text):
            out.append(_with_quick({"type": "text", "text": _utf16_cut(message.text, MAX_TEXT)}, message.quick_replies))
        elif isinstance(message, ShelterCarousel):
            bubbles = [_bubble(c, p, message.footer) for c in message.cards[:MAX_BUBBLES]]
            flex = {"type": "flex", "altText": _alt_text(message, p),
                    "contents": {"type": "carousel", "contents": bubbles}}  # fmt: skip
            out.append(_with_quick(flex, message.quick_replies))
    if len(out) > 5:  # LINE takes five per request: keep the first four and the last (it has the buttons)
        out = [*out[:4], out[-1]]
    return out
