"""Fixtures for the kube layer's integration tests: simulators, kubeconfigs, a recording proxy.

Everything runs over real HTTP with the real ``kubernetes`` client. Timeouts and backoff are
shortened (``FAST``) so failures and recoveries happen in fractions of a second.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rollout_tui.kube.reflector import ReflectorParams

FAST = ReflectorParams(
    page_size=50,
    watch_timeout=30,
    connect_timeout=1.0,
    read_timeout=1.5,
    list_timeout=5.0,
    backoff_initial=0.05,
    backoff_max=0.3,
    slow_retry=0.3,
)


def wait_for(
    predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02, message: str = "condition"
) -> Any:
    """Poll ``predicate`` until truthy; fail with ``message`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def rollout(name: str, namespace: str = "default", app: str | None = None, steps: int = 4) -> dict:
    app = app or name
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": app}},
            "strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {}}] * (steps // 2)}},
            "template": {
                "metadata": {"labels": {"app": app}},
                "spec": {"containers": [{"name": "app", "image": f"{app}:1"}]},
            },
        },
    }


def replicaset(
    name: str,
    app: str,
    owner: dict | None = None,
    namespace: str = "default",
    revision: str = "1",
    image: str = "img:1",
    hash_: str = "abc",
) -> dict:
    meta: dict = {
        "name": name,
        "namespace": namespace,
        "labels": {"app": app, "rollouts-pod-template-hash": hash_},
        "annotations": {"rollout.argoproj.io/revision": revision},
    }
    if owner is not None:
        meta["ownerReferences"] = [
            {
                "apiVersion": "argoproj.io/v1alpha1",
                "kind": "Rollout",
                "controller": True,
                "name": owner["metadata"]["name"],
                "uid": owner["metadata"]["uid"],
            }
        ]
    labels = {"app": app, "rollouts-pod-template-hash": hash_}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": meta,
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "app", "image": image}]},
            },
        },
    }


def pod(name: str, app: str, owner: dict | None = None, namespace: str = "default") -> dict:
    meta: dict = {"name": name, "namespace": namespace, "labels": {"app": app}}
    if owner is not None:
        meta["ownerReferences"] = [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "controller": True,
                "name": owner["metadata"]["name"],
                "uid": owner["metadata"]["uid"],
            }
        ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": [{"name": "app", "image": "img:1"}]},
        "status": {"phase": "Running"},
    }


@pytest.fixture
def sim() -> Iterator[Any]:
    from rollout_tui.sim import Simulator

    simulator = Simulator(controller=False, tls=False)
    simulator.start()
    simulator.bookmark_interval = 0.3
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture
def kubeconfig(sim: Any, tmp_path: Path) -> str:
    return str(sim.write_kubeconfig(tmp_path / "kubeconfig", context="sim"))


# --- a recording HTTP proxy: what really went over the wire ------------------------------------


class RecordingProxy:
    """Forwards every request to ``upstream`` (plain HTTP) and records method, path, query,
    content type and body. Streams responses (watches) chunk by chunk."""

    def __init__(self, upstream: str) -> None:
        host, port = upstream.removeprefix("http://").rstrip("/").split(":")
        self.upstream = (host, int(port))
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        # test hooks: answer a request ourselves (code, body) or forward it and then cut the line
        self.answer: Callable[[str, str], tuple[int, dict] | None] = lambda method, path: None
        self.cut_after_forward: Callable[[str, str], bool] = lambda method, path: False
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path, _, query = self.path.partition("?")
                with proxy._lock:
                    proxy.requests.append(
                        {
                            "method": self.command,
                            "path": path,
                            "query": query,
                            "content_type": self.headers.get("Content-Type", ""),
                            "body": body.decode("utf-8", "replace"),
                        }
                    )
                canned = proxy.answer(self.command, path)
                if canned is not None:
                    payload = json.dumps(canned[1]).encode()
                    self.send_response(canned[0])
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(*proxy.upstream, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                if proxy.cut_after_forward(self.command, path):
                    resp.read()
                    conn.close()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(resp.status)
                for key, value in resp.getheaders():
                    if key.lower() not in ("transfer-encoding", "content-length", "connection"):
                        self.send_header(key, value)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    while True:
                        data = resp.read1(65536)
                        if not data:
                            break
                        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (OSError, http.client.HTTPException):  # the client or the upstream went away
                    self.close_connection = True
                finally:
                    conn.close()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> RecordingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def writes(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if r["method"] not in ("GET", "HEAD")]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()


class _QuietServer(ThreadingHTTPServer):
    """socketserver prints a handler's exception to stderr, where it lands in whichever test of
    this worker is capturing then (a later test's one-line-error assertion failed on it): a cut
    connection is what these tests cause on purpose."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@pytest.fixture
def proxy(sim: Any) -> Iterator[RecordingProxy]:
    recording = RecordingProxy(sim.url).start()
    try:
        yield recording
    finally:
        recording.stop()


def proxied_kubeconfig(
    sim: Any, proxy: RecordingProxy, path: Path, user: str | None = None, context: str = "sim"
) -> str:
    """A kubeconfig for ``sim`` whose server is the recording proxy."""
    import yaml

    target = sim.write_kubeconfig(path, context=context, user=user)
    config = yaml.safe_load(Path(target).read_text())
    for cluster in config["clusters"]:
        cluster["cluster"]["server"] = proxy.url
    Path(target).write_text(yaml.safe_dump(config))
    return str(target)
