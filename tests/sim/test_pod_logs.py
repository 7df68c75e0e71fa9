"""GET /api/v1/namespaces/{ns}/pods/{name}/log over real HTTPS: the kubernetes client, raw chunked
reads for follow, and the API server's and kubelet's answers when there is nothing to read.

One simulator for the module on a manual clock; its controller is ticked by the tests, which
also moves the simulated time log followers are paced on.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import urllib3
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from rollout_tui.sim import Simulator
from rollout_tui.sim.clock import SimClock, rfc3339
from rollout_tui.sim.controller import Controller

from .conftest import Http

NS = "logs"


def rollout(name: str, image: str = "demo:blue", annotations: dict | None = None, **extra: Any) -> dict:
    containers = extra.pop("containers", None) or [{"name": "app", "image": image}]
    template: dict = {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}}
    if annotations:
        template["metadata"]["annotations"] = annotations
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": NS, **extra.pop("meta", {})},
        "spec": {
            "replicas": extra.pop("replicas", 1),
            "selector": {"matchLabels": {"app": name}},
            "template": template,
            "strategy": extra.pop("strategy", {"canary": {}}),
        },
    }


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(port=0, controller=False, clock=SimClock.manual()) as simulator:
        simulator.add_user("other-team", "other-token", namespaces=["elsewhere"])
        yield simulator


@pytest.fixture(scope="module")
def controller(sim: Simulator) -> Controller:
    ctl = Controller(sim.store, sim.clock, strict=True)
    for ro in (
        rollout("web"),
        rollout("crash", "demo:v2-crash"),
        rollout("pull", "demo:missing"),
        rollout("waiting", "demo:blue", {"sim.rollout-tui.dev/pod": "pending"}),
        rollout(
            "two", containers=[{"name": "app", "image": "demo:blue"}, {"name": "proxy", "image": "envoy:v1"}]
        ),
    ):
        sim.store.create("rollouts", ro)
    ctl.tick(30)
    return ctl


@pytest.fixture(scope="module")
def core(kubeconfig: Path, controller: Controller) -> Iterator[client.CoreV1Api]:
    api = config.new_client_from_config(str(kubeconfig))
    yield client.CoreV1Api(api)
    api.close()


def pod_of(sim: Simulator, app: str) -> str:
    [pod] = [p for p in sim.store.list("pods", NS)[0] if p["metadata"]["labels"]["app"] == app]
    return str(pod["metadata"]["name"])


def failure(call: Any) -> tuple[int, dict]:
    with pytest.raises(ApiException) as err:
        call()
    import json

    return err.value.status, json.loads(err.value.body)


def test_tail_since_timestamps_and_limit(sim: Simulator, core: client.CoreV1Api) -> None:
    name = pod_of(sim, "web")
    whole = core.read_namespaced_pod_log(name, NS)
    lines = whole.splitlines()
    assert lines[0].endswith("INFO  starting web version=blue pid=1") and len(lines) > 10
    assert core.read_namespaced_pod_log(name, NS) == whole  # deterministic
    assert core.read_namespaced_pod_log(name, NS, tail_lines=3).splitlines() == lines[-3:]
    assert core.read_namespaced_pod_log(name, NS, tail_lines=0) == ""
    stamped = core.read_namespaced_pod_log(name, NS, tail_lines=2, timestamps=True).splitlines()
    stamp, text = stamped[-1].split(" ", 1)
    assert text == lines[-1] and stamp.endswith("Z") and len(stamp) == len("2026-01-01T00:00:00.000000000Z")
    assert stamp[:23] == text[:23]  # the app's own millisecond clock agrees with the kubelet's
    recent = core.read_namespaced_pod_log(name, NS, since_seconds=5).splitlines()
    assert recent and recent == [
        ln for ln in lines if ln[:24] >= rfc3339(sim.clock.now() - timedelta(seconds=5))[:19]
    ]
    since = rfc3339(sim.clock.now() - timedelta(seconds=10))
    assert (
        Http(sim).request("GET", f"/api/v1/namespaces/{NS}/pods/{name}/log?sinceTime={since}")[2]
        == "\n".join(ln for ln in lines if ln[:19] >= since[:19]) + "\n"
    )
    assert core.read_namespaced_pod_log(name, NS, limit_bytes=50) == whole[:50]


def test_the_response_is_plain_text(sim: Simulator, controller: Controller) -> None:
    status, headers, body = Http(sim).request("GET", f"/api/v1/namespaces/{NS}/pods/{pod_of(sim, 'web')}/log")
    assert status == 200 and headers["Content-Type"] == "text/plain"
    assert isinstance(body, str) and "INFO  starting web" in body


def test_containers_must_be_named_when_there_are_several(sim: Simulator, core: client.CoreV1Api) -> None:
    name = pod_of(sim, "two")
    code, body = failure(lambda: core.read_namespaced_pod_log(name, NS))
    assert (code, body["reason"]) == (400, "BadRequest")
    assert body["message"] == f"a container name must be specified for pod {name}, choose one of: [app proxy]"
    assert "INFO  starting two" in core.read_namespaced_pod_log(name, NS, container="proxy")
    code, body = failure(lambda: core.read_namespaced_pod_log(name, NS, container="nope"))
    assert (code, body["message"]) == (400, f"container nope is not valid for pod {name}")


def test_previous_returns_the_crashed_run(sim: Simulator, core: client.CoreV1Api) -> None:
    name = pod_of(sim, "crash")
    previous = core.read_namespaced_pod_log(name, NS, previous=True).splitlines()
    assert previous[0].endswith("INFO  starting crash version=v2-crash pid=1")
    assert any(line.startswith("panic: ") for line in previous)
    assert previous[-2:] == ["main.main()", "\t/src/cmd/crash/main.go:31 +0x9e"]
    healthy = pod_of(sim, "web")
    code, body = failure(lambda: core.read_namespaced_pod_log(healthy, NS, previous=True))
    assert (code, body["message"]) == (
        400,
        f'previous terminated container "app" in pod "{healthy}" not found',
    )


def test_a_container_that_never_started_has_no_log(sim: Simulator, core: client.CoreV1Api) -> None:
    name = pod_of(sim, "pull")
    code, body = failure(lambda: core.read_namespaced_pod_log(name, NS))
    assert code == 400
    assert (
        body["message"]
        == f'container "app" in pod "{name}" is waiting to start: trying and failing to pull image'
    )
    assert core.read_namespaced_pod_log(pod_of(sim, "waiting"), NS) == ""  # not on a node yet


def test_options_are_validated(sim: Simulator, core: client.CoreV1Api) -> None:
    name = pod_of(sim, "web")
    code, body = failure(lambda: core.read_namespaced_pod_log(name, NS, tail_lines=-1))
    assert (code, body["reason"]) == (422, "Invalid")
    assert (
        body["message"]
        == f'PodLogOptions "{name}" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'
    )
    status, _h, answer = Http(sim).request(
        "GET", f"/api/v1/namespaces/{NS}/pods/{name}/log?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z"
    )
    assert (
        status == 422 and "at most one of `sinceTime` or `sinceSeconds` may be specified" in answer["message"]
    )
    status, _h, answer = Http(sim).request("GET", f"/api/v1/namespaces/{NS}/pods/{name}/log?tailLines=x")
    assert (status, answer["reason"]) == (400, "BadRequest")


def test_errors_are_status_objects_with_the_usual_auth(sim: Simulator, controller: Controller) -> None:
    path = f"/api/v1/namespaces/{NS}/pods/{pod_of(sim, 'web')}/log"
    status, _h, body = Http(sim, token="").request("GET", path)
    assert (status, body["kind"], body["reason"]) == (401, "Status", "Unauthorized")
    status, _h, body = Http(sim, token="other-token").request("GET", path)
    assert status == 403 and body["message"] == (
        f'pods "{pod_of(sim, "web")}" is forbidden: User "other-team" cannot get resource "pods/log" in API '
        f'group "" in the namespace "{NS}"'
    )
    status, _h, body = Http(sim).request("GET", f"/api/v1/namespaces/{NS}/pods/ghost/log")
    assert (status, body["message"]) == (404, 'pods "ghost" not found')
    status, _h, body = Http(sim).request("POST", path, body={})
    assert (status, body["reason"]) == (405, "MethodNotAllowed")


class Follower:
    """A chunked log stream read line by line in a thread."""

    def __init__(self, sim: Simulator, pod: str, query: str = "follow=true&tailLines=0") -> None:
        http = Http(sim)
        self.pool = urllib3.PoolManager(ssl_context=http.context, retries=False)
        self.response = self.pool.request(
            "GET",
            f"https://127.0.0.1:{sim.port}/api/v1/namespaces/{NS}/pods/{pod}/log?{query}",
            headers=http.headers(),
            preload_content=False,
            timeout=urllib3.Timeout(connect=5, read=30),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.chunks: list[bytes] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        buffer = b""
        try:
            for chunk in self.response.read_chunked(decode_content=False):
                self.chunks.append(chunk)
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    self.lines.put(line.decode())
        except (urllib3.exceptions.HTTPError, OSError):
            pass  # closed by the test while streaming
        finally:
            self.lines.put(None)

    def take(self, count: int, timeout: float = 5) -> list[str | None]:
        got: list[str | None] = []
        deadline = time.monotonic() + timeout
        while len(got) < count and (None not in got):
            got.append(self.lines.get(timeout=max(0.01, deadline - time.monotonic())))
        return got

    def ended(self, timeout: float = 5) -> list[str]:
        """Every line until the stream ends cleanly."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while (line := self.lines.get(timeout=max(0.01, deadline - time.monotonic()))) is not None:
            seen.append(line)
        return seen

    def close(self) -> None:
        self.response.release_conn()
        self.pool.clear()


