"""The readable report as one self-contained HTML page; every text from the bot or a resident is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from bot.evaluation.coverage import Coverage, flow_coverage
from bot.evaluation.metrics import compute_metrics
from bot.evaluation.results import Outcome, ScenarioResult, TurnResult
from bot.evaluation.textreport import bot_said, offered

__all__ = ["html_report", "write_html"]

_STYLE = """
body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;margin:2rem;max-width:80rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;
text-align:left}th{background:#f3f3f3}.passed{color:#1a7f37}.failed,.error{color:#cf222e}.unsupported{color:#9a6700}
pre{white-space:pre-wrap;margin:0;font:inherit}.diff{color:#cf222e}details{margin:.4rem 0}code{background:#f6f8fa}
"""


def _turn_row(t: TurnResult) -> str:
    diffs = [f"<b>{escape(p.key)}</b> (line {p.line}): expected {escape(p.expected)}; got {escape(p.actual)}"
             for p in t.problems]  # fmt: skip
    if t.error:
        diffs.append(f"error: {escape(t.error)}")
    diffs += [f"unsupported: {escape(u)}" for u in t.unsupported]
    buttons = f"<br><small>[{escape(' / '.join(offered(t)))}]</small>" if offered(t) else ""
    latency = f"{1000 * t.latency_s:.0f} ms" if t.latency_s is not None else "-"
    return (f"<tr><td>{t.index}</td><td><pre>{escape(t.action)}</pre></td><td><pre>{escape(bot_said(t))}</pre>"
            f"{buttons}</td><td>{escape(str(t.state_before))} → {escape(str(t.state_after))}</td><td>{latency}</td>"
            f"<td class='diff'>{'<br>'.join(diffs)}</td></tr>")  # fmt: skip


def _scenario(r: ScenarioResult) -> str:
    head = (f"<summary><span class='{r.outcome.value}'>{r.outcome.value}</span> {escape(r.name)} "
            f"<small><code>{escape(r.path)}:{r.line}</code> {escape(', '.join(r.tags))}</small></summary>")  # fmt: skip
    reason = f"<p class='{r.outcome.value}'>{escape(r.reason)}</p>" if r.reason else ""
    rows = "".join(_turn_row(t) for t in r.turns)
    table = ("<table><tr><th>#</th><th>resident</th><th>bot</th><th>state</th><th>latency</th>"
             f"<th>differences</th></tr>{rows}</table>")  # fmt: skip
    opened = " open" if r.outcome is not Outcome.PASSED else ""
    return f"<details{opened}>{head}{reason}{table}</details>"


def _coverage(cov: Coverage) -> str:
    items = [
        f"<li>states visited: {cov.ratio(len(cov.visited & set(cov.states)), len(cov.states))}</li>",
        f"<li>declared transitions exercised: {cov.ratio(len(cov.exercised), len(cov.declared))}</li>",
    ]
    if cov.missing_states:
        items.append(f"<li>states never reached: {escape(', '.join(cov.missing_states))}</li>")
    parts = [f"<h2>Flow coverage</h2><ul>{''.join(items)}</ul>"]
    for title, edges in (("Declared transitions not exercised", cov.missing_transitions),
                         ("Transitions made by cross-cutting rules", sorted(cov.undeclared))):  # fmt: skip
        if edges:
            rows = "".join(
                f"<tr><td>{escape(a)}</td><td>{escape(k)}</td><td>{escape(b)}</td></tr>" for a, k, b in edges
            )
            parts.append(f"<h3>{title}</h3><table><tr><th>from</th><th>input</th><th>to</th></tr>{rows}</table>")
    return "".join(parts)


def html_report(results: Sequence[ScenarioResult], title: str = "Sonae scenario report") -> str:
    metrics = compute_metrics(results)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in metrics.rows())
    body = [
        f"<h1>{escape(title)}</h1><p>{when} · {len(results)} scenarios</p>",
        f"<h2>Metrics</h2><table>{rows}</table>",
        "<h2>Scenarios</h2>",
        *(_scenario(r) for r in results),
    ]
    if any(r.mode == "local" for r in results):
        body.append(_coverage(flow_coverage(results)))
    return (f"<!doctype html><html lang='ja'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body>{''.join(body)}</body></html>\n")  # fmt: skip


def write_html(results: Sequence[ScenarioResult], path: str | Path) -> None:
    Path(path).write_text(html_report(results), encoding="utf-8")
