"""Fixtures for the simulator's API tests: one running simulator per test module, and real kubectl
with an isolated discovery cache per test."""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import urllib3
import yaml

from rollout_tui.sim import Simulator
from rollout_tui.sim.clock import SimClock
from tests.conftest import in_ci

KUBECTL = "/usr/bin/kubectl"


@pytest.fixture(scope="session")
def no_crds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty CRD directory: a simulator given it serves the permissive schemas on /openapi/v3
    whatever lies beside the checkout (the upstream CRDs are tested in test_kubectl_upstream.py)."""
    return tmp_path_factory.mktemp("no-crds")


@pytest.fixture(scope="module")
def sim(no_crds: Path) -> Iterator[Simulator]:
    """A frozen simulator (no controller) with a read-only user "viewer" (token "viewer-token")."""
    with Simulator(port=0, controller=False, crds=no_crds) as simulator:
        simulator.add_user("viewer", "viewer-token", read_only_namespaces=["*"])
        simulator.bookmark_interval = 0.3
        yield simulator


def ticked_simulator() -> Iterator[Simulator]:
    """A simulator without a controller thread, on a manual clock: a module's own Controller
    moves it (``sim = pytest.fixture(scope="module", name="sim")(ticked_simulator)``)."""
    with (
        tempfile.TemporaryDirectory() as no_crds,  # permissive schemas, as the `sim` fixture serves
        Simulator(port=0, controller=False, clock=SimClock.manual(), crds=no_crds) as simulator,
    ):
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

    def run(
        self, *args: str, stdin: str | None = None, timeout: float = 30
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self._argv(args),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self._env(),
            check=False,
        )

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


class Http:
    """Raw HTTPS requests to a simulator (for watch streams and fault endpoints)."""

    def __init__(self, sim: Simulator, token: str | None = None) -> None:
        self.sim = sim
        self.token = sim.token if token is None else token
        self.context = ssl.create_default_context(cadata=sim.certificates.ca_pem.decode())

    def connection(self, timeout: float = 10) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection("127.0.0.1", self.sim.port, context=self.context, timeout=timeout)

    def headers(self, content_type: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if content_type:
            headers["Content-Type"] = content_type
        return headers

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        content_type: str = "application/json",
        timeout: float = 10,
    ) -> tuple[int, dict[str, str], object]:
        conn = self.connection(timeout)
        try:
            data = None if body is None else json.dumps(body).encode()
            conn.request(method, path, body=data, headers=self.headers(content_type if data else None))
            resp = conn.getresponse()
            raw = resp.read()
            try:
                parsed: object = json.loads(raw) if raw else None
            except ValueError:
                parsed = raw.decode()
            return resp.status, dict(resp.getheaders()), parsed
        finally:
            conn.close()

    def watch(self, path: str, timeout: float = 10, headers: dict[str, str] | None = None) -> WatchStream:
        """A watch read the way the kubernetes client reads it (urllib3, chunked)."""
        pool = urllib3.PoolManager(ssl_context=self.context, retries=False)
        response = pool.request(
            "GET",
            f"https://127.0.0.1:{self.sim.port}{path}",
            headers=headers or self.headers(),
            preload_content=False,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
        )
        return WatchStream(pool, response)


class WatchStream:
    def __init__(self, pool: urllib3.PoolManager, response: urllib3.BaseHTTPResponse) -> None:
        self.pool, self.response = pool, response
        self.status = response.status
        self._chunks = response.read_chunked(decode_content=False)
        self._buffer = b""

    def next(self) -> dict | None:
        """The next event; None when the stream ended cleanly. A cut stream raises urllib3's
        ProtocolError, silence past the read timeout ReadTimeoutError."""
        while b"\n" not in self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def close(self) -> None:
        self.response.release_conn()
        self.response.close()
        self.pool.clear()


@pytest.fixture(scope="module")
def http_client(sim: Simulator) -> Http:
    return Http(sim)


PLURALS = {
    "Rollout": "rollouts",
    "Service": "services",
    "AnalysisTemplate": "analysistemplates",
    "Secret": "secrets",
    "Experiment": "experiments",
}


def assert_apply_creates_then_leaves_unchanged(sim: Simulator, kubectl: Kubectl, path: Path, ns: str) -> None:
    """`kubectl apply` twice: every object created, then unchanged, with its last-applied copy."""
    out = kubectl.ok("apply", "-n", ns, "-f", str(path))
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
    for doc in docs:
        assert f"{doc['metadata']['name']} created" in out
    assert kubectl.ok("apply", "-n", ns, "-f", str(path)).count("unchanged") == len(docs)
    for doc in docs:
        stored = sim.store.get(PLURALS[doc["kind"]], ns, doc["metadata"]["name"])
        assert "kubectl.kubernetes.io/last-applied-configuration" in stored["metadata"]["annotations"]


GREEN = [
    {
        "op": "replace",
        "path": "/spec/template/spec/containers/0/image",
        "value": "argoproj/rollouts-demo:green",
    }
]


def walk_with_kubectl(
    kubectl: Kubectl, controller: Any, sim: Simulator, ns: str, files: list[Path], names: tuple[str, ...]
) -> None:
    """Apply `files` with kubectl; the rollouts `names` become Healthy, take a new image (the
    blue-green `rollout-bluegreen` then waits for promotion and is promoted) and are Healthy again."""
    for file in files:
        kubectl.ok("apply", "-n", ns, "-f", str(file))

    def phases() -> set[str]:
        return {(sim.store.get("rollouts", ns, n).get("status") or {}).get("phase") for n in names}

    assert controller.run_until(lambda: phases() == {"Healthy"}, 60)
    for name in names:
        kubectl.ok("patch", "rollout", name, "-n", ns, "--type", "json", "-p", json.dumps(GREEN))
    assert controller.run_until(lambda: "Paused" in phases(), 60)
    reason = "jsonpath={.status.pauseConditions[0].reason}"
    assert kubectl.ok("get", "rollout", "rollout-bluegreen", "-n", ns, "-o", reason) == "BlueGreenPause"
    promote = '{"status":{"pauseConditions":null}}'
    kubectl.ok(
        "patch",
        "rollout",
        "rollout-bluegreen",
        "-n",
        ns,
        "--subresource",
        "status",
        "--type",
        "merge",
        "-p",
        promote,
    )
    assert controller.run_until(lambda: phases() == {"Healthy"}, 120)
