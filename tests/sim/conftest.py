"""Fixtures for the simulator's API tests: one running simulator per test module, and real kubectl
with an isolated discovery cache per test."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rollout_tui.sim import Simulator

KUBECTL = "/usr/bin/kubectl"


def in_ci() -> bool:
    # Same rule as tests/conftest.py (not importable from here: both modules are "conftest").
    return bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """A frozen simulator (no controller) with a read-only user "viewer" (token "viewer-token")."""
    with Simulator(port=0, controller=False) as simulator:
        simulator.add_user("viewer", "viewer-token", read_only_namespaces=["*"])
        simulator.bookmark_interval = 0.3
        yield simulator


@pytest.fixture(scope="module")
def kubeconfig(sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sim.write_kubeconfig(tmp_path_factory.mktemp("kube") / "config")


def require_kubectl() -> str:
    path = shutil.which(KUBECTL) or shutil.which("kubectl")
    if path is None:
        if in_ci():
            pytest.fail("kubectl is required on CI (expected at /usr/bin/kubectl)")
        pytest.skip("kubectl not installed")
    return path


class Kubectl:
    def __init__(self, binary: str, kubeconfig: Path, cache_dir: Path) -> None:
        self.binary, self.kubeconfig, self.cache_dir = binary, kubeconfig, cache_dir

    def _argv(self, args: tuple[str, ...]) -> list[str]:
        return [self.binary, f"--kubeconfig={self.kubeconfig}", f"--cache-dir={self.cache_dir}", *args]

    @staticmethod
    def _env() -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "HTTPS_PROXY", "https_proxy")}
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
        return env

    def run(self, *args: str, stdin: str | None = None, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self._argv(args), input=stdin, capture_output=True, text=True, timeout=timeout,
                              env=self._env(), check=False)

    def ok(self, *args: str, stdin: str | None = None) -> str:
        result = self.run(*args, stdin=stdin)
        assert result.returncode == 0, f"kubectl {' '.join(args)} failed: {result.stderr}"
        return result.stdout

    def fails(self, *args: str, stdin: str | None = None) -> str:
        result = self.run(*args, stdin=stdin)
        assert result.returncode != 0, f"kubectl {' '.join(args)} unexpectedly succeeded: {result.stdout}"
        return result.stderr.strip()

    def stream(self, *args: str) -> LineStream:
        return LineStream(self._argv(args), self._env())


class LineStream:
    """A long-running kubectl (``get -w``) whose output lines are read with deadlines."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, predicate: object, timeout: float = 10) -> list[str]:
        """Lines read until one satisfies ``predicate`` (AssertionError at the deadline)."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(line)
            if predicate(line):  # type: ignore[operator]
                return seen
        status = self.proc.poll()
        stderr = self.proc.stderr.read() if status is not None and self.proc.stderr else ""
        raise AssertionError(f"no matching line within {timeout}s; saw {seen}; exit {status} {stderr}")

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def kubectl(kubeconfig: Path, tmp_path: Path) -> Kubectl:
    """Real kubectl on the module's simulator, with this test's own --cache-dir."""
    return Kubectl(require_kubectl(), kubeconfig, tmp_path / "kube-cache")


def wait_until(predicate: object, timeout: float = 10, what: str = "condition") -> None:
    """Poll ``predicate`` until true; AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)
