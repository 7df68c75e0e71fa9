"""SimClock: a manual clock only moves on advance(); a running one goes `speed` times faster."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from rollout_tui.model.clock import Clock
from rollout_tui.sim.clock import SimClock, rfc3339


def test_manual_clock_moves_only_when_advanced() -> None:
    clock = SimClock.manual(datetime(2026, 3, 1, tzinfo=UTC))
    assert isinstance(clock, Clock) and clock.is_manual
    first = clock.now()
    time.sleep(0.01)
    assert clock.now() == first
    clock.advance(90.5)
    assert (clock.now() - first).total_seconds() == 90.5
    assert rfc3339(clock.now()) == "2026-03-01T00:01:30Z"
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_running_clock_is_faster_by_its_speed() -> None:
    clock = SimClock(speed=100.0)
    start, wall = clock.now(), time.monotonic()
    time.sleep(0.05)
    simulated = (clock.now() - start).total_seconds()
    real = time.monotonic() - wall
    assert simulated >= 100 * 0.05 * 0.9
    assert simulated <= 100 * real * 1.1
    assert clock.real_seconds(50) == 0.5
    assert clock.now().tzinfo is not None


def test_speed_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SimClock(speed=0)
