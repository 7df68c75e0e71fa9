"""The simulated controller drives canary rollouts as the real one does (argo-rollouts rollout/canary.go),
on a manual clock, with operators acting through exactly the plugin's patches."""

from __future__ import annotations

from datetime import datetime

import pytest

from rollout_tui.sim.controller.harness import Harness
from rollout_tui.sim.naming import pod_template_hash
from tests.fixtures.scenarios import rollout
from tests.fixtures.sets import MANIFESTS

NAME = "rollout-canary"


@pytest.fixture
def h() -> Harness:
    harness = Harness()
    harness.apply(MANIFESTS / "canary.yaml")
    assert harness.run_until(lambda: harness.phase(NAME) == "Healthy", 60)
    return harness


def _weights(h: Harness, digest: str) -> tuple[int, int]:
    rss = {rs["metadata"]["labels"]["rollouts-pod-template-hash"]: rs for rs in h.replicasets(NAME)}
    stable = h.status(NAME)["stableRS"]
    return rss[digest]["spec"]["replicas"], rss[stable]["spec"]["replicas"]


def test_initial_deploy_creates_replicaset_and_pods_the_way_the_controller_does(h: Harness) -> None:
    ro = h.rollout(NAME)
    status = ro["status"]
    digest = status["currentPodHash"]
    assert status["stableRS"] == digest
    assert status["currentStepIndex"] == 8
    assert status["observedGeneration"] == str(ro["metadata"]["generation"])
    assert status["selector"] == "app=rollout-canary"
    assert (
        status["replicas"],
        status["updatedReplicas"],
        status["readyReplicas"],
        status["availableReplicas"],
    ) == (5, 5, 5, 5)
    assert status["phase"] == "Healthy" and "message" not in status
    assert ro["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "1"
    [rs] = h.replicasets(NAME)
    meta = rs["metadata"]
    assert meta["name"] == f"{NAME}-{digest}"
    assert meta["labels"]["rollouts-pod-template-hash"] == digest
    assert rs["spec"]["selector"]["matchLabels"] == {"app": NAME, "rollouts-pod-template-hash": digest}
    assert rs["spec"]["template"]["metadata"]["labels"]["rollouts-pod-template-hash"] == digest
    assert meta["annotations"]["rollout.argoproj.io/revision"] == "1"
    assert meta["annotations"]["rollout.argoproj.io/desired-replicas"] == "5"
    [owner] = meta["ownerReferences"]
    assert owner == {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "name": NAME,
        "uid": ro["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }
    pods = h.pods(meta["name"])
    assert len(pods) == 5
    for pod in pods:
        assert pod["metadata"]["name"].startswith(meta["name"] + "-")
        assert len(pod["metadata"]["name"]) == len(meta["name"]) + 6
        assert pod["status"]["phase"] == "Running"
        assert pod["metadata"]["ownerReferences"][0]["uid"] == meta["uid"]
    conditions = {c["type"]: c for c in status["conditions"]}
    assert conditions["Available"]["status"] == "True"
    assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"
    assert conditions["Healthy"]["status"] == "True"
    assert conditions["Completed"]["status"] == "True"


def test_image_change_walks_every_step_with_timed_and_indefinite_pauses(h: Harness) -> None:
    h.set_image(NAME, "argoproj/rollouts-demo:yellow")
    status = h.status(NAME)
    new_hash = status["currentPodHash"]
    assert new_hash != status["stableRS"]
    assert status["currentStepIndex"] == 0
    assert h.rollout(NAME)["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "2"
    assert _weights(h, new_hash) == (1, 4)  # setWeight 20 of 5 replicas
    h.tick(15)
    assert h.phase(NAME) == "Paused" and h.message(NAME) == "CanaryPauseStep"
    status = h.status(NAME)
    assert status["currentStepIndex"] == 1 and status["controllerPause"] is True
    assert [c["reason"] for c in status["pauseConditions"]] == ["CanaryPauseStep"]
    h.tick(300)  # an indefinite pause stays paused
    assert h.status(NAME)["currentStepIndex"] == 1
    h.promote(NAME)
    h.tick(10)
    assert h.status(NAME)["currentStepIndex"] == 3  # setWeight 40 done, now in "pause: 30s"
    assert _weights(h, new_hash) == (2, 3)
    [pause] = h.status(NAME)["pauseConditions"]
    paused_at = datetime.fromisoformat(pause["startTime"].replace("Z", "+00:00"))
    h.tick((paused_at - h.clock.now()).total_seconds() + 29)
    assert h.status(NAME)["currentStepIndex"] == 3  # not before the 30 s are up
    h.tick(1)
    assert h.status(NAME)["currentStepIndex"] == 4
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 120)
    status = h.status(NAME)
    assert status["stableRS"] == new_hash and status["currentStepIndex"] == 8
    old = [
        rs for rs in h.replicasets(NAME) if rs["metadata"]["labels"]["rollouts-pod-template-hash"] != new_hash
    ]
    assert [rs["spec"]["replicas"] for rs in old] == [0]
    completed = [e["message"] for e in h.events("RolloutStepCompleted")]
    assert "Rollout step 1/8 completed (setWeight: 20)" in completed
    assert "Rollout step 2/8 completed (pause)" in completed
    assert "Rollout step 4/8 completed (pause: 30s)" in completed
    assert "Rollout step 8/8 completed (pause: 15s)" in completed
    assert h.events("RolloutPaused")[0]["message"] == "Rollout is paused (CanaryPauseStep)"
    assert h.events("RolloutResumed")[0]["message"] == "Rollout is resumed"
    assert h.events("RolloutUpdated", name=NAME)
    messages = [e["message"] for e in h.events("RolloutCompleted")]
    assert any(m.endswith(f"({new_hash}): Completed all 8 canary steps") for m in messages)
    assert any(m.endswith("): Initial deploy") for m in messages)


def test_abort_scales_the_canary_down_and_retry_restarts_the_steps(h: Harness) -> None:
    h.set_image(NAME, "argoproj/rollouts-demo:red")
    h.tick(15)
    new_hash = h.status(NAME)["currentPodHash"]
    h.abort(NAME)
    h.tick(5)
    status = h.status(NAME)
    assert status["abort"] is True and status["abortedAt"]
    assert h.phase(NAME) == "Degraded"
    assert h.message(NAME) == "RolloutAborted: Rollout aborted update to revision 2"
    assert status["currentStepIndex"] == 0
    assert "pauseConditions" not in status and not status.get("controllerPause")
    assert _weights(h, new_hash) == (0, 5)
    progressing = next(c for c in status["conditions"] if c["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("False", "RolloutAborted")
    [event] = h.events("RolloutAborted")
    assert event["type"] == "Warning" and event["involvedObject"]["kind"] == "Rollout"
    h.store.patch(
        "rollouts",
        "default",
        NAME,
        {"status": {"abort": False}},
        "application/merge-patch+json",
        subresource="status",
    )  # the retry patch, reconciled once:
    h.controller._process(("rollouts", "default", NAME))
    status = h.status(NAME)
    assert "abort" not in status and "abortedAt" not in status
    progressing = next(c for c in status["conditions"] if c["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("Unknown", "RolloutRetry")
    assert h.phase(NAME) == "Progressing"
    h.tick(15)
    assert h.phase(NAME) == "Paused" and h.status(NAME)["currentStepIndex"] == 1


def test_promote_full_skips_remaining_steps(h: Harness) -> None:
    h.set_image(NAME, "argoproj/rollouts-demo:green")
    h.tick(15)
    assert h.phase(NAME) == "Paused"
    h.promote_full(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)
    status = h.status(NAME)
    assert status["stableRS"] == status["currentPodHash"] and status["currentStepIndex"] == 8
    assert "promoteFull" not in status
    assert any("Full promotion requested" in e["message"] for e in h.events("RolloutCompleted"))


def test_manual_pause_holds_the_rollout_until_promoted(h: Harness) -> None:
    h.set_image(NAME, "argoproj/rollouts-demo:green")
    h.tick(15)
    h.promote(NAME)
    h.pause(NAME)
    h.tick(120)
    assert h.phase(NAME) == "Paused" and h.message(NAME) == "manually paused"
    index = h.status(NAME)["currentStepIndex"]
    h.tick(120)
    assert h.status(NAME)["currentStepIndex"] == index
    h.promote(NAME)  # spec.paused=false is part of promote
    assert h.rollout(NAME)["spec"]["paused"] is False
    assert h.run_until(lambda: h.status(NAME)["currentStepIndex"] > index, 60)


def test_undo_takes_the_fast_path_to_the_previous_replicaset(h: Harness) -> None:
    first_hash = h.status(NAME)["currentPodHash"]
    h.set_image(NAME, "argoproj/rollouts-demo:yellow")
    h.tick(15)
    h.promote_full(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    assert h.undo(NAME) == f"rollout '{NAME}' undo"
    status = h.status(NAME)
    assert status["currentPodHash"] == first_hash
    # Revision 1 is no longer stable, so (without a rollbackWindow) its template walks the steps.
    assert status["currentStepIndex"] == 0
    rs = h.rs_for_hash(NAME, first_hash)
    assert rs["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "3"
    assert rs["metadata"]["annotations"]["rollout.argoproj.io/revision-history"] == "1"
    assert h.rollout(NAME)["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "3"
    assert len(h.replicasets(NAME)) == 2  # no new ReplicaSet was created
    h.promote_full(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    assert h.status(NAME)["stableRS"] == first_hash


def test_undo_to_the_stable_revision_during_an_update_skips_the_steps(h: Harness) -> None:
    stable = h.status(NAME)["stableRS"]
    h.set_image(NAME, "argoproj/rollouts-demo:yellow")
    h.tick(15)
    assert h.phase(NAME) == "Paused"
    h.undo(NAME, to_revision=1)
    h.tick(1)
    assert h.status(NAME)["currentPodHash"] == stable
    assert h.status(NAME)["currentStepIndex"] == 8
    assert [e["message"] for e in h.events("SkipSteps")] == ["Rollback to stable ReplicaSets"]
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)


def test_restart_evicts_old_pods_a_few_at_a_time_then_records_restarted_at(h: Harness) -> None:
    [rs] = h.replicasets(NAME)
    before = {p["metadata"]["name"] for p in h.pods(rs["metadata"]["name"])}
    h.tick(5)
    h.restart(NAME)
    restart_at = h.rollout(NAME)["spec"]["restartAt"]
    assert h.phase(NAME) == "Progressing" and h.message(NAME) == "rollout is restarting"
    after_first = {p["metadata"]["name"] for p in h.pods(rs["metadata"]["name"])}
    assert len(before - after_first) == 1  # maxUnavailable 25% of 5 -> 1 at a time
    assert h.run_until(lambda: h.status(NAME).get("restartedAt") == restart_at, 120)
    assert not before & {p["metadata"]["name"] for p in h.pods(rs["metadata"]["name"])}
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)


def test_progress_deadline_marks_a_stuck_canary_degraded() -> None:
    h = Harness()
    h.apply(
        rollout(
            "stuck", {"canary": {"steps": [{"setWeight": 50}, {"pause": {}}]}}, 2, progressDeadlineSeconds=60
        )
    )
    assert h.run_until(lambda: h.phase("stuck") == "Healthy", 30)
    h.set_image("stuck", "demo:crash")
    h.tick(30)
    assert h.phase("stuck") == "Progressing"
    assert h.run_until(lambda: h.phase("stuck") == "Degraded", 120)
    assert h.message("stuck").startswith('ProgressDeadlineExceeded: ReplicaSet "stuck-')
    assert h.message("stuck").endswith('" has timed out progressing.')
    assert h.events("ProgressDeadlineExceeded")[0]["type"] == "Warning"


def test_progress_deadline_abort_aborts() -> None:
    h = Harness()
    h.apply(
        rollout(
            "stuck",
            {"canary": {"steps": [{"setWeight": 50}, {"pause": {}}]}},
            2,
            progressDeadlineSeconds=30,
            progressDeadlineAbort=True,
        )
    )
    assert h.run_until(lambda: h.phase("stuck") == "Healthy", 30)
    h.set_image("stuck", "demo:does-not-exist")
    assert h.run_until(lambda: h.status("stuck").get("abort") is True, 120)
    canary = h.rs_for_hash("stuck", h.status("stuck")["currentPodHash"])
    h.tick(5)
    assert h.store.get("replicasets", "default", canary["metadata"]["name"])["spec"]["replicas"] == 0
    assert h.phase("stuck") == "Degraded"


def test_invalid_spec_is_reported() -> None:
    h = Harness()
    h.apply(
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Rollout",
            "metadata": {"name": "bad"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "bad"}},
                "template": {
                    "metadata": {"labels": {"app": "other"}},
                    "spec": {"containers": [{"name": "app", "image": "demo:blue"}]},
                },
                "strategy": {"canary": {}},
            },
        }
    )
    assert h.phase("bad") == "Degraded"
    assert h.message("bad").startswith("InvalidSpec: ")
    assert "`selector` does not match template `labels`" in h.message("bad")
    assert h.replicasets("bad") == []


def test_spec_change_is_observed_through_observed_generation(h: Harness) -> None:
    generation = h.rollout(NAME)["metadata"]["generation"]
    h.store.patch("rollouts", "default", NAME, {"spec": {"replicas": 3}}, "application/merge-patch+json")
    h.controller.drain()
    ro = h.rollout(NAME)
    assert ro["metadata"]["generation"] == generation + 1
    assert ro["status"]["observedGeneration"] == str(generation + 1)
    assert h.run_until(
        lambda: h.status(NAME).get("availableReplicas") == 3 and h.phase(NAME) == "Healthy", 30
    )
    assert any(e["message"].endswith("from 5 to 3") for e in h.events("ScalingReplicaSet"))


def test_events_are_core_v1_events_aggregated_by_count(h: Harness) -> None:
    [created] = [e for e in h.events("NewReplicaSetCreated")]
    assert created["apiVersion"] == "v1" and created["kind"] == "Event"
    assert created["type"] == "Normal"
    assert created["involvedObject"]["kind"] == "Rollout" and created["involvedObject"]["name"] == NAME
    assert created["involvedObject"]["uid"] == h.rollout(NAME)["metadata"]["uid"]
    assert created["firstTimestamp"] == created["lastTimestamp"] and created["count"] == 1
    assert created["source"] == {"component": "rollouts-controller"}
    h.set_image(NAME, "argoproj/rollouts-demo:yellow")
    for _ in range(2):
        h.tick(15)
        h.abort(NAME)
        h.retry(NAME)
    [aborted] = h.events("RolloutAborted")
    assert aborted["count"] == 2 and aborted["type"] == "Warning"
    assert aborted["lastTimestamp"] > aborted["firstTimestamp"]


def test_basic_canary_stays_within_max_surge_and_max_unavailable() -> None:
    h = Harness()
    h.apply(
        rollout(
            "big",
            {"canary": {"steps": [{"setWeight": 20}, {"pause": {}}, {"setWeight": 90}, {"pause": {}}]}},
            8,
        )
    )
    assert h.run_until(lambda: h.phase("big") == "Healthy", 30)
    h.set_image("big", "demo:green")
    lowest, highest = 8, 8
    for _ in range(120):
        h.tick(1)
        if h.phase("big") == "Paused":
            h.promote("big")
        rss = h.replicasets("big")
        lowest = min(lowest, sum(rs.get("status", {}).get("availableReplicas", 0) for rs in rss))
        highest = max(highest, sum(rs["spec"]["replicas"] for rs in rss))
        if h.phase("big") == "Healthy":
            break
    assert h.phase("big") == "Healthy"
    assert lowest >= 6  # maxUnavailable 25% of 8
    assert highest <= 10  # maxSurge 25% of 8


def test_a_foreign_replicaset_with_our_name_is_a_hash_collision() -> None:
    h = Harness()
    ro = rollout("web", {"canary": {}}, 1)
    squatter = pod_template_hash(ro["spec"]["template"])
    h.apply(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": f"web-{squatter}"},
            "spec": {
                "replicas": 0,
                "selector": {"matchLabels": {"app": "other"}},
                "template": {
                    "metadata": {"labels": {"app": "other"}},
                    "spec": {"containers": [{"name": "x", "image": "x"}]},
                },
            },
        }
    )
    h.apply(ro)
    assert h.run_until(lambda: h.phase("web") == "Healthy", 30)
    status = h.status("web")
    assert status["collisionCount"] == 1 and status["currentPodHash"] != squatter
    assert h.replicasets("web")[0]["metadata"]["name"] == f"web-{status['currentPodHash']}"
