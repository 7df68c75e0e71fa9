"""`kubectl argo rollouts terminate analysisrun|experiment` sends a merge patch
{"spec":{"terminate":true}}; the simulated controller honours it as the real one does: no further
measurements, the run ends Successful with "Run Terminated" (unless a metric had already failed),
an experiment ends Successful with its templates scaled down and its runs terminated, and the
rollout step waiting on either carries on. Over real HTTPS with the kubernetes client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kubernetes import client, config

from rollout_tui.sim import Simulator
from rollout_tui.sim.controller import Controller

from .conftest import ticked_simulator

NS = "term"
GROUP, VERSION = "argoproj.io", "v1alpha1"
TEMPLATE = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "AnalysisTemplate",
    "metadata": {"name": "forever", "namespace": NS},
    "spec": {
        "metrics": [
            {
                "name": "success-rate",
                "interval": "10s",  # no count: measures until terminated
                "successCondition": "result[0] >= 0.95",
                "provider": {"prometheus": {"address": "http://prom", "query": "up"}},
            }
        ]
    },
}


def rollout(name: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": "demo:blue"}]},
            },
            "strategy": {"canary": {"steps": steps}},
        },
    }


# A manual clock this module's controller ticks (instead of the frozen simulator of conftest).
sim = pytest.fixture(scope="module", name="sim")(ticked_simulator)


@pytest.fixture(scope="module")
def controller(sim: Simulator) -> Controller:
    sim.store.create("analysistemplates", TEMPLATE)
    return Controller(sim.store, sim.clock, strict=True)


@pytest.fixture(scope="module")
def custom(kubeconfig: Path) -> Iterator[client.CustomObjectsApi]:
    api = config.new_client_from_config(str(kubeconfig))
    yield client.CustomObjectsApi(api)
    api.close()


def terminate(custom: client.CustomObjectsApi, plural: str, name: str) -> None:
    """What the plugin's terminate sends (pkg/kubectl-argo-rollouts/cmd/terminate/terminate.go)."""
    custom.patch_namespaced_custom_object(
        GROUP,
        VERSION,
        NS,
        plural,
        name,
        {"spec": {"terminate": True}},
        _content_type="application/merge-patch+json",
    )


def start(sim: Simulator, controller: Controller, name: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    sim.store.create("rollouts", rollout(name, steps))
    assert controller.run_until(
        lambda: sim.store.get("rollouts", NS, name)["status"].get("phase") == "Healthy", 60
    )
    sim.store.mutate(
        "rollouts",
        NS,
        name,
        lambda o: o["spec"]["template"]["spec"]["containers"][0].__setitem__("image", "demo:green"),
    )
    controller.tick(45)
    return sim.store.get("rollouts", NS, name)


def test_terminating_a_step_run_lets_the_rollout_carry_on(
    sim: Simulator, controller: Controller, custom: client.CustomObjectsApi
) -> None:
    steps = [{"setWeight": 50}, {"analysis": {"templates": [{"templateName": "forever"}]}}, {"pause": {}}]
    ro = start(sim, controller, "web", steps)
    ref = ro["status"]["canary"]["currentStepAnalysisRunStatus"]
    run = custom.get_namespaced_custom_object(GROUP, VERSION, NS, "analysisruns", ref["name"])
    assert run["status"]["phase"] == "Running"
    taken = run["status"]["metricResults"][0]["count"]
    terminate(custom, "analysisruns", ref["name"])
    controller.tick(60)
    run = custom.get_namespaced_custom_object(GROUP, VERSION, NS, "analysisruns", ref["name"])
    assert run["spec"]["terminate"] is True
    assert (run["status"]["phase"], run["status"]["message"]) == ("Successful", "Run Terminated")
    assert run["status"]["metricResults"][0]["count"] == taken  # nothing measured after the patch
    status = sim.store.get("rollouts", NS, "web")["status"]
    assert status["currentStepIndex"] == 2 and status["phase"] == "Paused"  # past the analysis step


def test_terminating_an_experiment_ends_it_successfully(
    sim: Simulator, controller: Controller, custom: client.CustomObjectsApi
) -> None:
    steps = [
        {
            "experiment": {
                "templates": [{"name": "canary", "specRef": "canary"}],
                "analyses": [{"name": "rate", "templateName": "forever"}],
            }
        },
        {"pause": {}},
    ]
    ro = start(sim, controller, "exp", steps)
    name = ro["status"]["canary"]["currentExperiment"]
    exp = custom.get_namespaced_custom_object(GROUP, VERSION, NS, "experiments", name)
    assert exp["status"]["phase"] == "Running"
    terminate(custom, "experiments", name)
    controller.tick(20)
    exp = custom.get_namespaced_custom_object(GROUP, VERSION, NS, "experiments", name)
    assert exp["status"]["phase"] == "Successful" and "message" not in exp["status"]
    assert [t["status"] for t in exp["status"]["templateStatuses"]] == ["Successful"]
    run = custom.get_namespaced_custom_object(GROUP, VERSION, NS, "analysisruns", f"{name}-rate")
    assert run["spec"]["terminate"] is True and run["status"]["phase"] == "Successful"
    rs = sim.store.get("replicasets", NS, f"{name}-canary")
    assert rs["spec"]["replicas"] == 0
    status = sim.store.get("rollouts", NS, "exp")["status"]
    assert status["currentStepIndex"] == 1 and status["phase"] == "Paused"


def test_a_failed_metric_stays_failed_when_terminated(
    sim: Simulator, controller: Controller, custom: client.CustomObjectsApi
) -> None:
    run = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AnalysisRun",
        "metadata": {"name": "bad", "namespace": NS, "annotations": {"sim.rollout-tui.dev/analysis": "fail"}},
        "spec": {"metrics": TEMPLATE["spec"]["metrics"]},
    }
    custom.create_namespaced_custom_object(GROUP, VERSION, NS, "analysisruns", run)
    controller.tick(12)
    assert (
        custom.get_namespaced_custom_object(GROUP, VERSION, NS, "analysisruns", "bad")["status"]["phase"]
        == "Failed"
    )
    terminate(custom, "analysisruns", "bad")
    controller.tick(1)
    status = custom.get_namespaced_custom_object(GROUP, VERSION, NS, "analysisruns", "bad")["status"]
    assert status["phase"] == "Failed"  # a completed run is not reopened
