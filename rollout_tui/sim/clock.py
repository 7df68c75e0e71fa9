"""Simulated time for the simulator's controller.

Real mode runs `speed` times faster than the wall clock (a demo can walk a 10-minute canary in
one minute); manual mode only moves when a test calls `advance()`, so controller tests are
deterministic and never sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SimClock:
    """Implements the model `Clock` protocol (`now()`), plus the controls the simulator needs."""

    def __init__(self, speed: float = 1.0, start: datetime | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._speed = speed
        self._manual = False
        self._lock = threading.Lock()
        self._start_sim = _utc(start) if start is not None else datetime.now(UTC)
        self._start_mono = time.monotonic()
        self._offset = 0.0  # simulated seconds added by advance() (both modes)
        self._listeners: list[Callable[[], None]] = []

    @classmethod
    def manual(cls, start: datetime | None = None) -> SimClock:
        """A clock frozen at `start` (default 2026-01-01T00:00:00Z) that moves only on advance()."""
        clock = cls(start=start or datetime(2026, 1, 1, tzinfo=UTC))
        clock._manual = True
        return clock

    @property
    def is_manual(self) -> bool:
        return self._manual

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> datetime:
        return self._start_sim + timedelta(seconds=self.elapsed())

    def elapsed(self) -> float:
        """Simulated seconds since the clock started."""
        with self._lock:
            if self._manual:
                return self._offset
            return (time.monotonic() - self._start_mono) * self._speed + self._offset

    def advance(self, seconds: float) -> None:
        """Jump forward (tests; also lets a live demo skip ahead)."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        with self._lock:
            self._offset += seconds
            listeners = list(self._listeners)
        for fn in listeners:
            fn()

    def add_listener(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` after every ``advance`` (what waits on simulated time wakes up on it)."""
        with self._lock:
            self._listeners.append(fn)

    def remove_listener(self, fn: Callable[[], None]) -> None:
        with self._lock:
            if fn in self._listeners:
                self._listeners.remove(fn)

    def real_seconds(self, sim_seconds: float) -> float:
        """How long to wait on the wall clock for `sim_seconds` of simulated time to pass."""
        return max(0.0, sim_seconds / self._speed)


def _utc(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def rfc3339(dt: datetime) -> str:
    """Kubernetes metav1.Time text: second precision, Z suffix."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
