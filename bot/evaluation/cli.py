"""``sonae eval``: run dialogue scenarios and write JUnit XML and readable reports."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add ``eval`` to the ``sonae`` command (``subparsers`` from ``add_subparsers``)."""
    p = subparsers.add_parser(
        "eval",
        help="run YAML dialogue scenarios through the whole stack",
        description="Run dialogue scenarios (docs/scenarios.md). Exit status: 0 all passed, 1 a scenario failed "
        "or could not run, 2 a scenario file is malformed.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or directories")
    p.add_argument("--junit", metavar="FILE", help="write JUnit XML here")
    p.add_argument("--report-md", metavar="FILE", help="write the Markdown report here")
    p.add_argument("--report-html", metavar="FILE", help="write the HTML report here")
    p.add_argument("--parallel", type=int, default=1, metavar="N", help="scenarios run at once (processes)")
    p.add_argument("--tag", action="append", default=[], help="only scenarios with this tag (repeat: any of them)")
    p.add_argument("--skip-tag", action="append", default=[], help="leave out scenarios with this tag (repeat)")
    p.add_argument("-k", "--name", default="", metavar="TEXT", help="only scenarios whose name contains TEXT")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds to wait for each answer")
    p.add_argument("--strict", action="store_true", help="scenarios needing unsupported features fail the run")
    p.add_argument("--list", action="store_true", help="check and list the scenarios without running them")
    p.add_argument("--url", help="a deployed instance (drill): only webhook acceptance is checked")
    p.add_argument("--channel-secret", help="its channel secret (default: $SONAE_LINE_CHANNEL_SECRET)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every scenario's differences and transcript")
    p.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation.loader import load_paths
    from bot.evaluation.model import ScenarioError

    try:
        scenarios = load_paths(args.paths)
    except ScenarioError as exc:
        print(f"sonae eval: {exc}", file=sys.stderr)
        return 2
    if args.tag:
        scenarios = [s for s in scenarios if set(args.tag) & set(s.tags)]
    if args.skip_tag:
        scenarios = [s for s in scenarios if not set(args.skip_tag) & set(s.tags)]
    if args.name:
        scenarios = [s for s in scenarios if args.name in s.name]
    if not scenarios:
        print("sonae eval: no scenarios to run", file=sys.stderr)
        return 2
    if args.list:
        for s in scenarios:
            print(f"{s.path}:{s.line}\t{s.name}\t[{', '.join(s.tags)}]\t{len(s.steps)} turns")
        return 0
    started = time.monotonic()
    if args.url:
        secret = args.channel_secret or os.environ.get("SONAE_LINE_CHANNEL_SECRET")
        if not secret:
            print("sonae eval: --url needs --channel-secret (or SONAE_LINE_CHANNEL_SECRET)", file=sys.stderr)
            return 2
        from bot.evaluation.remote import run_remote

        results = run_remote(scenarios, args.url, secret, timeout_s=args.timeout)
    else:
        from bot.evaluation.runner import run_local

        print(f"running {len(scenarios)} scenarios ({max(1, args.parallel)} at a time)…", file=sys.stderr)
        results = run_local(scenarios, parallel=args.parallel, timeout_s=args.timeout)
    return _finish(args, results, time.monotonic() - started)


def _finish(args: argparse.Namespace, results: list[Any], elapsed_s: float) -> int:
    from bot.evaluation.htmlreport import write_html
    from bot.evaluation.junit import write_junit
    from bot.evaluation.markdown import write_markdown
    from bot.evaluation.metrics import compute_metrics
    from bot.evaluation.results import Outcome
    from bot.evaluation.textreport import failure_text

    marks = {Outcome.PASSED: "PASS", Outcome.FAILED: "FAIL", Outcome.ERROR: "ERROR", Outcome.UNSUPPORTED: "SKIP"}
    for r in results:
        print(f"{marks[r.outcome]:5} {r.name}  ({len(r.turns)} turns, {r.duration_s:.1f} s)")
    for r in results:
        if r.outcome is not Outcome.PASSED and (args.verbose or r.outcome is not Outcome.UNSUPPORTED):
            print("\n" + failure_text(r))
    if args.junit:
        write_junit(results, args.junit)
    if args.report_md:
        write_markdown(results, args.report_md)
    if args.report_html:
        write_html(results, args.report_html)
    metrics = compute_metrics(results)
    print()
    for label, value in metrics.rows():
        print(f"{label}: {value}")
    print(f"wall time: {elapsed_s:.1f} s")
    bad = metrics.failed + metrics.errors + (metrics.unsupported if args.strict else 0)
    return 1 if bad else 0
