"""Reading the bot's answer: texts, quick replies, Flex content, and known prompts.

The urgent notice is the ``urgent`` prompt (119/110 guidance) of any language, sent as a
message of its own; the fallback is the ``fallback`` or ``fallback_menu`` prompt. Both are
recognised by the prompt texts themselves, so officers' edits to the YAML files carry over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from dialogue.prompts import LANGUAGES, load_prompts

__all__ = ["PromptBook", "flex_texts", "message_text", "quick_replies", "reply_text"]


def _walk_texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "altText", "label") and isinstance(value, str):
                yield value
            else:
                yield from _walk_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_texts(item)


def flex_texts(messages: list[dict[str, Any]]) -> str:
    """Every text inside the Flex messages (bubbles, buttons), one per line."""
    return "\n".join(t for m in messages if m.get("type") == "flex" for t in _walk_texts(m.get("contents")))


def message_text(message: dict[str, Any]) -> str:
    """What a person reads: a text message's text, or a Flex message's altText and contents."""
    if message.get("type") == "text":
        return str(message.get("text", ""))
    if message.get("type") == "flex":
        return "\n".join([str(message.get("altText", "")), *_walk_texts(message.get("contents"))])
    return f"[{message.get('type')}]"


def reply_text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message_text(m) for m in messages)


def quick_replies(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The quick-reply actions offered (they ride on the last message)."""
    if not messages:
        return []
    items = (messages[-1].get("quickReply") or {}).get("items") or []
    return [dict(item.get("action") or {}) for item in items]


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}", template.strip())
    return re.compile(".*?".join(re.escape(p) for p in parts), re.DOTALL)


class PromptBook:
    """Recognises prompts by key in any language (``{placeholders}`` match anything)."""

    def __init__(self, prompts_dir: str | None = None):
        self.prompts_dir = prompts_dir

    @cache  # noqa: B019 - a handful of books per process, kept for the run
    def _patterns(self, key: str) -> tuple[re.Pattern[str], ...]:
        found = []
        for language in LANGUAGES:
            prompts = load_prompts(language, self.prompts_dir)
            if prompts.has(key):
                found.append(_template_regex(prompts.t(key) if "{" not in prompts.texts[key] else prompts.texts[key]))
        return tuple(found)

    def known(self, key: str) -> bool:
        return bool(self._patterns(key))

    def sent(self, key: str, messages: list[dict[str, Any]]) -> bool:
        """Whether one of the text messages is this prompt (in any language)."""
        texts = [str(m.get("text", "")).strip() for m in messages if m.get("type") == "text"]
        return any(p.search(t) for p in self._patterns(key) for t in texts)

    def urgent_notice(self, messages: list[dict[str, Any]]) -> bool:
        return self.sent("urgent", messages)

    def fallback(self, messages: list[dict[str, Any]]) -> bool:
        return self.sent("fallback", messages) or self.sent("fallback_menu", messages)
