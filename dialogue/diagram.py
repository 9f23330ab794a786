"""A Mermaid diagram of every flow, generated from the declared table.

``python -m dialogue.diagram > docs/flows.md`` (a test checks the file is current).
"""

from __future__ import annotations

from dialogue.flow import Flow
from dialogue.flows import FLOWS

__all__ = ["flows_markdown", "mermaid"]


def _node(state: str) -> str:
    return state.replace(".", "_")


def mermaid(flows: tuple[Flow, ...] = FLOWS) -> str:
    lines = ["stateDiagram-v2", "    [*] --> idle"]
    for flow in flows:
        for state, spec in flow.states.items():
            for route in spec.routes:
                kinds = "/".join(sorted(k.value for k in route.kinds))
                for nxt in sorted(route.next, key=str):
                    lines.append(f"    {_node(state.value)} --> {_node(nxt.value)}: {kinds} ({route.handler.__name__})")
    return "\n".join(lines)


def flows_markdown() -> str:
    return (
        "# Dialogue flows\n\n"
        "Generated from `dialogue/flows/` by `python -m dialogue.diagram > docs/flows.md`; do not edit.\n"
        "Edges read `input kinds (handler)`. Cancel (やめる), help (ヘルプ), urgent guidance (119/110),\n"
        "follow and unfollow apply in every state before these routes.\n\n"
        "```mermaid\n" + mermaid() + "\n```\n"
    )


if __name__ == "__main__":
    print(flows_markdown(), end="")
