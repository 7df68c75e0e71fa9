"""Confirmation texts say exactly what an action will do, and refuse what makes no sense."""

from __future__ import annotations

import copy

from rollout_tui.ui import attention, facts
from rollout_tui.ui.plans import plan
from rollout_tui.ui.safe import clean, safe_text

CANARY = {
    "metadata": {"name": "checkout", "namespace": "shop", "resourceVersion": "7"},
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


def test_promote_names_both_steps() -> None:
    p = plan("promote", CANARY)
    assert p.enabled
    assert p.summary == "promote shop/checkout from step 3/8 (pause) to 4/8 (setWeight 60)"
    assert p.expected["step"] == 3 and p.expected["pod_hash"] == "abc"


def test_promote_last_step_and_complete() -> None:
    r = copy.deepcopy(CANARY)
    r["status"]["currentStepIndex"] = 7
    assert plan("promote", r).summary.endswith("from step 7/8 (pause 60) to 8/8 (complete)")
    r["status"]["currentStepIndex"] = 8
    r["status"]["pauseConditions"] = None
    p = plan("promote", r)
    assert not p.enabled and p.reason == "all steps complete"


def test_retry_only_when_aborted_and_abort_not_twice() -> None:
    assert not plan("retry", CANARY).enabled
    r = copy.deepcopy(CANARY)
    r["status"]["abort"] = True
    assert plan("retry", r).enabled
    assert not plan("abort", r).enabled
    assert not plan("promote", r).enabled


def test_blue_green_promote() -> None:
    bg = {
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"strategy": {"blueGreen": {"activeService": "a"}}},
        "status": {
            "currentPodHash": "new",
            "stableRS": "old",
            "pauseConditions": [{"reason": "BlueGreenPause"}],
        },
    }
    assert "preview revision new" in plan("promote", bg).summary
    assert facts.awaiting_promotion(bg)
    bg["status"]["pauseConditions"] = []
    assert not plan("promote", bg).enabled


def test_awaiting_promotion_ignores_timed_pauses() -> None:
    assert facts.awaiting_promotion(CANARY)  # step 3 is an indefinite pause
    r = copy.deepcopy(CANARY)
    r["status"]["currentStepIndex"] = 1
    assert not facts.awaiting_promotion(r)


def test_attention_transitions() -> None:
    calm = attention.Flags(False, False, False)
    assert attention.alerts(None, attention.Flags(True, True, True)) == ()
    assert attention.alerts(calm, attention.Flags(True, True, False)) == ("aborted",)
    assert attention.alerts(calm, attention.Flags(True, False, False)) == ("degraded",)
    assert attention.alerts(calm, attention.Flags(False, False, True)) == ("waiting for promotion",)
    assert attention.alerts(attention.Flags(False, False, True), attention.Flags(False, False, True)) == ()


def test_hostile_strings_are_cleaned() -> None:
    hostile = "[bold red]x\x1b[2J\x1b]0;pwned\x07\u202eevil\x9b31m" + "W" * 10_000
    out = clean(hostile, 50)
    assert len(out) == 50 and out.endswith("…")
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in out)
    assert "\u202e" not in out
    assert safe_text("[bold red]boom").plain == "[bold red]boom"
    hostile_plan = copy.deepcopy(CANARY)
    hostile_plan["metadata"]["name"] = "a\x1b]0;pwned\x07b"
    assert "\x1b" not in plan("promote", hostile_plan).summary
