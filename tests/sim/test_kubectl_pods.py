"""Real kubectl on the simulated kubelet's pods: logs (tail, timestamps, -c, --previous, -f),
the pods' events and `describe pod`. The controller runs on a manual clock the tests tick.

On CI (env CI set) a missing kubectl fails these tests (see tests/sim/conftest.py).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from rollout_tui.sim import Simulator
from rollout_tui.sim.controller import Controller

from .conftest import Http, Kubectl, ticked_simulator

NS = "kubelet"


def rollout(name: str, containers: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}},
            "strategy": {"canary": {}},
        },
    }


# A manual clock this module's controller ticks (instead of the frozen simulator of conftest).
sim = pytest.fixture(scope="module", name="sim")(ticked_simulator)


@pytest.fixture(scope="module")
def controller(sim: Simulator) -> Controller:
    ctl = Controller(sim.store, sim.clock, strict=True)
    sim.store.create("rollouts", rollout("web", [{"name": "web", "image": "demo:blue"}]))
    sim.store.create("rollouts", rollout("crash", [{"name": "crash", "image": "demo:v2-crash"}]))
    sim.store.create("rollouts", rollout("pull", [{"name": "pull", "image": "demo:does-not-exist"}]))
    sim.store.create(
        "rollouts",
        rollout("duo", [{"name": "app", "image": "demo:blue"}, {"name": "proxy", "image": "envoy:v1"}]),
    )
    ctl.tick(40)
    return ctl


def pod_of(sim: Simulator, app: str) -> str:
    [pod] = [p for p in sim.store.list("pods", NS)[0] if p["metadata"]["labels"]["app"] == app]
    return str(pod["metadata"]["name"])


def api_log(sim: Simulator, pod: str, query: str = "") -> str:
    status, _headers, body = Http(sim).request("GET", f"/api/v1/namespaces/{NS}/pods/{pod}/log?{query}")
    assert status == 200 and isinstance(body, str)
    return body


def test_logs_tail_and_timestamps(sim: Simulator, controller: Controller, kubectl: Kubectl) -> None:
    name = pod_of(sim, "web")
    assert kubectl.ok("logs", name, "-n", NS, "--tail=3") == api_log(sim, name, "tailLines=3")
    stamped = kubectl.ok("logs", name, "-n", NS, "--tail=1", "--timestamps")
    assert stamped == api_log(sim, name, "tailLines=1&timestamps=true")
    assert stamped.split(" ", 1)[1] == api_log(sim, name, "tailLines=1")


def test_logs_of_one_container_and_the_default_one(
    sim: Simulator, controller: Controller, kubectl: Kubectl
) -> None:
    name = pod_of(sim, "duo")
    assert kubectl.ok("logs", name, "-n", NS, "-c", "proxy", "--tail=2") == api_log(
        sim, name, "container=proxy&tailLines=2"
    )
    result = kubectl.run("logs", name, "-n", NS, "--tail=1")
    assert result.returncode == 0 and 'Defaulted container "app" out of: app, proxy' in result.stderr
    # kubectl checks the name itself (the server's answer is in test_pod_logs.py).
    assert (
        kubectl.fails("logs", name, "-n", NS, "-c", "sidecar")
        == f"error: container sidecar is not valid for pod {name}"
    )


def test_logs_previous_shows_the_crash(sim: Simulator, controller: Controller, kubectl: Kubectl) -> None:
    name = pod_of(sim, "crash")
    previous = kubectl.ok("logs", name, "-n", NS, "--previous")
    assert (
        "INFO  starting crash" in previous and "panic: " in previous and "goroutine 1 [running]:" in previous
    )
    web = pod_of(sim, "web")
    assert kubectl.fails("logs", web, "-n", NS, "-p") == (
        f'Error from server (BadRequest): previous terminated container "web" in pod "{web}" not found'
    )
    pull = pod_of(sim, "pull")
    assert kubectl.fails("logs", pull, "-n", NS) == (
        f'Error from server (BadRequest): container "pull" in pod "{pull}" is waiting to start: '
        "trying and failing to pull image"
    )


def test_logs_follow(sim: Simulator, controller: Controller, kubectl: Kubectl) -> None:
    name = pod_of(sim, "web")
    stream = kubectl.stream("logs", "-f", name, "-n", NS, "--tail=1")
    try:
        last = api_log(sim, name, "tailLines=1").rstrip("\n")
        stream.wait_for(lambda line: line == last)
        time.sleep(0.3)
        controller.tick(10)
        lines = stream.wait_for(lambda line: " INFO  request " in line)
        assert lines
        sim.store.delete("pods", NS, name)
        stream.wait_for(lambda line: "server stopped" in line)
        assert stream.proc.wait(timeout=10) == 0  # the stream ended with the pod
    finally:
        stream.close()
        controller.tick(10)  # the ReplicaSet replaces the pod for the tests that follow


def test_pod_events_and_describe(sim: Simulator, controller: Controller, kubectl: Kubectl) -> None:
    name = pod_of(sim, "crash")
    events = kubectl.ok("get", "events", "-n", NS, "--field-selector", f"involvedObject.name={name}")
    for expected in (
        "Scheduled",
        "Pulling",
        "Pulled",
        "Created",
        "Started",
        f"Back-off restarting failed container crash in pod {name}_{NS}(",
        f"Successfully assigned {NS}/{name} to sim-node-",
    ):
        assert expected in events, events
    described = kubectl.ok("describe", "pod", name, "-n", NS)
    assert "Last State:     Terminated" in described
    assert "Reason:       Error" in described and "Exit Code:    2" in described
    assert "Restart Count:  " in described
    events_part = described.split("Events:", 1)[1]
    assert "default-scheduler  Successfully assigned" in events_part
    assert "kubelet            Back-off restarting failed container crash" in events_part
    pull = kubectl.ok("describe", "pod", pod_of(sim, "pull"), "-n", NS)
    assert "Reason:       ImagePullBackOff" in pull and "Error: ErrImagePull" in pull