def test_follow_streams_lines_as_simulated_time_passes(sim: Simulator, controller: Controller) -> None:
    follower = Follower(sim, pod_of(sim, "web"))
    try:
        assert follower.response.headers["Transfer-Encoding"] == "chunked"
        time.sleep(0.3)
        assert follower.lines.empty()  # tailLines=0: nothing old; the clock has not moved
        controller.tick(20)
        got = follower.take(5)
        assert all(isinstance(line, str) and " INFO  request " in line for line in got)
        assert all(
            chunk.endswith(b"\n") and chunk.count(b"\n") == 1 for chunk in follower.chunks
        )  # flushed per line
    finally:
        follower.close()


def test_follow_ends_when_the_container_crashes(sim: Simulator, controller: Controller) -> None:
    name = pod_of(sim, "crash")

    def running() -> bool:
        return "running" in sim.store.get("pods", NS, name)["status"]["containerStatuses"][0]["state"]

    assert controller.run_until(running, 600)
    follower = Follower(sim, name, "follow=true")
    try:
        controller.tick(6)
        lines = follower.ended()
        assert lines[0].endswith("INFO  starting crash version=v2-crash pid=1")
        assert any(line.startswith("panic: ") for line in lines) and lines[-1].endswith("main.go:31 +0x9e")
    finally:
        follower.close()


