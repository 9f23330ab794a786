"""What running a scenario found: per turn, what happened and which expectations failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["Outcome", "Problem", "ScenarioResult", "TurnResult"]


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"  # an expectation did not hold
    ERROR = "error"  # the scenario could not be run (setup failed, the bot never answered...)
    UNSUPPORTED = "unsupported"  # it needs a feature this version of Sonae lacks


@dataclass
class Problem:
    """One expectation that did not hold: what was expected, what happened instead."""

    key: str
    expected: str
    actual: str
    line: int


@dataclass
class TurnResult:
    index: int  # 1-based
    line: int
    action: str  # as written, e.g. "say: 助けて"
    kind: str | None  # the LINE event kind sent (for coverage), None for wait/redeliver
    http_status: int | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    state_before: str | None = None
    state_after: str | None = None
    slots_after: dict[str, Any] | None = None
    latency_s: float | None = None
    fallback: bool = False
    problems: list[Problem] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class ScenarioResult:
    name: str
    path: str
    line: int
    tags: tuple[str, ...]
    outcome: Outcome = Outcome.PASSED
    turns: list[TurnResult] = field(default_factory=list)
    duration_s: float = 0.0
    reason: str = ""  # for ERROR and UNSUPPORTED
    mode: str = "local"  # "local" (whole stack here) or "remote" (HTTP acceptance only)

    @property
    def suite(self) -> str:
        from pathlib import Path

        return Path(self.path).stem

    @property
    def problems(self) -> list[tuple[TurnResult, Problem]]:
        return [(t, p) for t in self.turns for p in t.problems]

    def settle(self) -> None:
        """The outcome from the turns (an ERROR or UNSUPPORTED already set stays)."""
        if self.outcome is not Outcome.PASSED:
            return
        if any(t.error for t in self.turns):
            self.outcome = Outcome.ERROR
            self.reason = next(t.error for t in self.turns if t.error) or ""
        elif self.problems:
            self.outcome = Outcome.FAILED
        elif any(t.unsupported for t in self.turns):
            self.outcome = Outcome.UNSUPPORTED
            self.reason = next(u for t in self.turns for u in t.unsupported)
