"""Confirmation texts say exactly what an action will do, numbered as the plugin numbers steps,
and actions that make no sense now are refused with the reason (model.actions)."""

from __future__ import annotations

import copy
from typing import Any

from rollout_tui.model.actions import ActionArgs, action
from rollout_tui.model.state import rollout_state
from rollout_tui.ui.safe import clean, safe_text

CANARY: dict[str, Any] = {
    "metadata": {
        "name": "checkout",
        "namespace": "shop",
        "resourceVersion": "7",
        "annotations": {"rollout.argoproj.io/revision": "3"},
    },
    "spec": {
        "strategy": {
            "canary": {
                "steps": [
                    {"setWeight": 10},
                    {"pause": {"duration": "30s"}},
                    {"setWeight": 30},
                    {"pause": {}},
                    {"setWeight": 60},
                    {"analysis": {"templates": []}},
                    {"setWeight": 80},
                    {"pause": {"duration": 60}},
                ]
            }
        }
    },
    "status": {
        "phase": "Paused",
        "currentStepIndex": 3,
        "currentPodHash": "abc",
        "stableRS": "old",
        "pauseConditions": [{"reason": "CanaryPauseStep"}],
    },
}


def describe(action_id: str, ro: dict[str, Any], args: ActionArgs | None = None) -> str:
    return action(action_id).describe(rollout_state(ro), args or ActionArgs())


def possible(action_id: str, ro: dict[str, Any]) -> str:
    return action(action_id).possible(rollout_state(ro))


def test_promote_names_both_steps_as_the_plugin_numbers_them() -> None:
    # "Step: 3/8" in `get rollout` is the step at index 3: the indefinite pause
    assert possible("promote", CANARY) == ""
    assert describe("promote", CANARY) == (
        "promote shop/checkout: end the pause at step 3/8 (pause) and go on to step 4/8 (setWeight 60)"
    )


def test_promote_last_step_and_complete() -> None:
    r = copy.deepcopy(CANARY)
    r["status"]["currentStepIndex"] = 7
    assert describe("promote", r).endswith(
        "end the pause at step 7/8 (pause 60) and go on to the end of the steps; revision 3 (abc) becomes stable"
    )
    r["status"]["currentStepIndex"] = 8
    r["status"]["pauseConditions"] = None
    r["status"]["phase"] = "Progressing"
    assert possible("promote", r) == "all steps complete"


def test_promote_says_which_step_it_skips() -> None:
    """Promote on a rollout that is not paused by the controller moves the step on (the plugin's
    getPatches): during a running analysis, the dialog says it skips that analysis."""
    r = copy.deepcopy(CANARY)
    r["status"].update(currentStepIndex=5, pauseConditions=None, phase="Progressing")
    r["spec"]["paused"] = True
    text = describe("promote", r)
    assert "skip the running analysis at step 5/8 (analysis) and go to step 6/8 (setWeight 80)" in text
    assert "resume (Z) unpauses without skipping" in text
    assert possible("resume", r) == "" and "skipping nothing" in describe("resume", r)


def test_a_pod_template_hash_is_not_called_a_revision() -> None:
    r = copy.deepcopy(CANARY)
    assert describe("promote_full", r).endswith("make revision 3 (abc) stable")
    del r["metadata"]["annotations"]
    assert describe("promote_full", r).endswith("make pod template abc stable")


def test_retry_only_when_aborted_and_abort_not_twice() -> None:
    assert possible("retry", CANARY) != ""
    r = copy.deepcopy(CANARY)
    r["status"]["abort"] = True
    assert possible("retry", r) == ""
    assert possible("abort", r) == "already aborted"
    assert possible("promote", r) == "aborted: retry it first"


def test_blue_green_promote() -> None:
    bg: dict[str, Any] = {
        "metadata": {
            "name": "web",
            "namespace": "shop",
            "annotations": {"rollout.argoproj.io/revision": "4"},
        },
        "spec": {"strategy": {"blueGreen": {"activeService": "a"}}},
        "status": {
            "currentPodHash": "new",
            "stableRS": "old",
            "pauseConditions": [{"reason": "BlueGreenPause"}],
        },
    }
    # the revision by its number, with its pod template hash as the controller's events write it
    assert describe("promote", bg).endswith("switch the active service to the preview, revision 4 (new)")
    assert rollout_state(bg).awaiting_promotion
    bg["status"]["pauseConditions"] = []
    assert possible("promote", bg) == "not paused: nothing to promote"


def test_awaiting_promotion_ignores_timed_pauses() -> None:
    assert rollout_state(CANARY).awaiting_promotion  # step 3 is an indefinite pause
    r = copy.deepcopy(CANARY)
    r["status"]["currentStepIndex"] = 1
    assert not rollout_state(r).awaiting_promotion


def test_undo_and_set_image_texts() -> None:
    assert describe("undo", CANARY, ActionArgs(revision=4)).startswith(
        "undo shop/checkout: roll the pod template back to revision 4"
    )
    assert describe("undo", CANARY).startswith(
        "undo shop/checkout: roll the pod template back to the previous"
    )
    text = describe("set_image", CANARY, ActionArgs(container="app", image="shop:2"))
    assert text == "set the image of container app of shop/checkout to shop:2 (this starts an update)"


def test_hostile_strings_are_cleaned() -> None:
    hostile = "[bold red]x\x1b[2J\x1b]0;pwned\x07\u202eevil\x9b31m" + "W" * 10_000
    out = clean(hostile, 50)
    assert len(out) == 50 and out.endswith("…")
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in out)
    assert "\u202e" not in out
    assert safe_text("[bold red]boom").plain == "[bold red]boom"
