"""Parent side of ``simhost.py``: start a simulator process, send it requests, stop it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
START_TIMEOUT = 300.0  # seeding 50,000 rollouts on a busy 2-core machine
REQUEST_TIMEOUT = 180.0


class SimError(RuntimeError):
    pass


class SimProcess:
    """``with SimProcess(rollouts=1000, namespaces=20) as sim: sim.request(op="digest")``."""

    def __init__(
        self,
        rollouts: int = 0,
        namespaces: int = 1,
        controller: bool = False,
        scenario: str = "",
        family: list[str] | None = None,
        unrelated: list[str] | None = None,
        motion: int = 0,
        paused_every: int = 0,
        context: str = "",
        speed: float = 1.0,
        bookmark_interval: float = 0.0,
    ) -> None:
        self.argv = [
            sys.executable,
            str(HERE / "simhost.py"),
            "--rollouts",
            str(rollouts),
            "--namespaces",
            str(namespaces),
            "--paused-every",
            str(paused_every),
            "--motion",
            str(motion),
        ]
        if controller:
            self.argv.append("--controller")
        if context:
            self.argv += ["--context", context]
        if speed != 1.0:
            self.argv += ["--speed", str(speed)]
        if bookmark_interval:
            self.argv += ["--bookmark-interval", str(bookmark_interval)]
        if scenario:
            self.argv += ["--scenario", scenario]
        for spec in family or ():
            self.argv += ["--family", spec]
        for spec in unrelated or ():
            self.argv += ["--unrelated", spec]
        self.proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def kubeconfig(self) -> str:
        return str(self.info["kubeconfig"])

    def start(self) -> SimProcess:
        env = dict(os.environ, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), env.get("PYTHONPATH", "")]))
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, bufsize=1
        )
        self.info = self._read(START_TIMEOUT)
        return self

    def _read(self, timeout: float) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdout is not None
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        deadline = time.monotonic() + timeout
        while reader.is_alive() and time.monotonic() < deadline and self.proc.poll() is None:
            reader.join(0.2)
        reader.join(0.5)  # a last line written just before exiting
        if not box or not box[0]:
            raise SimError(
                f"simulator process gave no answer within {timeout:.0f}s (exit {self.proc.poll()})"
            )
        reply = json.loads(box[0])
        if "error" in reply:
            raise SimError(reply["error"])
        return reply

    def request(self, timeout: float = REQUEST_TIMEOUT, **request: Any) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin is not None
        with self._lock:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            return self._read(timeout)

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.write('{"op": "stop"}\n')
                self.proc.stdin.close()
            self.proc.wait(15)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def __enter__(self) -> SimProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
