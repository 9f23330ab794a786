"""All flows merged into one table: every state has exactly one spec."""

from __future__ import annotations

from collections.abc import Mapping

from dialogue.flow import Flow, State, StateSpec
from dialogue.flows.common import COMMON_FLOW
from dialogue.flows.report import REPORT_FLOW
from dialogue.flows.safety import SAFETY_FLOW
from dialogue.flows.settings import SETTINGS_FLOW
from dialogue.flows.shelter import SHELTER_FLOW

__all__ = ["FLOWS", "TABLE"]

FLOWS: tuple[Flow, ...] = (COMMON_FLOW, REPORT_FLOW, SHELTER_FLOW, SAFETY_FLOW, SETTINGS_FLOW)


def _merge(flows: tuple[Flow, ...]) -> Mapping[State, StateSpec]:
    table: dict[State, StateSpec] = {}
    for flow in flows:
        for state, spec in flow.states.items():
            if state in table:
                raise ValueError(f"state {state} is declared by two flows")
            table[state] = spec
    return table


TABLE = _merge(FLOWS)
