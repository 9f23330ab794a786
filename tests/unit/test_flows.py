"""The declared flow table is complete and consistent; every prompt exists in every language."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

from dialogue.flow import State
from dialogue.flows import FLOWS, TABLE
from dialogue.prompts import LANGUAGES, load_prompts


def test_every_state_is_declared_once() -> None:
    assert set(TABLE) == set(State)


def test_every_declared_next_state_exists_and_every_state_is_reachable() -> None:
    entries = {State.IDLE, *(s for flow in FLOWS for s in flow.external_entries)}
    reachable = set(entries)
    frontier = list(entries)
    while frontier:
        for route in TABLE[frontier.pop()].routes:
            for nxt in route.next:
                assert nxt in TABLE
                if nxt not in reachable:
                    reachable.add(nxt)
                    frontier.append(nxt)
    assert reachable == set(State)


def test_every_state_but_idle_has_a_prompt_and_a_question_in_every_language() -> None:
    for state, spec in TABLE.items():
        if state is State.IDLE:
            continue
        assert spec.prompt is not None, state
        assert spec.ask is not None, state
        for language in LANGUAGES:
            assert load_prompts(language).has(spec.prompt), (language, spec.prompt)


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_prompt_key_exists_in_every_language(language: str) -> None:
    assert set(load_prompts(language).texts) == set(load_prompts("ja").texts)


def _returned_states(fn: object) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))  # type: ignore[arg-type]
    found = set()
    for node in ast.walk(tree):
        value = node.value if isinstance(node, ast.Return) else None
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "State":
            found.add(value.attr)
    return found


def test_no_handler_returns_a_state_its_route_does_not_declare() -> None:
    for flow in FLOWS:
        for state, spec in flow.states.items():
            for route in spec.routes:
                declared = {s.name for s in route.next}
                returned = _returned_states(route.handler)
                assert returned <= declared, (flow.name, state, route.handler.__name__, returned - declared)


def test_prompt_placeholders_match_across_languages() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    ja = load_prompts("ja").texts
    for language in LANGUAGES[1:]:
        other = load_prompts(language).texts
        for key, text in ja.items():
            assert fields(text) == fields(other[key]), (language, key)


def test_the_flow_diagram_in_docs_is_current() -> None:
    from pathlib import Path

    from dialogue.diagram import flows_markdown

    docs = Path(__file__).resolve().parents[2] / "docs" / "flows.md"
    assert docs.read_text(encoding="utf-8") == flows_markdown(), "run: python -m dialogue.diagram > docs/flows.md"
