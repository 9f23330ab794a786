"""The scenario library (tests/scenarios/*.yaml): one test per scenario through the whole stack,
plus checks of the harness itself (file errors point at the line, reports escape resident text)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.embedded import EmbeddedStack
from bot.evaluation import (
    FakeClock,
    Outcome,
    Problem,
    Scenario,
    ScenarioError,
    ScenarioResult,
    TurnResult,
    failure_text,
    html_report,
    junit_xml,
    load_file,
    load_paths,
    markdown_report,
    parse_duration,
    play_scenario,
    schema,
)
from bot.evaluation.expectations import CHECKS
from tests.e2e.conftest import stack_settings

SCENARIO_DIR = Path(__file__).parents[1] / "scenarios"


def _library() -> tuple[list[Scenario], ScenarioError | None]:
    try:
        return load_paths([SCENARIO_DIR]), None
    except ScenarioError as exc:
        return [], exc


SCENARIOS, LOAD_ERROR = _library()


def _ids(scenarios: list[Scenario]) -> list[str]:
    counts: dict[str, int] = {}
    ids = []
    for s in scenarios:
        counts[s.suite] = counts.get(s.suite, 0) + 1
        ids.append(f"{s.suite}-{counts[s.suite]:02d}")
    return ids


def test_the_library_loads_and_is_large_enough() -> None:
    assert LOAD_ERROR is None, str(LOAD_ERROR)
    assert len(SCENARIOS) >= 40


def _params(scenarios: list[Scenario]) -> list[object]:
    """Scenarios tagged ``known-issue`` describe a bug reported to its owner: expected to fail until fixed."""
    known = pytest.mark.xfail(reason="known issue (see the scenario's description)", strict=False)
    return [
        pytest.param(s, id=i, marks=[known] if "known-issue" in s.tags else [])
        for s, i in zip(scenarios, _ids(scenarios), strict=True)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("scenario", _params(SCENARIOS))
def test_scenario(scenario: Scenario, tmp_path: Path, database_url: str, redis_client: object) -> None:
    # redis_client flushes the real Redis database around the test when one is configured.
    clock = FakeClock()
    settings = stack_settings(tmp_path, database_url)
    with EmbeddedStack(settings, workers=1, standin=True, migrate=True, clock=clock) as stack:
        result = play_scenario(scenario, stack, clock)
    if result.outcome is Outcome.UNSUPPORTED:
        pytest.skip(f"{scenario.name}: {result.reason}")
    assert result.outcome is Outcome.PASSED, failure_text(result)


# -- the harness -------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_unknown_expectation_key_names_file_line_and_a_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        name: typo
        turns:
          - say: こんにちは
            expect:
              reply.contain: メニュー
        """)  # fmt: skip
    with pytest.raises(ScenarioError) as caught:
        load_file(path)
    assert caught.value.line == 5
    assert "reply.contain" in caught.value.reason and "reply.contains" in caught.value.reason
    assert str(caught.value).startswith(f"{path}:5:")


def test_malformed_yaml_and_bad_values_point_at_their_line(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_file(_write(tmp_path, "name: x\nturns:\n  - say: [unclosed\n"))
    assert caught.value.line is not None and caught.value.line >= 3
    with pytest.raises(ScenarioError) as caught:
        load_file(_write(tmp_path, "name: x\nturns:\n  - wait: soon\n"))
    assert caught.value.line == 3 and "wait" in caught.value.reason
    with pytest.raises(ScenarioError) as caught:
        load_file(_write(tmp_path, "name: x\nturns:\n  - say: a\n    tap: b\n"))
    assert caught.value.line == 3 and "exactly one resident action" in caught.value.reason
    with pytest.raises(ScenarioError) as caught:
        load_file(_write(tmp_path, "name: x\nturns:\n  - say: a\n    say: b\n"))
    assert caught.value.line == 4 and "duplicate" in caught.value.reason


def test_texts_stay_as_typed(tmp_path: Path) -> None:
    [scenario] = load_file(_write(tmp_path, """\
        name: typed words
        turns:
          - say: yes
            expect: {reply.contains: 119, reply.count: 1}
          - unfollow
        """))  # fmt: skip
    first = scenario.steps[0]
    assert first.value == "yes" and first.expect == {"reply.contains": "119", "reply.count": 1}
    assert scenario.steps[1].action == "unfollow"


def test_every_expectation_in_the_schema_has_a_check() -> None:
    assert set(schema()["$defs"]["expect"]["properties"]) == set(CHECKS)


def test_durations() -> None:
    assert parse_duration("31m") == 1860
    assert parse_duration("1h30m") == 5400
    with pytest.raises(ValueError):
        parse_duration("31 minutes")


def test_reports_escape_resident_text_and_show_what_happened() -> None:
    turn = TurnResult(1, 3, "say: <script>alert(1)</script>", "text", messages=[{"type": "text", "text": "<b>hi</b>"}])
    turn.problems.append(Problem("reply.contains", "reply contains '<i>'", "<b>hi</b>", 4))
    result = ScenarioResult("escape <me>", "x.yaml", 1, ("bad-input",), outcome=Outcome.FAILED, turns=[turn])
    page = html_report([result])
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>hi</b>" not in page
    assert "expected reply contains" in failure_text(result)
    assert "❌" in markdown_report([result])
    xml = junit_xml([result]).getroot()
    assert xml.find("testsuite/testcase/failure") is not None


@pytest.mark.slow
def test_drill_mode_checks_webhook_acceptance_only(stack: EmbeddedStack) -> None:
    from bot.evaluation.remote import run_remote

    # A scenario of actions a drill can send (no taps, waits or photos).
    scenario = next(s for s in SCENARIOS if len(s.steps) > 1 and all(t.action in ("say", "location") for t in s.steps))
    [accepted] = run_remote([scenario], stack.url, stack.settings.line_channel_secret)
    assert accepted.outcome is Outcome.PASSED, failure_text(accepted)
    assert all(t.http_status == 200 for t in accepted.turns)
    assert any("not checked" in u for t in accepted.turns for u in t.unsupported)
    [refused] = run_remote([scenario], stack.url, "not-the-channel-secret")
    assert refused.outcome is Outcome.FAILED
    assert refused.turns[0].problems[0].actual == "HTTP 400"
