"""The process's own signals: a dropped SSH session (SIGHUP) or a service manager's SIGTERM end
the app as ``q`` does (terminal restored, watches closed), never by the default action that
leaves the terminal in raw mode on the alternate screen.

A stopped process (SIGSTOP, a suspended laptop) is noticed when it runs again: the tick finds
the monotonic clock far ahead of its last run, and the alerter re-baselines instead of alerting
on every transition the process slept through.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from textual.app import App

RESUMED_AFTER = 5.0  # a drain this late (seconds beyond its period): the process was stopped meanwhile
EXIT_CODES = {signal.SIGHUP: 129, signal.SIGTERM: 143}  # 128 + signal number, as shells report them


def install(loop: asyncio.AbstractEventLoop, exit_app: Callable[[int], None]) -> None:
    """Call from the app's event loop (the main thread). ``exit_app(code)`` ends the app."""
    for signum, code in EXIT_CODES.items():
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, exit_app, code)


def leave(app: App[Any], code: int) -> None:
    """``q``, SIGHUP, SIGTERM: on a real terminal, restore it and end the process now. Textual's
    orderly shutdown waited for the event loop's queued paints and unmounted every widget first
    (0.2-0.6 s on a loaded machine, on top of the key's own wait in the queue); nothing of it
    matters to a process about to end: the kernel closes its sockets. Headless (tests) and in a
    browser (textual-serve's driver) the app exits as usual."""
    driver = app._driver
    if app.is_headless or app.is_web or driver is None:
        app.exit(return_code=code)
        return
    with contextlib.suppress(Exception):
        driver.stop_application_mode()  # the alternate screen left, modes reset, termios restored
        driver.close()  # the writer thread has written all of it
    exit_now(code)


def exit_now(code: int) -> None:
    """End the process, running the exit handlers (the kubernetes client removes its temporary
    certificate files in one) but not the interpreter's own teardown (collecting a few hundred
    thousand objects took ~0.7 s after the terminal was restored). No thread outlives it."""
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


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
