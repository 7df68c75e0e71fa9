"""A SIGCONT that followed no suspend must not start a second input thread.

Textual's LinuxDriver (textual/drivers/linux_driver.py, `_sigcont_application`, Textual 8.2.8)
resumes application mode on every SIGCONT. That is right after its own SIGTSTP handler suspended
it (Ctrl+Z), but a process stopped by a plain SIGSTOP (`kill -STOP`, a debugger, a frozen cgroup)
never suspended: resuming started a second input thread and a second writer. Both input threads
select() the terminal, one reads the bytes, the other blocks in read() for good, and `q` then hung
in `disable_input`'s join (tests/ui/test_process_faults.py).

Here SIGCONT resumes only a driver whose input thread is gone (suspended); otherwise it puts the
terminal back in raw mode (a shell may have reset it while the job was stopped) and redraws all
of the screen (the shell may have written over it).
"""

from __future__ import annotations

import asyncio
import contextlib
import termios
import tty
from typing import Any

from textual.drivers.linux_driver import LinuxDriver


def _sigcont_application(self: Any, *_: object) -> None:
    if not self._auto_restart:
        return
    key_thread = self._key_thread
    if key_thread is None or not key_thread.is_alive():
        self.resume_application_mode()  # suspended by SIGTSTP: start again, as Textual does
        return
    _raw_again(self)
    _redraw(self)


def _raw_again(driver: Any) -> None:
    with contextlib.suppress(termios.error, OSError):
        attrs = termios.tcgetattr(driver.fileno)
        attrs[tty.LFLAG] = driver._patch_lflag(attrs[tty.LFLAG])
        attrs[tty.IFLAG] = driver._patch_iflag(attrs[tty.IFLAG])
        attrs[tty.CC][termios.VMIN] = 1
        termios.tcsetattr(driver.fileno, termios.TCSANOW, attrs)


def _redraw(driver: Any) -> None:
    """Every line painted again, from the event loop (call_soon_threadsafe: the one loop call that
    is safe from a signal handler)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return

    def repaint_all() -> None:
        screen = driver._app.screen
        screen.refresh(screen.region)

    loop.call_soon_threadsafe(repaint_all)


def install() -> None:
    """Before the driver is made: it binds the handler when constructed."""
    if LinuxDriver.__dict__.get("_sigcont_application") is not _sigcont_application:
        LinuxDriver._sigcont_application = _sigcont_application  # type: ignore[method-assign]
