"""Upstream conformance through real kubectl: the Argo Rollouts examples apply and become Healthy,
and the CRD schemas reach `kubectl explain` and /openapi/v3 (../shared, see require_upstream in
tests/conftest.py: skipped without it, failed on CI)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rollout_tui.sim import Simulator
from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller import Controller
from tests.conftest import CRDS, EXAMPLES

from .conftest import Http, Kubectl, assert_apply_creates_then_leaves_unchanged, walk_with_kubectl

pytestmark = pytest.mark.usefixtures("fixtures_dir")


@pytest.fixture(scope="module")
def sim(fixtures_dir: object) -> Iterator[Simulator]:
    """The simulator serving the upstream CRD schemas, its controller ticked by the tests."""
    with Simulator(port=0, controller=False, clock=SimClock.manual(), crds=CRDS) as simulator:
        yield simulator


@pytest.mark.parametrize(
    "example",
    [
        "rollout-canary.yaml",
        "rollout-bluegreen.yaml",
        "analysis-templates.yaml",
        "rollout-secret.yaml",
        "experiment-with-analysis.yaml",
    ],
)
def test_apply_examples(sim: Simulator, kubectl: Kubectl, example: str) -> None:
    assert_apply_creates_then_leaves_unchanged(
        sim, kubectl, EXAMPLES / example, f"up-{example.split('.')[0]}"
    )


def test_explain_rollout_strategy(kubectl: Kubectl) -> None:
    out = kubectl.ok("explain", "rollout.spec.strategy")
    assert "KIND:       Rollout" in out and "VERSION:    v1alpha1" in out
    assert "blueGreen\t<Object>" in out and "canary\t<Object>" in out
    assert "steps\t<[]Object>" in kubectl.ok("explain", "ro.spec.strategy.canary")


def test_openapi_serves_the_crd_schema(sim: Simulator) -> None:
    http = Http(sim)
    index = http.request("GET", "/openapi/v3")[2]["paths"]
    doc = http.request("GET", index["apis/argoproj.io/v1alpha1"]["serverRelativeURL"])[2]
    schema = doc["components"]["schemas"]["io.argoproj.v1alpha1.Rollout"]
    assert "canary" in schema["properties"]["spec"]["properties"]["strategy"]["properties"]
    assert "x-kubernetes-preserve-unknown-fields" not in schema["properties"]["spec"]


def test_examples_with_analysis_experiment_and_blue_green_become_healthy(
    sim: Simulator, kubectl: Kubectl
) -> None:
    controller = Controller(sim.store, sim.clock, strict=True)
    examples = ("analysis-templates.yaml", "cluster-analysis-templates.yaml", "rollout-analysis-step.yaml")
    files = [EXAMPLES / e for e in (*examples, "rollout-experiment-step.yaml", "rollout-bluegreen.yaml")]
    names = ("rollout-analysis-step", "rollout-experiment-step", "rollout-bluegreen")
    walk_with_kubectl(kubectl, controller, sim, "up-ctl", files, names)
    assert kubectl.ok("get", "experiments", "-n", "up-ctl", "--no-headers").strip()
