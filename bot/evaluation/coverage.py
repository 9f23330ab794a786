"""Flow coverage: which states and declared transitions of ``dialogue.flows.TABLE`` the runs used.

A transition is (state before, input kind, state after), read from the conversation state
around each turn. Transitions made by the cross-cutting rules (cancel, help, urgent
guidance, (un)follow, timeouts) that no route declares are listed apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.evaluation.results import ScenarioResult

__all__ = ["Coverage", "Transition", "declared_transitions", "flow_coverage"]

Transition = tuple[str, str, str]  # (from state, input kind, to state)
#: Input kinds the engine applies in IDLE whatever the state ((un)following ends anything in progress).
_RESETS = frozenset({"follow", "unfollow"})


def declared_transitions() -> tuple[list[str], set[Transition]]:
    """Every state and every (state, kind, next) the table declares, read now (the table grows)."""
    from dialogue.flows import TABLE

    states = [str(s.value) for s in TABLE]
    edges: set[Transition] = set()
    for state, spec in TABLE.items():
        for route in spec.routes:
            for kind in route.kinds:
                for nxt in route.next:
                    edges.add((str(state.value), str(kind.value), str(nxt.value)))
    return states, edges


@dataclass
class Coverage:
    states: list[str]
    visited: set[str] = field(default_factory=set)
    declared: set[Transition] = field(default_factory=set)
    exercised: set[Transition] = field(default_factory=set)
    undeclared: set[Transition] = field(default_factory=set)  # by cross-cutting rules

    @property
    def missing_states(self) -> list[str]:
        return [s for s in self.states if s not in self.visited]

    @property
    def missing_transitions(self) -> list[Transition]:
        return sorted(self.declared - self.exercised)

    def ratio(self, part: int, whole: int) -> str:
        return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"


def flow_coverage(results: Iterable[ScenarioResult]) -> Coverage:
    states, declared = declared_transitions()
    cov = Coverage(states, declared=declared)
    for result in results:
        for turn in result.turns:
            for state in (turn.state_before, turn.state_after):
                if state:
                    cov.visited.add(state)
            if turn.kind and turn.state_before and turn.state_after and not turn.error:
                before = "idle" if turn.kind in _RESETS else turn.state_before
                edge = (before, turn.kind, turn.state_after)
                (cov.exercised if edge in declared else cov.undeclared).add(edge)
    return cov
