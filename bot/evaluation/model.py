"""Scenarios as the runner sees them: a setup and a list of resident actions with expectations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ACTIONS", "Scenario", "ScenarioError", "Setup", "Step"]

#: The resident actions a turn may take (exactly one per turn).
ACTIONS = (
    "say", "location", "image", "sticker", "postback", "tap", "follow", "unfollow", "redeliver", "wait", "safety_check",
)  # fmt: skip


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with where and why."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Setup:
    """What is true before the first turn."""

    language: str | None = None  # the LINE profile language (BCP 47), which picks the bot's language
    display_name: str = "テスト住民"
    profile: Mapping[str, Any] | None = None  # registered settings (dialogue.profile.Profile fields)
    shelter_statuses: tuple[Mapping[str, Any], ...] = ()
    clock: str | None = None  # ISO 8601; the fake clock starts here (else: now)


@dataclass(frozen=True)
class Step:
    """One resident action and what the bot should do in answer."""

    action: str
    value: Any
    line: int
    expect: Mapping[str, Any] = field(default_factory=dict)
    #: Line of each expectation key, for reports that point at the file.
    expect_lines: Mapping[str, int] = field(default_factory=dict)
    note: str = ""

    def describe(self) -> str:
        """How the action reads in a report, e.g. ``say: 助けて`` or ``tap: 送信``."""
        if self.action in ("follow", "unfollow", "redeliver", "image", "sticker"):
            return self.action
        if self.action == "location":
            v = self.value
            extra = f" {v['address']}" if v.get("address") else ""
            return f"location: {v['lat']}, {v['lon']}{extra}"
        if self.action == "safety_check":
            return f"safety_check: {self.value['campaign']} {self.value.get('title', '')}".rstrip()
        return f"{self.action}: {self.value}"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    line: int
    steps: tuple[Step, ...]
    tags: tuple[str, ...] = ()
    description: str = ""
    setup: Setup = field(default_factory=Setup)

    @property
    def suite(self) -> str:
        """The file's stem: the JUnit class name and the report's grouping."""
        return Path(self.path).stem
