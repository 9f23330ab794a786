"""JUnit XML: one test case per scenario (class name = file stem), failures with per-turn detail."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from bot.evaluation.results import Outcome, ScenarioResult
from bot.evaluation.textreport import failure_text

__all__ = ["junit_xml", "write_junit"]


def junit_xml(results: Sequence[ScenarioResult], suite: str = "sonae-scenarios") -> ET.ElementTree[ET.Element]:
    count = {o: sum(1 for r in results if r.outcome is o) for o in Outcome}
    root = ET.Element("testsuites")
    node = ET.SubElement(root, "testsuite", {
        "name": suite,
        "tests": str(len(results)),
        "failures": str(count[Outcome.FAILED]),
        "errors": str(count[Outcome.ERROR]),
        "skipped": str(count[Outcome.UNSUPPORTED]),
        "time": f"{sum(r.duration_s for r in results):.3f}",
    })  # fmt: skip
    for result in results:
        case = ET.SubElement(node, "testcase", {
            "classname": f"scenarios.{result.suite}", "name": result.name, "time": f"{result.duration_s:.3f}",
            "file": result.path, "line": str(result.line),
        })  # fmt: skip
        if result.outcome is Outcome.FAILED:
            problems = result.problems
            first = f"turn {problems[0][0].index}: {problems[0][1].key}" if problems else "failed"
            ET.SubElement(case, "failure", {"message": first, "type": "ExpectationFailed"}).text = failure_text(result)
        elif result.outcome is Outcome.ERROR:
            error = ET.SubElement(case, "error", {"message": result.reason[:500], "type": "ScenarioError"})
            error.text = failure_text(result)
        elif result.outcome is Outcome.UNSUPPORTED:
            ET.SubElement(case, "skipped", {"message": result.reason[:500]})
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(results: Sequence[ScenarioResult], path: str | Path) -> None:
    junit_xml(results).write(path, encoding="utf-8", xml_declaration=True)
