"""Run the real `rollout-tui` in a pseudo-terminal and capture every byte it writes.

Used by the hostile-data test and by measure_bandwidth.py: what reaches the terminal is the
only place to prove that no escape sequence from cluster data gets through.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence


class PtyApp:
    def __init__(
        self, args: Sequence[str], cols: int = 120, rows: int = 40, env: dict[str, str] | None = None
    ) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {
            k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL_THEME", "COLUMNS", "LINES")
        }
        full_env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor"})
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "rollout_tui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()
        self.stamps: list[tuple[float, int]] = []  # (monotonic time, bytes read) per read

    def read_for(self, seconds: float) -> bytes:
        """Collect output for ``seconds``; returns what arrived in that window."""
        start = len(self.output)
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.2))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                self.output += chunk
                self.stamps.append((time.monotonic(), len(chunk)))
        return bytes(self.output[start:])

    def wait_for(self, needle: bytes, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.output:
                return True
            self.read_for(0.2)
        return needle in self.output

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self, timeout: float = 10.0) -> int | None:
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.send(b"q")
            end = time.monotonic() + timeout
            while self.proc.poll() is None and time.monotonic() < end:
                self.read_for(0.2)
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(5)
        os.close(self.master)
        return self.proc.returncode
