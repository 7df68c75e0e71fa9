"""Blue-green on the simulated controller: preview and active services, BlueGreenPause, promotion,
pre/post-promotion analysis, auto-promotion, scale-down delay, abort."""

from __future__ import annotations

import copy

import pytest
import yaml

from rollout_tui.sim.controller.harness import Harness
from tests.fixtures.sets import MANIFESTS

NAME = "rollout-bluegreen"
HASH = "rollouts-pod-template-hash"


def _example(**blue_green: object) -> list[dict]:
    docs = [d for d in yaml.safe_load_all((MANIFESTS / "bluegreen.yaml").read_text()) if d]
    for doc in docs:
        if doc["kind"] == "Rollout":
            doc["spec"]["strategy"]["blueGreen"].update(copy.deepcopy(blue_green))
    return docs


def _selector(h: Harness, service: str) -> str | None:
    return h.store.get("services", "default", service)["spec"]["selector"].get(HASH)


def _templates(h: Harness, *, pass_: bool = True) -> None:
    mode = "pass" if pass_ else "fail"
    h.apply(
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "AnalysisTemplate",
            "metadata": {"name": "smoke", "annotations": {"sim.rollout-tui.dev/analysis": mode}},
            "spec": {
                "metrics": [
                    {
                        "name": "success-rate",
                        "interval": "5s",
                        "count": 2,
                        "successCondition": "result[0] >= 0.95",
                        "provider": {"prometheus": {"query": "up"}},
                    }
                ]
            },
        }
    )


@pytest.fixture
def h() -> Harness:
    harness = Harness()
    harness.apply(_example())
    assert harness.run_until(lambda: harness.phase(NAME) == "Healthy", 60)
    return harness


def test_initial_deploy_points_both_services_at_the_first_replicaset(h: Harness) -> None:
    status = h.status(NAME)
    digest = status["currentPodHash"]
    assert status["blueGreen"]["activeSelector"] == digest
    assert status["blueGreen"]["previewSelector"] == digest
    assert status["stableRS"] == digest
    assert status["selector"] == f"app={NAME},{HASH}={digest}"
    assert _selector(h, "rollout-bluegreen-active") == digest
    assert _selector(h, "rollout-bluegreen-preview") == digest
    svc = h.store.get("services", "default", "rollout-bluegreen-active")
    assert svc["metadata"]["annotations"]["argo-rollouts.argoproj.io/managed-by-rollouts"] == NAME


def test_update_waits_for_promotion_then_switches_and_scales_down_after_the_delay(h: Harness) -> None:
    old_hash = h.status(NAME)["currentPodHash"]
    h.set_image(NAME, "argoproj/rollouts-demo:green")
    new_hash = h.status(NAME)["currentPodHash"]
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 30)
    status = h.status(NAME)
    assert h.message(NAME) == "BlueGreenPause"
    assert status["blueGreen"]["previewSelector"] == new_hash
    assert status["blueGreen"]["activeSelector"] == old_hash
    assert _selector(h, "rollout-bluegreen-preview") == new_hash
    assert _selector(h, "rollout-bluegreen-active") == old_hash
    assert status["availableReplicas"] == 2 and status["replicas"] == 4
    h.tick(600)
    assert h.phase(NAME) == "Paused"  # autoPromotionEnabled: false waits for an operator
    h.promote(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 10)
    status = h.status(NAME)
    assert status["blueGreen"]["activeSelector"] == new_hash and status["stableRS"] == new_hash
    assert _selector(h, "rollout-bluegreen-active") == new_hash
    old_rs = h.rs_for_hash(NAME, old_hash)
    deadline = old_rs["metadata"]["annotations"]["scale-down-deadline"]
    assert old_rs["spec"]["replicas"] == 2
    h.tick(25)
    assert h.rs_for_hash(NAME, old_hash)["spec"]["replicas"] == 2
    h.tick(10)
    old_rs = h.rs_for_hash(NAME, old_hash)
    assert old_rs["spec"]["replicas"] == 0 and "scale-down-deadline" not in old_rs["metadata"]["annotations"]
    assert deadline  # was an RFC 3339 time 30 s (default scaleDownDelaySeconds) after the switch
    assert f"Switched selector for service 'rollout-bluegreen-active' from '{old_hash}' to '{new_hash}'" in [
        e["message"] for e in h.events("SwitchService")
    ]


def test_auto_promotion_seconds() -> None:
    h = Harness()
    h.apply(_example(autoPromotionEnabled=True, autoPromotionSeconds=20))
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    h.set_image(NAME, "argoproj/rollouts-demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 30)
    h.tick(15)
    assert h.phase(NAME) == "Paused"
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 10)
    assert h.status(NAME)["blueGreen"]["activeSelector"] == h.status(NAME)["currentPodHash"]


