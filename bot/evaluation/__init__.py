"""The evaluation harness: YAML dialogue scenarios run through the whole stack.

``load_paths`` reads and checks scenario files (``docs/scenarios.md``), ``run_local`` plays
each on a stack of its own, ``play_scenario`` plays one on a stack you built, and the
report writers turn results into JUnit XML, Markdown and HTML. ``cli.register`` adds
``sonae eval``.
"""

from bot.evaluation.clock import FakeClock, parse_duration
from bot.evaluation.coverage import Coverage, flow_coverage
from bot.evaluation.htmlreport import html_report, write_html
from bot.evaluation.junit import junit_xml, write_junit
from bot.evaluation.loader import find_files, load_file, load_paths, schema
from bot.evaluation.markdown import markdown_report, write_markdown
from bot.evaluation.metrics import Metrics, compute_metrics
from bot.evaluation.model import Scenario, ScenarioError, Setup, Step
from bot.evaluation.results import Outcome, Problem, ScenarioResult, TurnResult
from bot.evaluation.runner import run_isolated, run_local
from bot.evaluation.session import play_scenario
from bot.evaluation.textreport import failure_text

__all__ = [
    "Coverage",
    "FakeClock",
    "Metrics",
    "Outcome",
    "Problem",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "Setup",
    "Step",
    "TurnResult",
    "compute_metrics",
    "failure_text",
    "find_files",
    "flow_coverage",
    "html_report",
    "junit_xml",
    "load_file",
    "load_paths",
    "markdown_report",
    "parse_duration",
    "play_scenario",
    "run_isolated",
    "run_local",
    "schema",
    "write_html",
    "write_junit",
    "write_markdown",
]
