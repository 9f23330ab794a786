"""The declared flows; ``TABLE`` maps every state to its spec."""

from dialogue.flows.table import FLOWS, TABLE

__all__ = ["FLOWS", "TABLE"]
