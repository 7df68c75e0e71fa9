"""Parent side of ``uiprobe.py``: run the UI in its own process on a real pty (120x40 by default),
count every byte it writes to the terminal, and exchange probe requests over two pipes."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import queue
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REQUEST_TIMEOUT = 150.0


class UiError(RuntimeError):
    pass


class UiProcess:
    def __init__(
        self,
        kubeconfig: str,
        read_only: bool = False,
        headless: bool = False,
        size: tuple[int, int] = (120, 40),
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.extra_env = dict(extra_env or {})
        self.argv = [
            sys.executable,
            str(HERE / "uiprobe.py"),
            "--kubeconfig",
            kubeconfig,
            "--size",
            f"{size[0]}x{size[1]}",
        ]
        if read_only:
            self.argv.append("--read-only")
        if headless:
            self.argv.append("--headless")
        self.headless = headless
        self.size = size
        self.proc: subprocess.Popen[bytes] | None = None
        self.spawned_at = 0.0
        self.chunks: list[tuple[float, int]] = []  # (time, bytes) of every read from the pty
        self.stderr_tail = b""
        self._answers: queue.Queue[dict[str, Any]] = queue.Queue()
        self._ids = 0
        self._master = -1
        self._control_w = -1
        self.boot: dict[str, Any] = {}
        self.started: dict[str, Any] = {}

    # -- lifecycle ----------------------------------------------------------------------------------------
    def start(self) -> UiProcess:
        report_r, report_w = os.pipe()
        control_r, control_w = os.pipe()
        env = dict(
            os.environ,
            BENCH_REPORT_FD=str(report_w),
            BENCH_CONTROL_FD=str(control_r),
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
            TERM="xterm-256color",
            **self.extra_env,
        )
        for var in ("NO_COLOR", "TEXTUAL_FPS", "TEXTUAL_THEME", "COLUMNS", "LINES"):
            env.pop(var, None)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(HERE.parent), str(HERE), env.get("PYTHONPATH", "")])
        )
        if self.headless:
            stdin = stdout = stderr = subprocess.PIPE
            slave = -1
        else:
            self._master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.size[1], self.size[0], 0, 0))
            stdin = stdout = stderr = slave  # type: ignore[assignment]
        self.spawned_at = time.time()
        self.proc = subprocess.Popen(
            self.argv,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            env=env,
            pass_fds=(report_w, control_r),
            start_new_session=True,
        )
        os.close(report_w)
        os.close(control_r)
        if slave >= 0:
            os.close(slave)
            threading.Thread(target=self._drain_pty, daemon=True).start()
        else:
            threading.Thread(target=self._drain_pipe, daemon=True).start()
        self._control_w = control_w
        threading.Thread(target=self._read_reports, args=(report_r,), daemon=True).start()
        self.boot = self._wait("boot", 120)
        self.started = self._wait("started", 300)
        return self

    def _drain_pty(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            self.chunks.append((time.time(), len(data)))
            self.stderr_tail = (self.stderr_tail + data)[-4000:]

    def _drain_pipe(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            self.stderr_tail = (self.stderr_tail + line)[-4000:]

    def _read_reports(self, fd: int) -> None:
        with os.fdopen(fd, "r", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    self._answers.put(json.loads(line))
        self._answers.put({"op": "closed"})

    def _wait(self, op: str, timeout: float, ident: int | None = None) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise UiError(
                    f"UI process: no {op!r} answer within {timeout:.0f}s; output tail: "
                    f"{self.stderr_tail[-600:]!r}"
                )
            try:
                answer = self._answers.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if answer.get("op") == "closed":
                raise UiError(
                    f"UI process ended (exit {self.proc.poll() if self.proc else '?'}); output tail: "
                    f"{self.stderr_tail[-600:]!r}"
                )
            if answer.get("op") == op and (ident is None or answer.get("id") == ident):
                return answer

    def request(self, op: str, timeout: float = REQUEST_TIMEOUT, **params: Any) -> dict[str, Any]:
        self._ids += 1
        os.write(self._control_w, (json.dumps({"op": op, "id": self._ids, **params}) + "\n").encode())
        answer = self._wait(op, timeout, self._ids)
        if "error" in answer:
            raise UiError(f"probe {op}: {answer['error']}")
        return answer

    def bytes_between(self, start: float, end: float) -> int:
        return sum(n for t, n in list(self.chunks) if start <= t < end)

    def stop(self) -> dict[str, Any]:
        final: dict[str, Any] = {}
        if self.proc is None:
            return final
        with contextlib.suppress(UiError, OSError):
            final = self.request("exit", timeout=20)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        for fd in (self._control_w, self._master):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.proc = None
        return final

    def __enter__(self) -> UiProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