def test_follow_ends_when_the_pod_is_deleted(sim: Simulator, controller: Controller) -> None:
    sim.store.create("rollouts", rollout("doomed"))
    controller.tick(10)
    name = pod_of(sim, "doomed")
    follower = Follower(sim, name)
    try:
        time.sleep(0.2)
        sim.store.delete("rollouts", NS, "doomed")
        lines = follower.ended()
        assert lines[-2:] == [
            lines[-2][:24] + " INFO  received signal, shutting down signal=terminated",
            lines[-1][:24] + " INFO  server stopped connections_drained=true",
        ]
    finally:
        follower.close()


def test_a_failing_canary_logs_the_errors_its_analysis_measures(
    sim: Simulator, controller: Controller
) -> None:
    sim.store.create(
        "analysistemplates",
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "AnalysisTemplate",
            "metadata": {"name": "success-rate", "namespace": NS},
            "spec": {
                "metrics": [
                    {
                        "name": "success-rate",
                        "interval": "10s",
                        "successCondition": "result[0] >= 0.95",
                        "provider": {"prometheus": {"address": "http://prom", "query": "up"}},
                    }
                ]
            },
        },
    )
    # Paused before its analysis step: the canary's pods stay up while it is judged.
    steps = [
        {"setWeight": 50},
        {"pause": {}},
        {"analysis": {"templates": [{"templateName": "success-rate"}]}},
    ]
    sim.store.create(
        "rollouts",
        rollout(
            "shop",
            replicas=2,
            meta={"annotations": {"sim.rollout-tui.dev/analysis": "fail"}},
            strategy={"canary": {"steps": steps}},
        ),
    )
    controller.tick(20)
    sim.store.mutate(
        "rollouts",
        NS,
        "shop",
        lambda o: o["spec"]["template"]["spec"]["containers"][0].__setitem__("image", "demo:green"),
    )
    controller.tick(15)
    ro = sim.store.get("rollouts", NS, "shop")
    stable, canary = ro["status"]["stableRS"], ro["status"]["currentPodHash"]
    pods = {
        p["metadata"]["labels"]["rollouts-pod-template-hash"]: p["metadata"]["name"]
        for p in sim.store.list("pods", NS)[0]
        if p["metadata"]["labels"]["app"] == "shop"
    }
    sim.clock.advance(300)  # five minutes of traffic, without the controller aborting it yet
    core_log = Http(sim).request("GET", f"/api/v1/namespaces/{NS}/pods/{pods[canary]}/log")[2]
    stable_log = Http(sim).request("GET", f"/api/v1/namespaces/{NS}/pods/{pods[stable]}/log")[2]
    assert isinstance(core_log, str) and isinstance(stable_log, str)
    canary_errors = [ln for ln in core_log.splitlines() if " ERROR " in ln and "status=503" in ln]
    assert len(canary_errors) > 0.15 * len(core_log.splitlines())
    assert sum(" ERROR " in ln for ln in stable_log.splitlines()) < 0.02 * len(stable_log.splitlines()) + 2


