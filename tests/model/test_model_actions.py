"""The action registry: the plugin's exact requests (pkg/kubectl-argo-rollouts/cmd/*), built from
rollout dicts through the one rollout state, and the stale-view guard."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from rollout_tui.kube.actions import with_precondition
from rollout_tui.model.actions import ActionArgs, ActionRefused, Target, Write, action
from rollout_tui.model.actions.guard import stale_reason
from rollout_tui.model.actions.patches import (
    derives,
    template_without_hash,
    undo_target,
    undo_writes,
    with_image,
)
from rollout_tui.model.actions.spec import JSON_PATCH, ROLLOUTS
from rollout_tui.model.state import rollout_state


def canary(
    index: int | None = 1,
    steps: int = 4,
    pause: bool = True,
    spec_paused: bool = False,
    inconclusive: bool = False,
) -> dict:
    status: dict = {"currentPodHash": "new", "stableRS": "old"}
    if index is not None:
        status["currentStepIndex"] = index
    if pause:
        status["pauseConditions"] = [{"reason": "CanaryPauseStep", "startTime": "2026-01-01T00:00:00Z"}]
        status["controllerPause"] = True
    if inconclusive:
        status["canary"] = {"currentStepAnalysisRunStatus": {"status": "Inconclusive"}}
        status["pauseConditions"] = [{"reason": "InconclusiveAnalysisRun"}]
    return {
        "metadata": {"name": "demo", "namespace": "ns", "uid": "u1", "resourceVersion": "10"},
        "spec": {
            "paused": spec_paused,
            "selector": {"matchLabels": {"app": "demo"}},
            "strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {}}] * (steps // 2)}},
            "template": {
                "metadata": {"labels": {"app": "demo"}},
                "spec": {"containers": [{"name": "app", "image": "demo:2"}]},
            },
        },
        "status": status,
    }


def writes(action_id: str, ro: dict[str, Any], args: ActionArgs | None = None) -> tuple[Write, ...]:
    return action(action_id).writes(Target(ro, rollout_state(ro)), args or ActionArgs())


def bodies(found: tuple[Write, ...]) -> list[tuple[str, Any]]:
    return [(w.subresource or "main", w.body) for w in found]


def test_promote_paused_step_clears_pause_conditions_only() -> None:
    (status,) = writes("promote", canary(pause=True))
    assert (status.subresource, status.body) == ("status", {"status": {"pauseConditions": None}})
    assert status.fallback is not None
    assert status.fallback.body == {"spec": {"paused": False}, "status": {"pauseConditions": None}}


def test_promote_unpauses_spec_when_manually_paused() -> None:
    found = writes("promote", canary(pause=True, spec_paused=True))
    assert bodies(found) == [
        ("status", {"status": {"pauseConditions": None}}),
        ("main", {"spec": {"paused": False}}),
    ]


def test_promote_not_paused_canary_moves_one_step_capped() -> None:
    def status_body(ro: dict[str, Any]) -> Any:
        return writes("promote", ro)[0].body

    assert status_body(canary(index=2, pause=False)) == {
        "status": {"pauseConditions": None, "currentStepIndex": 3}
    }
    assert status_body(canary(index=None, pause=False)) == {
        "status": {"pauseConditions": None, "currentStepIndex": 1}
    }
    assert status_body(canary(index=4, steps=4, pause=False)) == {
        "status": {"pauseConditions": None, "currentStepIndex": 4}
    }
    fallback = writes("promote", canary(index=2, pause=False))[0].fallback
    assert fallback is not None and fallback.body == {
        "spec": {"paused": False},
        "status": {"pauseConditions": None, "currentStepIndex": 3},
    }


def test_promote_inconclusive_analysis_also_clears_controller_pause() -> None:
    ro = canary(index=1, pause=True, inconclusive=True)
    ro["status"]["controllerPause"] = True
    assert writes("promote", ro)[0].body == {
        "status": {"pauseConditions": None, "controllerPause": False, "currentStepIndex": 2}
    }


def test_promote_bluegreen_without_pause_sends_nothing() -> None:
    ro = {"metadata": {"name": "bg"}, "spec": {"strategy": {"blueGreen": {}}}, "status": {}}
    assert writes("promote", ro) == ()


def test_promote_full() -> None:
    found = writes("promote_full", canary(spec_paused=True))
    assert bodies(found) == [
        ("status", {"status": {"promoteFull": True}}),
        ("main", {"spec": {"paused": False}}),
    ]
    done = canary(pause=False)
    done["status"]["stableRS"] = "new"
    assert writes("promote_full", done) == ()


def test_resume_only_unpauses_and_keeps_the_step() -> None:
    """Promote on a rollout paused by hand also moves the step on (the plugin's getPatches); resume
    sends spec.paused=false alone, so a running analysis is not skipped."""
    ro = canary(index=2, pause=False, spec_paused=True)
    assert bodies(writes("resume", ro)) == [("main", {"spec": {"paused": False}})]
    assert writes("promote", ro)[0].body == {"status": {"pauseConditions": None, "currentStepIndex": 3}}
    state = rollout_state(ro)
    assert "skip" in action("promote").describe(state, ActionArgs())
    assert "skipping nothing" in action("resume").describe(state, ActionArgs())
    assert action("resume").possible(rollout_state(canary(pause=False))) != ""


def test_restart_patch_is_rfc3339_utc_seconds() -> None:
    at = datetime(2026, 11, 26, 4, 5, 6, 789000, tzinfo=UTC)
    (write,) = writes("restart", canary(), ActionArgs(now=at))
    assert write.body == {"spec": {"restartAt": "2026-11-26T04:05:06Z"}}


def rs(name: str, revision: str | None, image: str, owner: str = "u1", hash_: str = "h") -> dict:
    annotations = {"rollout.argoproj.io/revision": revision} if revision is not None else {}
    return {
        "metadata": {
            "name": name,
            "annotations": annotations,
            "ownerReferences": [{"uid": owner, "controller": True}],
        },
        "spec": {
            "template": {
                "metadata": {"labels": {"app": "demo", "rollouts-pod-template-hash": hash_}},
                "spec": {"containers": [{"name": "app", "image": image}]},
            }
        },
    }


def test_undo_picks_second_highest_revision_and_drops_the_hash_label() -> None:
    ro = canary()
    sets = [
        rs("a", "1", "demo:1"),
        rs("b", "3", "demo:3"),
        rs("c", "2", "demo:2"),
        rs("foreign", "9", "x", owner="other"),
        rs("bad", "x", "y"),
    ]
    target = undo_target(ro, tuple(sets), 0)
    assert target["metadata"]["name"] == "c"
    assert undo_target(ro, tuple(sets), 1)["metadata"]["name"] == "a"
    (write,) = undo_writes(ro, tuple(sets), 1)
    assert (write.content_type, write.resource, write.name) == (JSON_PATCH, ROLLOUTS, "demo")
    assert write.body == [
        {
            "op": "replace",
            "path": "/spec/template",
            "value": {
                "metadata": {"labels": {"app": "demo"}},
                "spec": {"containers": [{"name": "app", "image": "demo:1"}]},
            },
        }
    ]
    assert "rollouts-pod-template-hash" in target["spec"]["template"]["metadata"]["labels"]  # input untouched
    # demo:2 is the current template: nothing to send, as the plugin's "skipped rollback"
    assert derives(
        template_without_hash(ro["spec"]["template"]), template_without_hash(target["spec"]["template"])
    )
    with pytest.raises(ActionRefused, match="skipped rollback") as skipped:
        undo_writes(ro, tuple(sets), 0)
    assert skipped.value.noop
    with pytest.raises(ActionRefused, match="unable to find specified revision 7 in history"):
        undo_target(ro, tuple(sets), 7)
    with pytest.raises(ActionRefused, match='no revision found for rollout "demo"'):
        undo_target(ro, (sets[0],), 0)


def test_set_image_matches_containers_and_star() -> None:
    ro = canary()
    ro["spec"]["template"]["spec"]["initContainers"] = [{"name": "init", "image": "busybox"}]
    before = copy.deepcopy(ro)
    new = with_image(ro, "app", "demo:3")
    assert new["spec"]["template"]["spec"]["containers"][0]["image"] == "demo:3"
    assert ro == before
    everything = with_image(ro, "*", "x:1")
    assert everything["spec"]["template"]["spec"]["initContainers"][0]["image"] == "x:1"
    with pytest.raises(ActionRefused, match='unable to find container named "nope"'):
        with_image(ro, "nope", "x")


def test_precondition_is_added_without_changing_the_plugin_patch() -> None:
    merge = with_precondition(
        Write(ROLLOUTS, "demo", {"status": {"pauseConditions": None}}, subresource="status"), "42"
    )
    assert merge.body == {"status": {"pauseConditions": None}, "metadata": {"resourceVersion": "42"}}
    replace = [{"op": "replace", "path": "/spec/template", "value": {}}]
    json_patch = with_precondition(Write(ROLLOUTS, "demo", replace, JSON_PATCH), "42")
    assert json_patch.body[0] == {"op": "test", "path": "/metadata/resourceVersion", "value": "42"}
    assert json_patch.body[1:] == replace
    original = {"status": {"abort": True}}
    with_precondition(Write(ROLLOUTS, "demo", original, subresource="status"), "1")
    assert original == {"status": {"abort": True}}


def test_stale_guard_messages() -> None:
    promote, abort = action("promote").guard, action("abort").guard
    seen = rollout_state(canary(index=1, steps=8))
    assert stale_reason(promote, seen, rollout_state(canary(index=1, steps=8))) == ""
    moved = rollout_state(canary(index=4, steps=8, pause=True))
    assert stale_reason(promote, seen, moved) == "changed since you looked: now at step 4/8"
    unpaused = rollout_state(canary(index=1, steps=8, pause=False))
    assert stale_reason(promote, seen, unpaused) == "changed since you looked: now at step 1/8, not paused"
    new_rev = canary(index=0, steps=8)
    new_rev["status"]["currentPodHash"] = "newer"
    new_rev["metadata"].setdefault("annotations", {})["rollout.argoproj.io/revision"] = "5"
    assert (
        stale_reason(abort, seen, rollout_state(new_rev))
        == "changed since you looked: now rolling out revision 5 (newer) at step 0/8"
    )
    # abort does not care about the step
    assert stale_reason(abort, seen, moved) == ""
    aborted = canary(index=1, steps=8)
    aborted["status"]["abort"] = True
    assert stale_reason(abort, seen, rollout_state(aborted)) == "changed since you looked: now aborted"
