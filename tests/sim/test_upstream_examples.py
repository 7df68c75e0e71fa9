"""Upstream conformance of the simulated controller: the Argo Rollouts examples walk as upstream
documents them, and the plugin's testdata (real-world objects with 2019 timestamps, repeated uids
and odd specs) settles without errors (../shared, see require_upstream in tests/conftest.py:
skipped without it, failed on CI). Behaviour is tested on our own manifests elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rollout_tui.model.status import rollout_status
from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller import Controller
from rollout_tui.sim.controller.harness import Harness
from rollout_tui.sim.loader import seed
from rollout_tui.sim.store import Store
from tests.conftest import EXAMPLES, INFO_TESTDATA

pytestmark = pytest.mark.usefixtures("fixtures_dir")
MODE = "sim.rollout-tui.dev/analysis"


def _docs(example: str) -> list[dict]:
    return [d for d in yaml.safe_load_all((EXAMPLES / example).read_text()) if d]


def _apply(h: Harness, *examples: str | Path) -> None:
    for example in examples:
        h.apply(EXAMPLES / example)


def test_canary_example_waits_at_its_indefinite_pause_then_walks_to_healthy() -> None:
    h = Harness()
    _apply(h, "rollout-canary.yaml")
    name = "rollout-canary"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    h.set_image(name, "argoproj/rollouts-demo:yellow")
    h.tick(300)
    assert (h.phase(name), h.status(name)["currentStepIndex"]) == ("Paused", 1)
    h.promote(name)
    assert h.run_until(lambda: h.phase(name) == "Healthy", 300)
    completed = [e["message"] for e in h.events("RolloutStepCompleted")]
    assert "Rollout step 4/8 completed (pause: 40s)" in completed
    assert "Rollout step 8/8 completed (pause: 20s)" in completed


def test_bluegreen_example_waits_for_promotion() -> None:
    h = Harness()
    h.apply(_docs("rollout-bluegreen.yaml"))
    name = "rollout-bluegreen"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    h.set_image(name, "argoproj/rollouts-demo:green")
    assert h.run_until(lambda: h.phase(name) == "Paused", 30)
    h.tick(600)
    assert h.message(name) == "BlueGreenPause"
    h.promote(name)
    assert h.run_until(lambda: h.phase(name) == "Healthy", 30)


def test_standalone_experiment_from_the_example() -> None:
    h = Harness()
    _apply(h, "analysis-templates.yaml", "experiment-with-analysis.yaml")
    name = "experiment-with-analysis"
    rs_names = {rs["metadata"]["name"] for rs in h.store.list("replicasets", "default")[0]}
    assert rs_names == {f"{name}-purple", f"{name}-orange"}
    assert h.run_until(
        lambda: h.store.get("experiments", "default", name)["status"].get("phase") == "Running", 30
    )
    status = h.store.get("experiments", "default", name)["status"]
    assert {r["analysisRun"] for r in status["analysisRuns"]} == {f"{name}-random-fail", f"{name}-pass"}
    assert h.run_until(
        lambda: h.store.get("experiments", "default", name)["status"]["phase"] == "Successful", 60
    )


def test_experiment_step_from_the_example_walks_to_healthy() -> None:
    h = Harness()
    _apply(h, "analysis-templates.yaml", "rollout-experiment-step.yaml")
    name = "rollout-experiment-step"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 30)
    h.set_image(name, "argoproj/rollouts-demo:yellow")
    exp_name = f"{name}-{h.status(name)['currentPodHash']}-2-1"
    assert h.run_until(lambda: h.status(name).get("canary", {}).get("currentExperiment") == exp_name, 30)
    assert h.run_until(lambda: h.store.count("analysisruns") == 1, 30)
    assert h.analysis_runs()[0]["metadata"]["name"] == f"{exp_name}-random-fail"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    assert h.store.get("experiments", "default", exp_name)["status"]["phase"] == "Successful"


def test_background_analysis_from_the_example_aborts_on_failure() -> None:
    h = Harness()
    _apply(h, "analysis-templates.yaml")
    docs = _docs("rollout-background-analysis.yaml")
    docs[0]["metadata"]["annotations"] = {MODE: "fail"}
    h.apply(docs)
    name = "rollout-background-analysis"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 30)
    h.set_image(name, "argoproj/rollouts-demo:yellow")
    digest = h.status(name)["currentPodHash"]
    assert h.run_until(lambda: h.phase(name) == "Degraded", 60)
    ref = h.status(name)["canary"]["currentBackgroundAnalysisRunStatus"]
    assert ref["name"] == f"{name}-{digest}-2" and ref["status"] == "Failed"


def test_analysis_step_example_with_cluster_template_walks_to_healthy() -> None:
    h = Harness()
    _apply(h, "analysis-templates.yaml", "cluster-analysis-templates.yaml", "rollout-analysis-step.yaml")
    name = "rollout-analysis-step"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    h.set_image(name, "argoproj/rollouts-demo:yellow")
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    [run] = h.analysis_runs()
    assert [m["name"] for m in run["spec"]["metrics"]] == ["random-fail", "pass"]
    assert run["status"]["phase"] == "Successful"


def test_testdata_settles_without_errors() -> None:
    clock = SimClock.manual()
    store = Store(clock=clock)
    assert seed(store, [INFO_TESTDATA], []) > 40
    controller = Controller(store, clock, strict=True)
    assert controller.drain(max_steps=5000) < 5000
    controller.tick(300)
    rv = store.resource_version
    controller.tick(5)
    assert store.resource_version == rv  # quiet
    statuses = {r["metadata"]["name"]: rollout_status(r) for r in store.list("rollouts")[0]}
    assert statuses["rollout-invalid"][0] == "Degraded"
    assert statuses["rollout-invalid"][1].startswith("InvalidSpec: ")
    assert statuses["bluegreen-demo"] == ("Paused", "BlueGreenPause")
    for name, (status, _message) in statuses.items():
        assert status in ("Healthy", "Degraded", "Paused", "Progressing"), name
    # Rollouts sharing a uid in the fixtures do not steal each other's ReplicaSets.
    for rs in store.list("replicasets", "jesse-test")[0]:
        owner = rs["metadata"]["ownerReferences"][0]["name"]
        assert rs["metadata"]["name"].startswith(owner) or owner == "canary-demo"


def test_testdata_replicasets_of_old_api_groups_keep_their_owner_links() -> None:
    store = Store()
    assert seed(store, [INFO_TESTDATA / "canary"]) > 0
    rollout = store.get("rollouts", "jesse-test", "canary-demo")
    owned = [
        rs
        for rs in store.list("replicasets", "jesse-test")[0]
        if any(
            ref.get("uid") == rollout["metadata"]["uid"] for ref in rs["metadata"].get("ownerReferences", [])
        )
    ]
    assert owned and all(
        rs["apiVersion"] == "apps/v1" for rs in owned
    )  # extensions/v1beta1 served as apps/v1