def test_old_lines_rotate_away(sim: Simulator, controller: Controller) -> None:
    sim.store.create("rollouts", rollout("old-timer"))
    controller.tick(10)
    name = pod_of(sim, "old-timer")
    sim.clock.advance(3 * 86400)
    text = Http(sim).request("GET", f"/api/v1/namespaces/{NS}/pods/{name}/log")[2]
    assert isinstance(text, str)
    first = text.splitlines()[0][:19]
    assert first >= rfc3339(sim.clock.now() - timedelta(hours=2))[:19]  # the kubelet rotated the rest
    assert len(text) < 2_000_000


def test_follow_is_paced_on_a_running_clock() -> None:
    """A clock 20x faster than the wall: about 20 s of the app's log per real second, written as
    each line falls due (the follower sleeps until the next one, it does not poll for it)."""
    with Simulator(port=0, speed=20.0) as fast:
        fast.store.create("rollouts", rollout("paced"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pods = fast.store.list("pods", NS)[0]
            statuses = pods[0]["status"].get("containerStatuses") if pods else None
            if statuses and "running" in statuses[0]["state"]:
                break
            time.sleep(0.05)
        follower = Follower(fast, pods[0]["metadata"]["name"], "follow=true&tailLines=0")
        try:
            started = time.monotonic()
            got = follower.take(10, timeout=5)
            took = time.monotonic() - started
            assert all(isinstance(line, str) for line in got), got  # the stream did not end
            assert sum(" INFO  request " in str(line) for line in got) >= 6
            assert 0.05 < took < 3  # ~1.5 lines per simulated second, 20 simulated seconds per second
        finally:
            follower.close()
