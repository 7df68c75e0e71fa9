"""When the header is repainted: it counts the whole fleet, so not on every drain.

A connection's phase (live, reconnecting, ...) and the operator's own changes repaint it at once;
a list's progress ("loading 3,500 / ~10,000") at most every `interval`, and never more than
1/COST_SHARE of the time (a header counts every rollout: 19 ms of CPU at 50,000, so 4 times a
second through a minute-long first list is ~4.5 s); the counts of a busy fleet at the next tick
(once a second).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping

from rollout_tui.kube.state import ConnectionState

from .fleet_view import Changes

COST_SHARE = 20  # a list's progress waits at least 20x what the last header took to make


class HeaderPace:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._dirty = False  # counts changed: at the next tick
        self._soon = False  # a list's progress changed: within `interval`
        self._painted_at = 0.0
        self._gap = interval
        self._phases: dict[str, object] = {}

    def now(self, changes: Changes, connections: Mapping[str, ConnectionState]) -> bool:
        """Whether the header is repainted for these changes now; otherwise remembers when."""
        if changes.connections:
            if self._phases_changed(connections):
                return True
            self._soon = True
        elif changes.changed or changes.removed:
            self._dirty = True
        return self._soon and time.monotonic() - self._painted_at >= self._gap

    def at_tick(self) -> bool:
        return self._dirty or self._soon

    @contextlib.contextmanager
    def painting(self) -> Iterator[None]:
        """Around making and showing the header: when, and what it cost."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self._dirty = self._soon = False
            self._painted_at = time.monotonic()
            self._gap = max(self.interval, COST_SHARE * (time.perf_counter() - started))

    def _phases_changed(self, connections: Mapping[str, ConnectionState]) -> bool:
        phases: dict[str, object] = {c: (s.phase, s.since, s.detail) for c, s in connections.items()}
        changed, self._phases = phases != self._phases, phases
        return changed
