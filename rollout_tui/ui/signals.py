"""The process's own signals: a dropped SSH session (SIGHUP) or a service manager's SIGTERM end
the app as ``q`` does (terminal restored, watches closed), never by the default action that
leaves the terminal in raw mode on the alternate screen.

A stopped process (SIGSTOP, a suspended laptop) is noticed when it runs again: the tick finds
the monotonic clock far ahead of its last run, and the alerter re-baselines instead of alerting
on every transition the process slept through.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

EXIT_CODES = {signal.SIGHUP: 129, signal.SIGTERM: 143}  # 128 + signal number, as shells report them


def install(loop: asyncio.AbstractEventLoop, exit_app: Callable[[int], None]) -> None:
    """Call from the app's event loop (the main thread). ``exit_app(code)`` ends the app."""
    for signum, code in EXIT_CODES.items():
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, exit_app, code)


def uninstall(loop: asyncio.AbstractEventLoop) -> None:
    for signum in EXIT_CODES:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signum)


class SuspendDetector:
    """Tells a periodic callback that it ran much later than due (the process was stopped, or
    the machine slept): ``gap = detector.lag(now)`` seconds beyond ``period``."""

    def __init__(self, period: float, now: float) -> None:
        self.period = period
        self._last = now

    def lag(self, now: float) -> float:
        late, self._last = now - self._last - self.period, now
        return max(0.0, late)
