"""Run metrics: completion rate, turns to complete, fallback rate, latency per turn."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bot.evaluation.results import Outcome, ScenarioResult

__all__ = ["Metrics", "compute_metrics", "percentile"]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) by the nearest-rank method; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Metrics:
    scenarios: int
    passed: int
    failed: int
    errors: int
    unsupported: int
    completion_rate: float | None  # passed / (scenarios that could be run)
    turns_to_complete_mean: float | None
    turns_to_complete_median: float | None
    turns: int
    fallback_turns: int
    fallback_rate: float | None  # turns answered with the fallback prompt / turns answered
    latency_p50_s: float | None
    latency_p95_s: float | None
    latency_max_s: float | None

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the reports."""
        return [
            ("scenarios", str(self.scenarios)),
            ("passed / failed / errors / unsupported",
             f"{self.passed} / {self.failed} / {self.errors} / {self.unsupported}"),
            ("completion rate (passed / runnable)", _pct(self.completion_rate)),
            ("turns to complete (mean / median)", f"{_num(self.turns_to_complete_mean)} / "
                                                  f"{_num(self.turns_to_complete_median)}"),
            ("fallback rate (fallback answers / answered turns)",
             f"{_pct(self.fallback_rate)} ({self.fallback_turns} of {self.turns} turns)"),
            ("latency per turn p50 / p95 / max", f"{_ms(self.latency_p50_s)} / {_ms(self.latency_p95_s)} / "
                                                 f"{_ms(self.latency_max_s)}"),
        ]  # fmt: skip


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{1000 * value:.0f} ms"


def compute_metrics(results: Sequence[ScenarioResult]) -> Metrics:
    count = {o: sum(1 for r in results if r.outcome is o) for o in Outcome}
    runnable = len(results) - count[Outcome.UNSUPPORTED]
    completed = [len(r.turns) for r in results if r.outcome is Outcome.PASSED]
    turns = [t for r in results for t in r.turns]
    answered = [t for t in turns if t.messages]
    latencies = [t.latency_s for t in turns if t.latency_s is not None]
    return Metrics(
        scenarios=len(results),
        passed=count[Outcome.PASSED],
        failed=count[Outcome.FAILED],
        errors=count[Outcome.ERROR],
        unsupported=count[Outcome.UNSUPPORTED],
        completion_rate=count[Outcome.PASSED] / runnable if runnable else None,
        turns_to_complete_mean=statistics.fmean(completed) if completed else None,
        turns_to_complete_median=statistics.median(completed) if completed else None,
        turns=len(turns),
        fallback_turns=sum(1 for t in answered if t.fallback),
        fallback_rate=sum(1 for t in answered if t.fallback) / len(answered) if answered else None,
        latency_p50_s=percentile(latencies, 50),
        latency_p95_s=percentile(latencies, 95),
        latency_max_s=max(latencies) if latencies else None,
    )
