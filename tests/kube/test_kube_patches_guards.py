"""The plugin's patches (§1 of the reference notes), built from rollout dicts, and the stale guard."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from rollout_tui.kube.actions import Write, with_precondition
from rollout_tui.kube.guards import ViewState, stale_reason
from rollout_tui.kube.patches import (
    JSON_PATCH,
    UndoError,
    promote_plan,
    restart_patch,
    template_matches,
    undo_patch,
    undo_target,
    with_image,
)


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


def test_promote_paused_step_clears_pause_conditions_only() -> None:
    plan = promote_plan(canary(pause=True))
    assert plan.status == {"status": {"pauseConditions": None}}
    assert plan.spec is None
    assert plan.unified == {"spec": {"paused": False}, "status": {"pauseConditions": None}}


def test_promote_unpauses_spec_when_manually_paused() -> None:
    plan = promote_plan(canary(pause=True, spec_paused=True))
    assert plan.spec == {"spec": {"paused": False}}


def test_promote_not_paused_canary_moves_one_step_capped() -> None:
    assert promote_plan(canary(index=2, pause=False)).status == {
        "status": {"pauseConditions": None, "currentStepIndex": 3}
    }
    assert promote_plan(canary(index=None, pause=False)).status == {
        "status": {"pauseConditions": None, "currentStepIndex": 1}
    }
    assert promote_plan(canary(index=4, steps=4, pause=False)).status == {
        "status": {"pauseConditions": None, "currentStepIndex": 4}
    }
    assert promote_plan(canary(index=2, pause=False)).unified == {
        "spec": {"paused": False},
        "status": {"pauseConditions": None, "currentStepIndex": 3},
    }


def test_promote_inconclusive_analysis_also_clears_controller_pause() -> None:
    ro = canary(index=1, pause=True, inconclusive=True)
    assert promote_plan(ro).status == {
        "status": {"pauseConditions": None, "controllerPause": False, "currentStepIndex": 2}
    }


def test_promote_bluegreen_without_pause_sends_nothing() -> None:
    ro = {"metadata": {"name": "bg"}, "spec": {"strategy": {"blueGreen": {}}}, "status": {}}
    plan = promote_plan(ro)
    assert plan.status is None and plan.spec is None


def test_promote_full() -> None:
    plan = promote_plan(canary(spec_paused=True), full=True)
    assert plan.spec == {"spec": {"paused": False}}
    assert plan.status == {"status": {"promoteFull": True}}
    done = canary(pause=False)
    done["status"]["stableRS"] = "new"
    plan = promote_plan(done, full=True)
    assert plan.spec is None and plan.status is None


def test_restart_patch_is_rfc3339_utc_seconds() -> None:
    at = datetime(2026, 11, 26, 4, 5, 6, 789000, tzinfo=UTC)
    assert restart_patch(at) == {"spec": {"restartAt": "2026-11-26T04:05:06Z"}}


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
    target = undo_target(ro, sets, 0)
    assert target["metadata"]["name"] == "c"
    assert undo_target(ro, sets, 1)["metadata"]["name"] == "a"
    assert undo_patch(target) == [
        {
            "op": "replace",
            "path": "/spec/template",
            "value": {
                "metadata": {"labels": {"app": "demo"}},
                "spec": {"containers": [{"name": "app", "image": "demo:2"}]},
            },
        }
    ]
    assert "rollouts-pod-template-hash" in target["spec"]["template"]["metadata"]["labels"]  # input untouched
    assert template_matches(ro, target)  # demo:2 is the current template
    assert not template_matches(ro, sets[0])
    with pytest.raises(UndoError, match="unable to find specified revision 7 in history"):
        undo_target(ro, sets, 7)
    with pytest.raises(UndoError, match='no revision found for rollout "demo"'):
        undo_target(ro, [sets[0]], 0)


def test_set_image_matches_containers_and_star() -> None:
    ro = canary()
    ro["spec"]["template"]["spec"]["initContainers"] = [{"name": "init", "image": "busybox"}]
    before = copy.deepcopy(ro)
    new = with_image(ro, "app", "demo:3")
    assert new["spec"]["template"]["spec"]["containers"][0]["image"] == "demo:3"
    assert ro == before
    everything = with_image(ro, "*", "x:1")
    assert everything["spec"]["template"]["spec"]["initContainers"][0]["image"] == "x:1"
    with pytest.raises(ValueError, match='unable to find container named "nope"'):
        with_image(ro, "nope", "x")


def test_precondition_is_added_without_changing_the_plugin_patch() -> None:
    merge = with_precondition(Write("status", {"status": {"pauseConditions": None}}), "42")
    assert merge.body == {"status": {"pauseConditions": None}, "metadata": {"resourceVersion": "42"}}
    json_patch = with_precondition(
        Write("main", [{"op": "replace", "path": "/spec/template", "value": {}}], JSON_PATCH), "42"
    )
    assert json_patch.body[0] == {"op": "test", "path": "/metadata/resourceVersion", "value": "42"}
    assert json_patch.body[1:] == [{"op": "replace", "path": "/spec/template", "value": {}}]
    original = {"status": {"abort": True}}
    with_precondition(Write("status", original), "1")
    assert original == {"status": {"abort": True}}


def test_stale_guard_messages() -> None:
    seen = ViewState.of(canary(index=1, steps=8))
    assert stale_reason("promote", seen, ViewState.of(canary(index=1, steps=8))) is None
    moved = ViewState.of(canary(index=4, steps=8, pause=True))
    assert stale_reason("promote", seen, moved) == "changed since you looked: now at step 4/8"
    unpaused = ViewState.of(canary(index=1, steps=8, pause=False))
    assert stale_reason("promote", seen, unpaused) == "changed since you looked: now at step 1/8, not paused"
    new_rev = canary(index=0, steps=8)
    new_rev["status"]["currentPodHash"] = "newer"
    assert (
        stale_reason("abort", seen, ViewState.of(new_rev))
        == "changed since you looked: now rolling out revision newer at step 0/8"
    )
    # abort does not care about the step
    assert stale_reason("abort", seen, moved) is None
    aborted = canary(index=1, steps=8)
    aborted["status"]["abort"] = True
    assert stale_reason("abort", seen, ViewState.of(aborted)) == "changed since you looked: now aborted"
