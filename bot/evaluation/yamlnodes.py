"""YAML to plain data while remembering the line of every key and value.

Scalars under the keys in ``RAW_KEYS`` stay the text the evaluator typed: ``say: yes``
is the word "yes", not true, and ``reply.contains: 119`` is the string "119".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["Located", "Path_", "load_located"]

Path_ = tuple[str | int, ...]

RAW_KEYS = frozenset({
    "name", "description", "tags", "say", "tap", "postback", "note", "display_name", "clock",
    "reply.contains", "reply.not_contains", "reply.matches", "reply.prompt", "flex.contains", "quick_replies",
    "municipality", "home_municipality", "home_municipality_code", "home_address", "address", "title",
    "text_contains", "site", "campaign", "campaign_id", "answer", "status", "crowding", "location_source", "wait",
})  # fmt: skip


@dataclass
class Located:
    """The loaded data, the line of each value and of each mapping key (1-based)."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    key_lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int:
        """The line of the deepest known node on ``path``."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


class _Builder:
    def __init__(self) -> None:
        self.constructor = SafeConstructor()
        self.located = Located(None)

    def build(self, node: Node, path: Path_, raw: bool) -> Any:
        self.located.lines[path] = node.start_mark.line + 1
        if isinstance(node, MappingNode):
            return self._mapping(node, path, raw)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), raw) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if raw and node.tag in _PLAIN_TAGS:
            return str(node.value)
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: MappingNode, path: Path_, raw: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise yaml.MarkedYAMLError(problem="a key must be plain text", problem_mark=key_node.start_mark)
            key = str(key_node.value)
            if key in out:
                raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
            self.located.key_lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*path, key), raw or key in RAW_KEYS)
        return out


_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp"))


def load_located(text: str) -> Located:
    """Parse one YAML document; raises ``yaml.YAMLError`` (with a mark) when it is malformed."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    builder = _Builder()
    builder.located.data = None if node is None else builder.build(node, (), False)
    return builder.located
