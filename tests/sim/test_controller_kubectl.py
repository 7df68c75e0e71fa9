"""Real kubectl against the simulator with the controller on a manual clock: apply a manifest,
watch it become Healthy, change the image and drive the canary with the plugin's patches.

The controller is ticked by the test (no sleeping); kubectl talks to the server over HTTPS.
On CI (env CI set) a missing kubectl fails these tests (see tests/sim/conftest.py).
"""

from __future__ import annotations

import json

import pytest

from rollout_tui.sim import Simulator
from rollout_tui.sim.controller import Controller
from tests.fixtures.sets import MANIFESTS

from .conftest import Kubectl, ticked_simulator, walk_with_kubectl

NS = "ctl"


# A manual clock this module's controller ticks (instead of the frozen simulator of conftest).
sim = pytest.fixture(scope="module", name="sim")(ticked_simulator)


@pytest.fixture(scope="module")
def controller(sim: Simulator) -> Controller:
    return Controller(sim.store, sim.clock, strict=True)


def _get(kubectl: Kubectl, kind: str, name: str, path: str) -> str:
    return kubectl.ok("get", kind, name, "-n", NS, "-o", f"jsonpath={{{path}}}")


def test_apply_then_image_change_walks_the_canary(
    kubectl: Kubectl, controller: Controller, sim: Simulator
) -> None:
    kubectl.ok("create", "namespace", NS)
    kubectl.ok("apply", "-n", NS, "-f", str(MANIFESTS / "canary.yaml"))
    assert controller.run_until(
        lambda: (
            (sim.store.get("rollouts", NS, "rollout-canary").get("status") or {}).get("phase") == "Healthy"
        ),
        60,
    )
    assert _get(kubectl, "rollout", "rollout-canary", ".status.phase") == "Healthy"
    assert _get(kubectl, "rollout", "rollout-canary", ".status.availableReplicas") == "5"
    phases = kubectl.ok(
        "get", "pods", "-n", NS, "-l", "app=rollout-canary", "-o", "jsonpath={.items[*].status.phase}"
    ).split()
    assert phases == ["Running"] * 5

    kubectl.ok(
        "patch",
        "rollout",
        "rollout-canary",
        "-n",
        NS,
        "--type",
        "json",
        "-p",
        json.dumps(
            [
                {
                    "op": "replace",
                    "path": "/spec/template/spec/containers/0/image",
                    "value": "argoproj/rollouts-demo:yellow",
                }
            ]
        ),
    )
    controller.tick(15)
    assert _get(kubectl, "rollout", "rollout-canary", ".status.phase") == "Paused"
    assert _get(kubectl, "rollout", "rollout-canary", ".status.currentStepIndex") == "1"
    assert (
        _get(kubectl, "rollout", "rollout-canary", ".status.pauseConditions[0].reason") == "CanaryPauseStep"
    )
    replicasets = kubectl.ok("get", "rs", "-n", NS, "-l", "app=rollout-canary", "--no-headers").splitlines()
    assert len(replicasets) == 2

    # promote, exactly as the plugin: status subresource merge patch
    kubectl.ok(
        "patch",
        "rollout",
        "rollout-canary",
        "-n",
        NS,
        "--subresource",
        "status",
        "--type",
        "merge",
        "-p",
        '{"status":{"pauseConditions":null}}',
    )
    controller.tick(10)
    assert int(_get(kubectl, "rollout", "rollout-canary", ".status.currentStepIndex")) >= 3
    # abort, then retry
    kubectl.ok(
        "patch",
        "rollout",
        "rollout-canary",
        "-n",
        NS,
        "--subresource",
        "status",
        "--type",
        "merge",
        "-p",
        '{"status":{"abort":true}}',
    )
    controller.tick(2)
    assert _get(kubectl, "rollout", "rollout-canary", ".status.phase") == "Degraded"
    kubectl.ok(
        "patch",
        "rollout",
        "rollout-canary",
        "-n",
        NS,
        "--subresource",
        "status",
        "--type",
        "merge",
        "-p",
        '{"status":{"abort":false}}',
    )
    controller.tick(15)
    assert _get(kubectl, "rollout", "rollout-canary", ".status.phase") == "Paused"
    events = kubectl.ok(
        "get",
        "events",
        "-n",
        NS,
        "--field-selector",
        "involvedObject.name=rollout-canary,reason=RolloutStepCompleted",
        "-o",
        "jsonpath={.items[*].message}",
    )
    assert "Rollout step 1/8 completed (setWeight: 20)" in events


def test_manifests_with_analysis_experiment_and_blue_green_become_healthy(
    kubectl: Kubectl, controller: Controller, sim: Simulator
) -> None:
    manifests = ("analysis-templates.yaml", "cluster-analysis-templates.yaml", "analysis-step.yaml")
    files = [MANIFESTS / m for m in (*manifests, "experiment-step.yaml", "bluegreen.yaml")]
    names = ("rollout-analysis-step", "rollout-experiment-step", "rollout-bluegreen")
    walk_with_kubectl(kubectl, controller, sim, NS, files, names)
    runs = kubectl.ok("get", "analysisruns", "-n", NS, "--no-headers").splitlines()
    assert any(line.startswith("rollout-analysis-step-") for line in runs)
    assert kubectl.ok("get", "experiments", "-n", NS, "--no-headers").strip()


def test_kubectl_set_image_on_the_referenced_deployment_starts_a_revision(
    kubectl: Kubectl, controller: Controller, sim: Simulator
) -> None:
    """A workloadRef rollout is updated through its Deployment (what `set image` and `undo` do for
    one), and kubectl sees the rollout follow it."""
    ns = "wlref"
    kubectl.ok("create", "namespace", ns)
    labels = {"app": "api"}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api", "namespace": ns},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "demo", "image": "demo:blue"}]},
            },
        },
    }
    kubectl.ok("apply", "-f", "-", stdin=json.dumps(deployment))
    rollout = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": "api", "namespace": ns},
        "spec": {
            "replicas": 2,
            "workloadRef": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": "api",
                "scaleDown": "onsuccess",
            },
            "strategy": {"canary": {"steps": [{"setWeight": 50}, {"pause": {}}]}},
        },
    }
    kubectl.ok("apply", "-f", "-", stdin=json.dumps(rollout))

    def phase() -> str:
        return (sim.store.get("rollouts", ns, "api").get("status") or {}).get("phase", "")

    assert controller.run_until(lambda: phase() == "Healthy", 60)
    assert controller.run_until(
        lambda: kubectl.ok("get", "deploy", "api", "-n", ns, "-o", "jsonpath={.spec.replicas}") == "0", 30
    )
    kubectl.ok("set", "image", "deployment/api", "demo=demo:green", "-n", ns)
    assert controller.run_until(lambda: phase() == "Paused", 60)
    out = kubectl.ok("get", "rollout", "api", "-n", ns, "-o", "jsonpath={.metadata.annotations}")
    annotations = json.loads(out)
    assert annotations["rollout.argoproj.io/revision"] == "2"
    assert annotations["rollout.argoproj.io/workload-generation"] == kubectl.ok(
        "get", "deploy", "api", "-n", ns, "-o", "jsonpath={.metadata.generation}"
    )
    assert "template" not in sim.store.get("rollouts", ns, "api")["spec"]
