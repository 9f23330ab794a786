"""The status vocabulary officers use (kept apart so the CLI's ``--help`` needs no database)."""

from __future__ import annotations

__all__ = ["CROWDING_VALUES", "STATUS_VALUES"]

STATUS_VALUES = ("open", "closed")  # 開設 / 閉鎖; "unknown" is the absence of any status
CROWDING_VALUES = ("available", "crowded", "full")  # 空き / 混雑 / 満員 (open sites only)
