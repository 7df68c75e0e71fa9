"""Run the real ``rollout-tui`` on a pseudo-terminal and read what a user would see.

Everything the app writes to the terminal goes through ``pyte`` (a VT100/xterm emulator), so a
benchmark can wait for "the screen shows N rows" or "the cursor row moved" and timestamp it from
outside the app, without any probe inside the process.

Timing: a reader thread only reads the pty and stamps each chunk with ``time.time()`` when
``os.read`` returns; a second thread feeds the emulator and evaluates waits and observers, so the
emulator's own cost never delays a timestamp. Each observation carries the stamp of the chunk
that completed it.

Frames: the emulated terminal answers Textual's DECRQM query for mode 2026 (synchronized output,
as kitty, WezTerm, iTerm2 and tmux >= 3.4 do), so the app wraps every frame in ``ESC[?2026h`` ...
``ESC[?2026l``. Screens are judged only at frame ends, never half-drawn; a terminal that
supports the mode shows the frame at exactly that moment.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import re
import shlex
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import procmem
import pyte

ROOT = Path(__file__).resolve().parent.parent
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_SUPPORTED = b"\x1b[?2026;2$y"  # "recognised, currently reset": Textual then uses it
SYNC_END = b"\x1b[?2026l"
SYNC_START = b"\x1b[?2026h"
KEYS = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "enter": b"\r",
    "escape": b"\x1b",
    "tab": b"\t",
    "backspace": b"\x7f",
    "ctrl+u": b"\x15",
}


TRACEBACK = b"Traceback (most recent call last)"
ESCAPES = re.compile(rb"\x1b\[[0-9;:?<>=]*[ -/]*[@-~]")


def tracebacks_in(before: bytes, data: bytes) -> int:
    """Tracebacks starting in ``data`` (after ``before``, the bytes already seen). Rich paints the
    title of its traceback panel with colour changes inside it: those are skipped."""
    seen = ESCAPES.sub(b"", before).count(TRACEBACK)
    return ESCAPES.sub(b"", before + data).count(TRACEBACK) - seen


@dataclass
class Screen:
    """One complete frame as the terminal shows it: text lines and per-cell attributes."""

    t: float  # when the chunk that completed this frame was read from the pty
    lines: list[str]
    buffer: pyte.Screen  # only valid inside an observer/predicate call (the emulator moves on)
    frame: int

    @property
    def header(self) -> str:
        return next((line for line in self.lines if line.strip()), "")

    def bg(self, y: int, x: int) -> tuple[str, bool]:
        """(background colour, reverse video) of one cell: how a selected row stands out."""
        char = self.buffer.buffer[y][x]
        return char.bg, char.reverse


Predicate = Callable[[Screen], bool]
Observer = Callable[[Screen], None]


def rollout_tui_argv(*args: str, diagnostics: bool = False) -> list[str]:
    """The real CLI; with ``diagnostics`` the same CLI behind ``rollout_tui.diagnostics`` (adds
    only a SIGUSR1 handler that dumps object counts: see that module). ``BENCH_UI_PREFIX`` runs
    it under a profiler, e.g. ``BENCH_UI_PREFIX='py-spy record --threads -f raw -o ui.txt --'``
    (then the memory figures are the profiler's, not the UI's)."""
    module = "rollout_tui.diagnostics" if diagnostics else "rollout_tui"
    return [*shlex.split(os.environ.get("BENCH_UI_PREFIX", "")), sys.executable, "-m", module, *args]


class PtyScreen:
    """``with PtyScreen(rollout_tui_argv("--kubeconfig", kc), 120, 40) as pty: pty.wait_for(...)``."""

    def __init__(
        self,
        argv: Sequence[str],
        cols: int = 120,
        rows: int = 40,
        env: dict[str, str] | None = None,
    ) -> None:
        self.argv = list(argv)
        self.cols, self.rows = cols, rows
        self.extra_env = dict(env or {})
        self.proc: subprocess.Popen[bytes] | None = None
        self.spawned_at = 0.0
        self.bytes_read = 0
        self.frames = 0
        self.tracebacks = 0
        self.tail = b""  # the last output bytes, for error messages
        self._screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self._screen)
        self._chunks: queue.Queue[tuple[float, bytes] | None] = queue.Queue()
        self._cond = threading.Condition()
        self._observers: list[Observer] = []
        self._last: Screen | None = None
        self._in_frame = False
        self._carry = b""
        self._master = -1
        self._threads: list[threading.Thread] = []

    # -- lifecycle -------------------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL_THEME", "COLUMNS", "LINES")
        }
        env.update(
            TERM="xterm-256color",
            COLORTERM="truecolor",
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
        )
        env.update(self.extra_env)
        return env

    def start(self) -> PtyScreen:
        self._master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        self.spawned_at = time.time()
        self.proc = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self._env(),
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        for target in (self._read_pty, self._parse):
            thread = threading.Thread(target=target, daemon=True, name=f"pty-{target.__name__}")
            thread.start()
            self._threads.append(thread)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, key: bytes = b"q", timeout: float = 10.0) -> int | None:
        """Quit as a user would (``q``); SIGTERM, then SIGKILL, if it does not exit in time."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            for keys in ([key], [KEYS["escape"], key]):  # Esc first if an input holds the focus
                with contextlib.suppress(OSError):
                    for k in keys:
                        os.write(self._master, k)
                        time.sleep(0.5 if len(keys) > 1 else 0)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout / 2)
                    break
            if self.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(5)
        code = self.proc.returncode
        time.sleep(0.1)  # the last bytes (a traceback after exit) reach the reader
        with contextlib.suppress(OSError):
            os.close(self._master)
        for thread in self._threads:
            thread.join(2)
        return code

    def __enter__(self) -> PtyScreen:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the two threads -------------------------------------------------------------------------
    def _read_pty(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                data = b""
            if not data:
                self._chunks.put(None)
                return
            self._chunks.put((time.time(), data))

    def _parse(self) -> None:
        while (item := self._chunks.get()) is not None:
            stamp, data = item
            self.bytes_read += len(data)
            scan = self.tail[-16:] + data
            self.tracebacks += tracebacks_in(self.tail[-400:], data)
            self.tail = (self.tail + data)[-8000:]
            if SYNC_QUERY in scan:
                with contextlib.suppress(OSError):
                    os.write(self._master, SYNC_SUPPORTED)
            self._feed(stamp, data)
        with self._cond:
            self._cond.notify_all()

    def _feed(self, stamp: float, data: bytes) -> None:
        """Feed the emulator up to each frame end and judge the screen there."""
        data, self._carry = self._carry + data, b""
        cut = data.rfind(b"\x1b", max(0, len(data) - len(SYNC_END) + 1))
        if cut >= 0 and (SYNC_END.startswith(data[cut:]) or SYNC_START.startswith(data[cut:])):
            data, self._carry = data[:cut], data[cut:]  # a marker split across two reads
        start = 0
        while True:
            end = data.find(SYNC_END, start)
            begin = data.find(SYNC_START, start)
            if end < 0:
                if start == len(data) and start > 0:
                    return  # the chunk ended with a frame: already judged
                self._stream.feed(data[start:])
                if begin >= 0:
                    self._in_frame = data.rfind(SYNC_START) > data.rfind(SYNC_END)
                if not self._in_frame:
                    self._judge(stamp)
                return
            self._stream.feed(data[start : end + len(SYNC_END)])
            self._in_frame = False
            self._judge(stamp)
            start = end + len(SYNC_END)

    def _judge(self, stamp: float) -> None:
        with self._cond:
            self.frames += 1
            screen = Screen(stamp, list(self._screen.display), self._screen, self.frames)
            self._last = screen
            for observer in list(self._observers):
                observer(screen)
            self._cond.notify_all()

    # -- what benchmarks use ---------------------------------------------------------------------
    def observe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer`` on every complete frame (in the parser thread); returns an unsubscribe."""
        with self._cond:
            self._observers.append(observer)

        def remove() -> None:
            with self._cond, contextlib.suppress(ValueError):
                self._observers.remove(observer)

        return remove

    def wait_for(self, predicate: Predicate, timeout: float, since_frame: int = 0) -> Screen | None:
        """The first frame (after ``since_frame``) for which ``predicate`` holds, or None."""
        deadline = time.monotonic() + timeout
        hit: list[Screen] = []

        def check(screen: Screen) -> None:
            if not hit and screen.frame > since_frame and predicate(screen):
                hit.append(Screen(screen.t, screen.lines, screen.buffer, screen.frame))

        remove = self.observe(check)
        try:
            with self._cond:
                if self._last is not None:
                    check(self._last)
                while not hit:
                    left = deadline - time.monotonic()
                    if left <= 0 or (
                        self.proc is not None and self.proc.poll() is not None and self._chunks.empty()
                    ):
                        break
                    self._cond.wait(min(left, 0.2))
        finally:
            remove()
        return hit[0] if hit else None

    def snapshot(self) -> Screen | None:
        with self._cond:
            return self._last

    def with_screen(self, fn: Callable[[Screen], object]) -> object:
        """Run ``fn`` on the current frame while the emulator is held still."""
        with self._cond:
            return fn(self._last) if self._last is not None else None

    def send(self, data: bytes | str) -> float:
        """Write input as a terminal would; returns the time it was written."""
        raw = KEYS.get(data, data.encode()) if isinstance(data, str) else data
        now = time.time()
        os.write(self._master, raw)
        return now

    def memory(self) -> procmem.Memory:
        return procmem.read(self.pid)

    def describe(self) -> str:
        screen = self.snapshot()
        text = "\n".join(screen.lines).rstrip() if screen else "(nothing painted)"
        return f"exit {self.proc.poll() if self.proc else '?'}; screen:\n{text}\ntail: {self.tail[-400:]!r}"
