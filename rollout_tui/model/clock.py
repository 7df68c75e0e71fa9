"""Injectable time source: every age and countdown in the model asks a Clock, never the OS."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def _boottime() -> float:
    """Seconds on a clock that never steps and counts a suspended machine's sleep (Linux
    CLOCK_BOOTTIME; elsewhere the monotonic clock)."""
    clock = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(clock) if clock is not None else time.monotonic()


class SteadyClock:
    """Wall-clock time that a jump of the system clock does not move: the wall time when it was
    made, plus the time elapsed since on a clock that never steps. A wall monitor left running
    for weeks must not show negative ages ("<invalid>") or countdowns stuck for an hour when
    someone sets the clock back an hour; NTP's gradual corrections reach both clocks alike."""

    def __init__(
        self,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        elapsed: Callable[[], float] = _boottime,
    ) -> None:
        self._origin = wall()
        self._elapsed = elapsed
        self._start = elapsed()

    def now(self) -> datetime:
        return self._origin + timedelta(seconds=self._elapsed() - self._start)


class FixedClock:
    """A clock stopped at one instant (tests, golden output, `get -f` reproducibility)."""

    def __init__(self, at: datetime) -> None:
        # Naive datetimes are taken as UTC so callers cannot mix offsets by accident.
        self._at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self._at

    def __repr__(self) -> str:
        return f"FixedClock({self._at.isoformat()})"
