"""A fake clock: real time passing, shifted by a start time and by scenario ``wait`` turns."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime

__all__ = ["FakeClock", "parse_duration"]

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)([smhd])")


def parse_duration(text: str) -> float:
    """Seconds in ``31m``, ``1h30m``, ``45s``, ``2d``."""
    parts = _PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {text!r} (use e.g. 31m, 1h30m, 45s)")
    return sum(float(n) * _UNITS[u] for n, u in parts)


class FakeClock:
    """Callable like ``time.time``; the app, its workers and the webhook driver share one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0

    def __call__(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def start_at(self, iso: str) -> None:
        """Make "now" this moment (``2026-11-29T09:00:00+09:00``); time then runs on from it."""
        moment = datetime.fromisoformat(iso)
        if moment.tzinfo is None:
            raise ValueError(f"the clock start {iso!r} needs a UTC offset, e.g. +09:00")
        with self._lock:
            self._offset = moment.timestamp() - time.time()

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds
