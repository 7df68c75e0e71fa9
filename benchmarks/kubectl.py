"""The baseline: real ``kubectl`` against the same simulator, with its own --cache-dir (warm
discovery: one untimed run first), output discarded or line-timestamped."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
RUN_TIMEOUT = 300.0


class KubectlMissing(RuntimeError):
    pass


def _env() -> dict[str, str]:
    return dict(os.environ, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")


def available() -> bool:
    return os.path.exists(KUBECTL)


def version() -> str:
    if not available():
        return "not installed"
    out = subprocess.run(
        [KUBECTL, "version", "--client"], capture_output=True, text=True, timeout=30, check=False
    )
    return (out.stdout.splitlines() or ["?"])[0].replace("Client Version: ", "")


class Kubectl:
    def __init__(self, kubeconfig: str) -> None:
        if not available():
            raise KubectlMissing(f"kubectl not found (looked for {KUBECTL})")
        self.kubeconfig = kubeconfig
        self.cache_dir = tempfile.mkdtemp(prefix="rollout-tui-bench-kubectl-")

    def argv(self, *args: str) -> list[str]:
        return [KUBECTL, "--kubeconfig", self.kubeconfig, "--cache-dir", self.cache_dir, *args]

    def run(self, *args: str) -> tuple[float, int]:
        """Wall seconds and stdout bytes of one run (output read and discarded, as a pipe would)."""
        start = time.perf_counter()
        proc = subprocess.run(
            self.argv(*args), capture_output=True, timeout=RUN_TIMEOUT, env=_env(), check=False
        )
        took = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(
                f"kubectl {' '.join(args)} failed: {proc.stderr.decode(errors='replace')[-300:]}"
            )
        return took, len(proc.stdout)

    def timed(self, *args: str, repeats: int = 3) -> float:
        """Median wall time over ``repeats`` runs after one warm-up run (discovery cached)."""
        self.run(*args)
        return statistics.median(self.run(*args)[0] for _ in range(max(1, repeats)))

    def close(self) -> None:
        shutil.rmtree(self.cache_dir, ignore_errors=True)


class WatchFollower:
    """``kubectl get rollouts.argoproj.io -A -w -o name``: the time each output line arrived."""

    def __init__(self, kubectl: Kubectl) -> None:
        self.proc = subprocess.Popen(
            kubectl.argv("get", "rollouts.argoproj.io", "-A", "-w", "-o", "name"),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
        self.times: list[float] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for _line in self.proc.stdout:
            self.times.append(time.time())

    def wait_lines(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.times) >= count:
                return True
            time.sleep(0.02)
        return False

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait(10)


def first_lines(kubectl: Kubectl, count: int, *args: str) -> tuple[float, float]:
    """(seconds to the ``count``-th output line, seconds to the end) of one run: when kubectl's
    first screenful would have been on a terminal, and when it was done."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        kubectl.argv(*args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env()
    )
    assert proc.stdout is not None
    first = None
    for n, _line in enumerate(proc.stdout, start=1):
        if n == count:
            first = time.perf_counter() - start
    proc.wait(RUN_TIMEOUT)
    done = time.perf_counter() - start
    return (first if first is not None else done), done