def test_pre_promotion_analysis_gates_and_its_failure_aborts() -> None:
    h = Harness()
    _templates(h, pass_=False)
    h.apply(
        _example(autoPromotionEnabled=True, prePromotionAnalysis={"templates": [{"templateName": "smoke"}]})
    )
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    old_hash = h.status(NAME)["currentPodHash"]
    h.set_image(NAME, "argoproj/rollouts-demo:green")
    new_hash = h.status(NAME)["currentPodHash"]
    assert h.run_until(lambda: "prePromotionAnalysisRunStatus" in h.status(NAME).get("blueGreen", {}), 30)
    ref = h.status(NAME)["blueGreen"]["prePromotionAnalysisRunStatus"]
    assert ref["name"] == f"{NAME}-{new_hash}-2-pre"
    run = h.store.get("analysisruns", "default", ref["name"])
    assert run["metadata"]["labels"]["rollout-type"] == "PrePromotion"
    assert h.run_until(lambda: h.phase(NAME) == "Degraded", 60)
    status = h.status(NAME)
    assert status["abort"] is True
    assert status["blueGreen"]["activeSelector"] == old_hash
    assert h.message(NAME).startswith(
        'RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate"'
    )
    h.tick(31)
    assert h.rs_for_hash(NAME, new_hash)["spec"]["replicas"] == 0  # abortScaleDownDelaySeconds (30)


def test_post_promotion_analysis_runs_after_the_switch() -> None:
    h = Harness()
    _templates(h, pass_=True)
    h.apply(
        _example(autoPromotionEnabled=True, postPromotionAnalysis={"templates": [{"templateName": "smoke"}]})
    )
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    h.set_image(NAME, "argoproj/rollouts-demo:green")
    new_hash = h.status(NAME)["currentPodHash"]
    assert h.run_until(lambda: h.status(NAME)["blueGreen"].get("activeSelector") == new_hash, 30)
    assert h.status(NAME)["stableRS"] != new_hash
    assert h.message(NAME) == "waiting for analysis to complete"
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)
    ref = h.status(NAME)["blueGreen"]["postPromotionAnalysisRunStatus"]
    assert ref["status"] == "Successful" and ref["name"].endswith("-post")
    assert h.status(NAME)["stableRS"] == new_hash


def test_abort_switches_active_back_to_stable(h: Harness) -> None:
    old_hash = h.status(NAME)["currentPodHash"]
    h.set_image(NAME, "argoproj/rollouts-demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 30)
    h.abort(NAME)
    assert h.phase(NAME) == "Degraded"
    assert h.status(NAME)["blueGreen"]["activeSelector"] == old_hash
    assert _selector(h, "rollout-bluegreen-active") == old_hash
    assert "pauseConditions" not in h.status(NAME)


def test_preview_replica_count_then_full_scale_on_promotion() -> None:
    h = Harness()
    docs = _example(previewReplicaCount=1)
    next(d for d in docs if d["kind"] == "Rollout")["spec"]["replicas"] = 3
    h.apply(docs)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    h.set_image(NAME, "argoproj/rollouts-demo:green")
    new_hash = h.status(NAME)["currentPodHash"]
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 30)
    assert h.rs_for_hash(NAME, new_hash)["spec"]["replicas"] == 1
    h.promote(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)
    assert h.rs_for_hash(NAME, new_hash)["spec"]["replicas"] == 3


def test_gated_blue_green_tests_the_preview_promotes_itself_then_checks_the_active() -> None:
    h = Harness()
    h.apply(MANIFESTS / "analysis-templates.yaml")
    h.apply(MANIFESTS / "bluegreen-analysis.yaml")
    name = "checkout-bluegreen"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    assert h.analysis_runs() == []  # the first deploy is not gated
    old_hash = h.status(name)["currentPodHash"]
    h.set_image(name, "argoproj/rollouts-demo:green")
    new_hash = h.status(name)["currentPodHash"]
    assert h.run_until(lambda: "prePromotionAnalysisRunStatus" in h.status(name)["blueGreen"], 30)
    assert h.status(name)["blueGreen"]["activeSelector"] == old_hash  # nothing switched before the test
    assert h.run_until(
        lambda: h.status(name)["blueGreen"]["prePromotionAnalysisRunStatus"]["status"] == "Successful", 30
    )
    assert h.status(name)["blueGreen"]["activeSelector"] == old_hash
    assert h.run_until(
        lambda: h.status(name)["blueGreen"]["activeSelector"] == new_hash, 30
    )  # autoPromotionSeconds
    assert _selector(h, "checkout-active") == new_hash
    assert h.message(name) == "waiting for analysis to complete"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    post = h.status(name)["blueGreen"]["postPromotionAnalysisRunStatus"]
    assert post["status"] == "Successful" and post["name"] == f"{name}-{new_hash}-2-post"
    run = h.store.get("analysisruns", "default", post["name"])
    assert {"name": "service", "value": "checkout-active"} in run["spec"]["args"]
    assert h.status(name)["stableRS"] == new_hash
    h.tick(31)
    assert h.rs_for_hash(name, old_hash)["spec"]["replicas"] == 0  # scaleDownDelaySeconds 30
