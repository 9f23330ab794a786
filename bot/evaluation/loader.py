"""Load scenario files: YAML with line numbers, checked against the JSON Schema.

A file holds one scenario (a mapping with ``name`` and ``turns``) or several under
``scenarios:``. Anything wrong is a ``ScenarioError`` naming the file, line and reason.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match

from bot.evaluation.model import ACTIONS, Scenario, ScenarioError, Setup, Step
from bot.evaluation.yamlnodes import Located, Path_, load_located

__all__ = ["SCHEMA", "find_files", "load_file", "load_paths", "schema"]

#: Bare words allowed as a whole turn (``- follow``), meaning ``{follow: true}``.
BARE_TURNS = frozenset({"follow", "unfollow", "redeliver", "image", "sticker"})


@cache
def schema() -> dict[str, Any]:
    """The scenario JSON Schema (``bot/evaluation/scenario.schema.json``)."""
    text = resources.files("bot.evaluation").joinpath("scenario.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


SCHEMA = "bot/evaluation/scenario.schema.json"


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """The ``.yaml``/``.yml`` files named, or found under the directories named, in order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        elif path.exists():
            found.append(path)
        else:
            raise ScenarioError(path, None, "no such file or directory")
    return found


def load_paths(paths: Iterable[str | Path]) -> list[Scenario]:
    """Every scenario in these files and directories; names must be unique."""
    scenarios: list[Scenario] = []
    seen: dict[str, Scenario] = {}
    for path in find_files(paths):
        for scenario in load_file(path):
            if scenario.name in seen:
                first = seen[scenario.name]
                raise ScenarioError(path, scenario.line, f"scenario name {scenario.name!r} is already used at "
                                    f"{first.path}:{first.line}")  # fmt: skip
            seen[scenario.name] = scenario
            scenarios.append(scenario)
    return scenarios


def load_file(path: str | Path) -> list[Scenario]:
    path = Path(path)
    try:
        located = load_located(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, None, f"not UTF-8 text: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        reason = " ".join(filter(None, [exc.context, exc.problem])) or "malformed YAML"
        raise ScenarioError(path, mark.line + 1 if mark else None, reason) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, None, f"malformed YAML: {exc}") from None
    data = located.data
    if isinstance(data, Mapping) and "scenarios" in data:
        extra = sorted(set(data) - {"scenarios"})
        if extra:
            raise ScenarioError(path, located.key_lines[(extra[0],)], f"unknown key {extra[0]!r} beside 'scenarios'")
        items = data["scenarios"]
        if not isinstance(items, list) or not items:
            raise ScenarioError(path, located.line(("scenarios",)), "'scenarios' must be a non-empty list")
        return [_scenario(path, located, item, ("scenarios", i)) for i, item in enumerate(items)]
    return [_scenario(path, located, data, ())]


def _scenario(path: Path, located: Located, data: Any, at: Path_) -> Scenario:
    line = located.line(at)
    if not isinstance(data, Mapping):
        raise ScenarioError(path, line, "a scenario must be a mapping with 'name' and 'turns'")
    turns = data.get("turns")
    if isinstance(turns, list):  # ``- follow`` is short for ``- follow: true``
        data = {**data, "turns": [{t: True} if isinstance(t, str) and t in BARE_TURNS else t for t in turns]}
    _validate(path, located, data, at)
    steps = tuple(_step(path, located, turn, (*at, "turns", i)) for i, turn in enumerate(data["turns"]))
    setup_data = data.get("setup") or {}
    setup = Setup(
        language=setup_data.get("language"),
        display_name=setup_data.get("display_name", "テスト住民"),
        profile=setup_data.get("profile"),
        shelter_statuses=tuple(setup_data.get("shelter_statuses") or ()),
        clock=setup_data.get("clock"),
    )
    return Scenario(
        name=data["name"],
        path=str(path),
        line=line,
        steps=steps,
        tags=tuple(data.get("tags") or ()),
        description=data.get("description", ""),
        setup=setup,
    )


def _step(path: Path, located: Located, turn: Mapping[str, Any], at: Path_) -> Step:
    actions = [k for k in ACTIONS if k in turn]
    line = located.line(at)
    if len(actions) != 1:
        found = ", ".join(actions) or "none"
        raise ScenarioError(path, line, f"a turn is exactly one resident action ({', '.join(ACTIONS)}); found {found}")
    expect = dict(turn.get("expect") or {})
    lines = {k: located.key_lines.get((*at, "expect", k), line) for k in expect}
    action = actions[0]
    return Step(action, turn[action], line, expect, lines, str(turn.get("note", "")))


def _validate(path: Path, located: Located, data: Mapping[str, Any], at: Path_) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    error = best_match(validator.iter_errors(data))
    if error is None:
        return
    line, reason = _explain(error, located, at)
    raise ScenarioError(path, line, reason)


def _explain(error: ValidationError, located: Located, at: Path_) -> tuple[int, str]:
    where: Path_ = (*at, *error.absolute_path)
    dotted = ".".join(str(p) for p in error.absolute_path) or "(scenario)"
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = list((error.schema.get("properties") or {}).keys()) if isinstance(error.schema, Mapping) else []
        unknown = [k for k in error.instance if k not in known]
        if unknown:
            key = str(unknown[0])
            hint = difflib.get_close_matches(key, known, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; known keys: {', '.join(known)}"
            line = located.key_lines.get((*where, key), located.line(where))
            return line, f"{dotted}: unknown key {key!r}{suggestion}"
    if error.validator == "required":
        return located.line(where), f"{dotted}: {error.message}"
    return located.line(where), f"{dotted}: {error.message}"
