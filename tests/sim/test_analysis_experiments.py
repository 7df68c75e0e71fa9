"""Experiments: template ReplicaSets, their AnalysisRuns, duration, phase, and the experiment step."""

from __future__ import annotations

import yaml

from rollout_tui.sim.controller.harness import Harness
from tests.fixtures.sets import MANIFESTS

MODE = "sim.rollout-tui.dev/analysis"


def _exp(h: Harness, name: str) -> dict:
    return h.store.get("experiments", "default", name)


def test_standalone_experiment_with_two_analyses() -> None:
    h = Harness()
    h.apply(MANIFESTS / "analysis-templates.yaml")
    h.apply(MANIFESTS / "experiment.yaml")
    name = "checkout-comparison"
    assert _exp(h, name)["status"]["phase"] == "Pending"
    rs_names = {rs["metadata"]["name"] for rs in h.store.list("replicasets", "default")[0]}
    assert rs_names == {f"{name}-baseline", f"{name}-candidate"}
    rs = h.store.get("replicasets", "default", f"{name}-candidate")
    assert rs["metadata"]["annotations"]["experiment.argoproj.io/template-name"] == "candidate"
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Experiment"
    assert rs["spec"]["template"]["spec"]["containers"][0]["image"] == "argoproj/rollouts-demo:green"
    assert h.run_until(lambda: _exp(h, name)["status"].get("phase") == "Running", 30)
    status = _exp(h, name)["status"]
    assert status["availableAt"]
    assert {t["name"]: t["status"] for t in status["templateStatuses"]} == {
        "baseline": "Running",
        "candidate": "Running",
    }
    assert {r["analysisRun"] for r in status["analysisRuns"]} == {
        f"{name}-smoke-test",
        f"{name}-success-rate",
    }
    run = h.store.get("analysisruns", "default", f"{name}-success-rate")
    assert {"name": "service", "value": "checkout-candidate"} in run["spec"]["args"]
    assert h.run_until(lambda: _exp(h, name)["status"]["phase"] == "Successful", 60)
    h.tick(1)
    assert all(rs["spec"]["replicas"] == 0 for rs in h.store.list("replicasets", "default")[0])


def test_duration_ends_an_experiment() -> None:
    h = Harness()
    h.apply(
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Experiment",
            "metadata": {"name": "exp"},
            "spec": {
                "duration": "60s",
                "templates": [
                    {
                        "name": "a",
                        "replicas": 2,
                        "selector": {"matchLabels": {"app": "a"}},
                        "template": {
                            "metadata": {"labels": {"app": "a"}},
                            "spec": {"containers": [{"name": "a", "image": "demo:blue"}]},
                        },
                    }
                ],
            },
        }
    )
    assert h.run_until(lambda: _exp(h, "exp")["status"].get("phase") == "Running", 30)
    h.tick(50)
    assert _exp(h, "exp")["status"]["phase"] == "Running"
    h.tick(15)
    assert _exp(h, "exp")["status"]["phase"] == "Successful"


def _experiment_rollout(mode: str | None = None) -> list[dict]:
    docs = [d for d in yaml.safe_load_all((MANIFESTS / "experiment-step.yaml").read_text()) if d]
    if mode:
        docs[0]["metadata"]["annotations"] = {MODE: mode}
    return docs


def test_experiment_step_walks_to_healthy_after_its_duration() -> None:
    h = Harness()
    h.apply(MANIFESTS / "analysis-templates.yaml")
    h.apply(_experiment_rollout())
    name = "rollout-experiment-step"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 30)
    h.set_image(name, "argoproj/rollouts-demo:yellow")
    digest = h.status(name)["currentPodHash"]
    exp_name = f"{name}-{digest}-2-1"
    assert h.run_until(lambda: h.status(name).get("canary", {}).get("currentExperiment") == exp_name, 30)
    exp = _exp(h, exp_name)
    assert exp["metadata"]["ownerReferences"][0]["name"] == name
    assert exp["spec"]["duration"] == "1m"
    assert (
        exp["spec"]["templates"][0]["template"]["spec"]["containers"][0]["image"]
        == "argoproj/rollouts-demo:yellow"
    )
    assert h.run_until(lambda: h.store.count("analysisruns") == 1, 30)
    assert h.analysis_runs()[0]["metadata"]["name"] == f"{exp_name}-smoke-test"
    rs = h.store.get("replicasets", "default", f"{exp_name}-canary")
    assert rs["spec"]["template"]["spec"]["containers"][0]["image"] == "argoproj/rollouts-demo:yellow"
    h.tick(45)  # the smoke test passed long ago, but the experiment runs for its minute
    assert h.phase(name) != "Healthy" and _exp(h, exp_name)["status"]["phase"] == "Running"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    assert _exp(h, exp_name)["status"]["phase"] == "Successful"
    assert any(
        e["message"] == "Rollout step 2/2 completed (experiment)" for e in h.events("RolloutStepCompleted")
    )


def test_failed_experiment_aborts_the_rollout() -> None:
    h = Harness()
    h.apply(MANIFESTS / "analysis-templates.yaml")
    h.apply(_experiment_rollout(mode="fail"))
    name = "rollout-experiment-step"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 30)
    h.set_image(name, "argoproj/rollouts-demo:yellow")
    assert h.run_until(lambda: h.phase(name) == "Degraded", 60)
    assert h.status(name)["abort"] is True
    assert "RolloutAborted: Rollout aborted update to revision 2: Experiment" in h.message(name)
    exp = _exp(h, h.status(name)["canary"]["currentExperiment"])
    assert exp["status"]["phase"] == "Failed"
