"""The readable report in Markdown: metrics, scenarios, differences, flow coverage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.evaluation.coverage import Coverage, flow_coverage
from bot.evaluation.metrics import compute_metrics
from bot.evaluation.results import Outcome, ScenarioResult
from bot.evaluation.textreport import bot_said, offered

__all__ = ["markdown_report", "write_markdown"]

_ICON = {Outcome.PASSED: "✅", Outcome.FAILED: "❌", Outcome.ERROR: "💥", Outcome.UNSUPPORTED: "⏭️"}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def _coverage(cov: Coverage) -> list[str]:
    out = [
        "## Flow coverage",
        "",
        f"- states visited: {cov.ratio(len(cov.visited & set(cov.states)), len(cov.states))}",
        f"- declared transitions exercised: {cov.ratio(len(cov.exercised), len(cov.declared))}",
    ]
    if cov.missing_states:
        out.append(f"- states never reached: {', '.join(cov.missing_states)}")
    if cov.missing_transitions:
        out += ["", "Declared transitions not exercised (from, input, to):", ""]
        out += [f"- `{a}` —{k}→ `{b}`" for a, k, b in cov.missing_transitions]
    if cov.undeclared:
        out += ["", "Transitions made by cross-cutting rules (cancel, help, urgent, timeout):", ""]
        out += [f"- `{a}` —{k}→ `{b}`" for a, k, b in sorted(cov.undeclared)]
    return out


def _details(result: ScenarioResult) -> list[str]:
    out = [f"### {_ICON[result.outcome]} {result.name}", "", f"`{result.path}:{result.line}`"]
    if result.reason:
        out += ["", f"**{result.outcome.value}:** {result.reason}"]
    out += ["", "| # | resident | bot | state | differences |", "|---|---|---|---|---|"]
    for t in result.turns:
        diffs = [f"**{p.key}** (line {p.line}): expected {p.expected}; got {p.actual}" for p in t.problems]
        diffs += [f"error: {t.error}"] if t.error else []
        diffs += [f"unsupported: {u}" for u in t.unsupported]
        said = bot_said(t, 200) + (f"\n[{' / '.join(offered(t))}]" if offered(t) else "")
        state = f"{t.state_before} → {t.state_after}"
        out.append(f"| {t.index} | {_cell(t.action)} | {_cell(said)} | {_cell(state)} | {_cell(chr(10).join(diffs))} |")
    return [*out, ""]


def markdown_report(results: Sequence[ScenarioResult], title: str = "Sonae scenario report") -> str:
    metrics = compute_metrics(results)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"# {title}", "", f"{when} · {len(results)} scenarios", "", "## Metrics", "", "| metric | value |",
           "|---|---|"]  # fmt: skip
    out += [f"| {_cell(k)} | {_cell(v)} |" for k, v in metrics.rows()]
    out += ["", "## Scenarios", "", "| | scenario | tags | turns | time |", "|---|---|---|---|---|"]
    for r in results:
        out.append(f"| {_ICON[r.outcome]} | {_cell(r.name)} | {_cell(', '.join(r.tags))} | {len(r.turns)} "
                   f"| {r.duration_s:.1f} s |")  # fmt: skip
    bad = [r for r in results if r.outcome is not Outcome.PASSED]
    if bad:
        out += ["", "## Differences", ""]
        for r in bad:
            out += _details(r)
    if any(r.mode == "local" for r in results):
        out += ["", *_coverage(flow_coverage(results))]
    return "\n".join(out) + "\n"


def write_markdown(results: Sequence[ScenarioResult], path: str | Path) -> None:
    Path(path).write_text(markdown_report(results), encoding="utf-8")
