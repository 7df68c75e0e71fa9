"""Exponential backoff with jitter for reconnecting watches."""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    """0.5 s, 1 s, 2 s ... capped at ``maximum``; each delay is jittered down by up to ``jitter``.

    Jitter spreads the reconnects of many reflectors (and many operators) so a recovering API
    server is not hit by all of them in the same instant.
    """

    def __init__(
        self,
        initial: float = 0.5,
        maximum: float = 30.0,
        factor: float = 2.0,
        jitter: float = 0.5,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if initial <= 0 or maximum < initial or factor < 1 or not 0 <= jitter < 1:
            raise ValueError("invalid backoff parameters")
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = jitter
        self._rand = rand
        self._attempt = 0

    @property
    def attempts(self) -> int:
        return self._attempt

    def next(self) -> float:
        base = min(self.maximum, self.initial * self.factor ** min(self._attempt, 64))
        self._attempt += 1
        return base * (1 - self.jitter * self._rand())

    def reset(self) -> None:
        self._attempt = 0
