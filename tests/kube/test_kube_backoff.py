from __future__ import annotations

import pytest

from rollout_tui.kube.backoff import Backoff


def test_doubles_from_half_a_second_to_the_cap_without_jitter() -> None:
    backoff = Backoff(0.5, 30.0, jitter=0.0)
    delays = [backoff.next() for _ in range(9)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


def test_jitter_only_shortens_within_bounds() -> None:
    values = iter([0.0, 1.0, 0.5])
    backoff = Backoff(1.0, 30.0, jitter=0.5, rand=lambda: next(values))
    assert backoff.next() == 1.0  # no jitter drawn
    assert backoff.next() == 1.0  # 2.0 * (1 - 0.5)
    assert backoff.next() == 3.0  # 4.0 * (1 - 0.25)


def test_reset_after_success_starts_again_at_the_initial_delay() -> None:
    backoff = Backoff(0.5, 30.0, jitter=0.0)
    for _ in range(5):
        backoff.next()
    backoff.reset()
    assert backoff.next() == 0.5
    assert backoff.attempts == 1


def test_many_failures_do_not_overflow() -> None:
    backoff = Backoff(0.5, 30.0, jitter=0.0)
    for _ in range(5000):
        delay = backoff.next()
    assert delay == 30.0


@pytest.mark.parametrize("args", [(0, 1), (2, 1), (0.5, 30, 0.5)])
def test_rejects_nonsense(args: tuple) -> None:
    with pytest.raises(ValueError):
        Backoff(*args)
