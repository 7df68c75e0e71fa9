"""Pods go Pending -> ContainerCreating -> Running, or crash-loop / fail to pull, per scenario."""

from __future__ import annotations

from rollout_tui.sim.controller.harness import Harness

from .manifests import one_pod_rollout

_rollout = one_pod_rollout


def _pod(h: Harness) -> dict:
    [pod] = h.pods()
    return pod


def _waiting_reason(pod: dict) -> str | None:
    statuses = pod["status"].get("containerStatuses") or []
    return statuses[0]["state"].get("waiting", {}).get("reason") if statuses else None


def test_lifecycle_pending_container_creating_running() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:blue"))
    pod = _pod(h)
    assert pod["status"]["phase"] == "Pending" and "containerStatuses" not in pod["status"]
    assert pod["spec"]["nodeName"].startswith("sim-node-")
    h.tick(1)
    pod = _pod(h)
    assert pod["status"]["phase"] == "Pending" and _waiting_reason(pod) == "ContainerCreating"
    h.tick(5)
    pod = _pod(h)
    assert pod["status"]["phase"] == "Running"
    assert pod["status"]["containerStatuses"][0]["ready"] is True
    assert {c["type"]: c["status"] for c in pod["status"]["conditions"]}["Ready"] == "True"
    assert pod["status"]["podIP"].startswith("10.244.")
    rs = h.replicasets("web")[0]
    # Created at 0 replicas, then scaled: generation 2, observed.
    assert rs["status"] == {
        "observedGeneration": rs["metadata"]["generation"],
        "replicas": 1,
        "fullyLabeledReplicas": 1,
        "readyReplicas": 1,
        "availableReplicas": 1,
    }


def test_crash_loop_back_off_with_growing_restarts() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:v2-crash"))
    h.tick(12)
    pod = _pod(h)
    assert pod["status"]["phase"] == "Running"
    assert _waiting_reason(pod) == "CrashLoopBackOff"
    status = pod["status"]["containerStatuses"][0]
    assert status["restartCount"] == 1 and status["lastState"]["terminated"]["exitCode"] == 2  # a Go panic
    h.tick(120)
    assert _pod(h)["status"]["containerStatuses"][0]["restartCount"] >= 3
    assert h.phase("web") == "Progressing"


def test_image_pull_back_off_by_tag_or_annotation() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:does-not-exist"))
    h.apply(_rollout("api", "demo:blue", {"sim.rollout-tui.dev/pod": "imagepullbackoff"}))
    h.tick(3)
    assert {_waiting_reason(p) for p in h.pods()} == {"ErrImagePull"}
    h.tick(5)
    for pod in h.pods():
        assert _waiting_reason(pod) == "ImagePullBackOff"
        assert pod["status"]["containerStatuses"][0]["state"]["waiting"]["message"].startswith(
            "Back-off pulling image"
        )


def test_unschedulable_pods_stay_pending() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:blue", {"sim.rollout-tui.dev/pod": "pending"}))
    h.tick(60)
    pod = _pod(h)
    assert pod["status"]["phase"] == "Pending" and "nodeName" not in pod["spec"]
    assert pod["status"]["conditions"][0]["reason"] == "Unschedulable"


def test_deleted_pods_are_replaced_and_scaled_down_pods_removed() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:blue"))
    h.tick(10)
    first = _pod(h)["metadata"]["name"]
    h.store.delete("pods", "default", first)
    h.tick(0)
    assert _pod(h)["metadata"]["name"] != first
    h.store.patch("rollouts", "default", "web", {"spec": {"replicas": 0}}, "application/merge-patch+json")
    h.tick(1)
    assert h.pods() == []
