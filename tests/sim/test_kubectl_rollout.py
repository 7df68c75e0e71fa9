"""kubectl + the simulated controller: an example applied with kubectl becomes Healthy, and a
changed image walks through the canary steps, promoted with the plugin's exact patch.

The controller runs on a manual SimClock driven from the test (no sleeping); kubectl talks to
the same store over HTTPS.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rollout_tui.sim import Simulator
from tests.fixtures.sets import MANIFESTS

from .conftest import Kubectl, require_kubectl

EXAMPLE = MANIFESTS / "canary.yaml"
NS, NAME = "canary", "rollout-canary"


@pytest.fixture(scope="module")
def live(no_crds: Path) -> Iterator[tuple[Simulator, Any]]:
    from rollout_tui.sim.clock import SimClock
    from rollout_tui.sim.controller import Controller

    clock = SimClock.manual()
    with Simulator(controller=False, clock=clock, crds=no_crds) as sim:
        yield sim, Controller(sim.store, clock)


@pytest.fixture
def kubectl(live: tuple[Simulator, Any], tmp_path: Path) -> Kubectl:
    sim, _ = live
    return Kubectl(require_kubectl(), sim.write_kubeconfig(tmp_path / "config"), tmp_path / "cache")


def test_applied_example_becomes_healthy_and_a_new_image_walks_the_steps(
    live: tuple[Simulator, Any], kubectl: Kubectl
) -> None:
    sim, controller = live

    def status() -> dict[str, Any]:
        return sim.store.get("rollouts", NS, NAME).get("status") or {}

    kubectl.ok("apply", "-n", NS, "-f", str(EXAMPLE))
    assert controller.run_until(lambda: status().get("phase") == "Healthy", 120)
    assert kubectl.ok("get", "ro", NAME, "-n", NS, "-o", "jsonpath={.status.phase}") == "Healthy"
    pods = kubectl.ok("get", "pods", "-n", NS, "-l", "app=rollout-canary", "-o", "name").split()
    assert len(pods) == 5
    stable = status()["stableRS"]

    steps_seen: list[int] = []

    def record(event_type: str, plural: str, obj: dict[str, Any]) -> None:
        index = (obj.get("status") or {}).get("currentStepIndex")
        if (
            plural == "rollouts"
            and obj["metadata"]["name"] == NAME
            and index is not None
            and (not steps_seen or steps_seen[-1] != index)
        ):
            steps_seen.append(index)

    sim.store.add_listener(record)
    try:
        text = EXAMPLE.read_text().replace("rollouts-demo:blue", "rollouts-demo:yellow")
        assert kubectl.ok("apply", "-n", NS, "-f", "-", stdin=text).strip() == (
            "rollout.argoproj.io/rollout-canary configured"
        )
        # setWeight 20, then the indefinite pause at step 1.
        assert controller.run_until(lambda: status().get("phase") == "Paused", 120)
        assert status()["currentStepIndex"] == 1
        assert status()["pauseConditions"][0]["reason"] == "CanaryPauseStep"
        rs = json.loads(kubectl.ok("get", "rs", "-n", NS, "-o", "json"))["items"]
        assert len(rs) == 2
        # `kubectl argo rollouts promote` at a pause step: this status patch, nothing else.
        kubectl.ok(
            "patch",
            "ro",
            NAME,
            "-n",
            NS,
            "--subresource",
            "status",
            "--type",
            "merge",
            "-p",
            '{"status":{"pauseConditions":null}}',
        )
        assert controller.run_until(lambda: status().get("phase") == "Healthy", 600)
    finally:
        sim.store.remove_listener(record)
    final = status()
    assert final["stableRS"] == final["currentPodHash"] != stable
    walk = steps_seen[steps_seen.index(0) :]  # from the new revision's first step
    assert walk == sorted(walk) and walk[-1] == 8 and {1, 2, 3, 4, 5, 6, 7} <= set(walk)
    image = kubectl.ok(
        "get", "ro", NAME, "-n", NS, "-o", "jsonpath={.spec.template.spec.containers[0].image}"
    )
    assert image == "argoproj/rollouts-demo:yellow"
