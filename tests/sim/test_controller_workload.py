"""spec.workloadRef: the rollout takes its pod template (and selector) from a Deployment,
ReplicaSet or PodTemplate, records the workload's generation, starts a revision when the
template changes, and scales the Deployment down as scaleDown says."""

from __future__ import annotations

from typing import Any

import pytest

from rollout_tui.sim.controller.harness import Harness

NAME = "web"
GEN = "rollout.argoproj.io/workload-generation"


def template(image: str = "demo:blue") -> dict[str, Any]:
    return {"metadata": {"labels": {"app": NAME}}, "spec": {"containers": [{"name": "app", "image": image}]}}


def deployment(replicas: int = 3) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": NAME},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": NAME}}, "template": template()},
    }


def rollout(ref: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": NAME},
        "spec": {
            "replicas": 3,
            "workloadRef": ref,
            "strategy": {"canary": {"steps": [{"setWeight": 34}, {"pause": {}}]}},
            **spec,
        },
    }


def deploy_ref(scale_down: str | None = None) -> dict[str, Any]:
    ref = {"apiVersion": "apps/v1", "kind": "Deployment", "name": NAME}
    if scale_down:
        ref["scaleDown"] = scale_down
    return ref


def deployment_replicas(h: Harness) -> int:
    return int(h.store.get("deployments", "default", NAME)["spec"]["replicas"])


def owned_pods(h: Harness, kind: str) -> int:
    return sum(
        1
        for p in h.pods()
        if any(r.get("kind") == "ReplicaSet" for r in p["metadata"]["ownerReferences"])
        and h.store.get("replicasets", "default", p["metadata"]["ownerReferences"][0]["name"])["metadata"][
            "ownerReferences"
        ][0]["kind"]
        == kind
    )


def test_the_deployments_template_is_the_rollouts_and_onsuccess_scales_it_down() -> None:
    h = Harness()
    h.apply(deployment())
    h.tick(10)
    assert owned_pods(h, "Deployment") == 3  # the Deployment being migrated runs its own pods
    h.apply(rollout(deploy_ref("onsuccess")))
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    assert h.run_until(lambda: deployment_replicas(h) == 0, 30)
    h.tick(5)
    ro = h.rollout(NAME)
    generation = str(h.store.get("deployments", "default", NAME)["metadata"]["generation"])
    assert generation == "2"  # scaling the Deployment to 0 was a spec change
    assert (
        ro["metadata"]["annotations"][GEN] == generation
        and ro["status"]["workloadObservedGeneration"] == generation
    )
    [rs] = h.replicasets(NAME)  # the scale-down is not a new template
    assert rs["spec"]["template"]["spec"]["containers"][0]["image"] == "demo:blue"
    assert rs["spec"]["selector"]["matchLabels"]["app"] == NAME  # the selector came from the Deployment
    assert owned_pods(h, "Deployment") == 0 and owned_pods(h, "Rollout") == 3


def test_a_new_deployment_template_is_a_new_revision() -> None:
    h = Harness()
    h.apply(deployment())
    h.apply(rollout(deploy_ref()))
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    h.store.mutate(
        "deployments",
        "default",
        NAME,
        lambda d: d["spec"]["template"]["spec"]["containers"][0].__setitem__("image", "demo:green"),
    )
    h.tick(1)
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 60)
    ro = h.rollout(NAME)
    assert ro["metadata"]["annotations"][GEN] == "2" and ro["status"]["workloadObservedGeneration"] == "2"
    assert ro["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "2"
    assert "template" not in ro["spec"]  # the Rollout itself is not written
    canary = h.rs_for_hash(NAME, ro["status"]["currentPodHash"])
    assert canary["spec"]["template"]["spec"]["containers"][0]["image"] == "demo:green"
    assert deployment_replicas(h) == 3  # scaleDown defaults to never


def test_progressively_hands_replicas_over_as_the_rollout_gets_ready() -> None:
    h = Harness()
    h.apply(deployment(replicas=3))
    h.apply(rollout(deploy_ref("progressively"), replicas=3))
    seen = set()
    for _ in range(30):
        h.tick(1)
        seen.add(deployment_replicas(h))
    assert h.phase(NAME) == "Healthy" and deployment_replicas(h) == 0
    assert seen - {0, 3}  # it went through an intermediate size, not straight to zero


def test_replica_set_and_pod_template_workloads() -> None:
    h = Harness()
    h.apply(
        {
            "apiVersion": "v1",
            "kind": "PodTemplate",
            "metadata": {"name": "tpl"},
            "template": template("demo:purple"),
        }
    )
    h.apply(
        rollout(
            {"apiVersion": "v1", "kind": "PodTemplate", "name": "tpl"},
            selector={"matchLabels": {"app": NAME}},
        )
    )
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    assert h.replicasets(NAME)[0]["spec"]["template"]["spec"]["containers"][0]["image"] == "demo:purple"
    h.store.mutate(
        "podtemplates",
        "default",
        "tpl",
        lambda t: t["template"]["spec"]["containers"][0].__setitem__("image", "demo:red"),
    )
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 60)  # the change re-enqueued the rollout


@pytest.mark.parametrize(
    ("ref", "extra", "message"),
    [
        (deploy_ref(), {"template": template()}, "template must be empty for workload reference rollout"),
        (
            {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": NAME},
            {},
            "workload of type apps/StatefulSet is not supported",
        ),
        (deploy_ref(), {}, 'deployments.apps "web" not found'),
    ],
)
def test_unresolvable_references_are_invalid_specs(ref: dict, extra: dict, message: str) -> None:
    h = Harness()
    h.apply(rollout(ref, **extra))
    h.tick(1)
    assert h.message(NAME) == f"InvalidSpec: {message}"


def test_the_rollout_recovers_once_its_deployment_exists() -> None:
    h = Harness()
    h.apply(rollout(deploy_ref()))
    h.tick(1)
    assert h.phase(NAME) == "Degraded"
    h.apply(deployment())
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
