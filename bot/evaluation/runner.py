"""Running many scenarios, each on its own stack, several at once.

Every scenario gets a fresh embedded stack (SQLite file, LINE stand-in, its own fake
clock, its own user id), so reports, clocks and conversations never mix. ``parallel > 1``
runs scenarios in forked processes: the GiNZA model is loaded once before forking and
shared, and one process never runs two scenarios at a time (the tokenizer is not
thread-safe).
"""

from __future__ import annotations

import logging
import multiprocessing
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from bot.evaluation.clock import FakeClock
from bot.evaluation.model import Scenario
from bot.evaluation.results import Outcome, ScenarioResult
from bot.evaluation.session import play_scenario

__all__ = ["run_isolated", "run_local"]

log = logging.getLogger(__name__)


def run_isolated(scenario: Scenario, timeout_s: float = 30.0, log_level: str = "WARNING") -> ScenarioResult:
    """One scenario on a stack of its own (embedded twins, SQLite in a temporary directory)."""
    from bot.embedded import EmbeddedStack
    from config import load_settings

    clock = FakeClock()
    with tempfile.TemporaryDirectory(prefix="sonae-eval-") as tmp:
        try:
            settings = load_settings({"SONAE_DATA_DIR": tmp, "SONAE_LOG_LEVEL": log_level})
            stack = EmbeddedStack(settings, workers=1, standin=True, migrate=True, clock=clock)
        except Exception as exc:
            result = ScenarioResult(scenario.name, scenario.path, scenario.line, scenario.tags)
            result.outcome, result.reason = Outcome.ERROR, f"the stack did not start: {type(exc).__name__}: {exc}"
            return result
        with stack:
            return play_scenario(scenario, stack, clock, timeout_s=timeout_s)


def run_local(
    scenarios: Sequence[Scenario], parallel: int = 1, timeout_s: float = 30.0, log_level: str = "WARNING"
) -> list[ScenarioResult]:
    """Every scenario in isolation; results in the order given."""
    from bot.runtime import shared_nlp

    shared_nlp()  # load the model once, before any fork
    one = partial(run_isolated, timeout_s=timeout_s, log_level=log_level)
    if parallel <= 1 or len(scenarios) <= 1:
        return [one(s) for s in scenarios]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(parallel, len(scenarios)), mp_context=context) as pool:
        return list(pool.map(one, scenarios, chunksize=1))
