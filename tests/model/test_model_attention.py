"""What needs a human (model.attention) and when a rollout newly does (model.alerts)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rollout_tui.model.alerts import alert
from rollout_tui.model.attention import AUTO, FAILING, OK, STUCK, WAITING, attention, tally
from rollout_tui.model.state import rollout_state

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
STEPS = [{"setWeight": 20}, {"pause": {}}, {"pause": {"duration": "1m"}}, {"analysis": {"templates": []}}]


def canary(**status: Any) -> dict[str, Any]:
    base = {"currentPodHash": "new", "stableRS": "old", "updatedReplicas": 1, "availableReplicas": 1}
    return {
        "metadata": {"name": "r", "namespace": "ns"},
        "spec": {"replicas": 1, "strategy": {"canary": {"steps": STEPS}}},
        "status": {**base, **status},
    }


def level(ro: dict[str, Any], now: datetime = NOW) -> tuple[str, str]:
    found = attention(rollout_state(ro), now)
    return found.level, found.headline


PAUSE = [{"reason": "CanaryPauseStep", "startTime": "2026-01-15T11:59:30Z"}]


@pytest.mark.parametrize(
    ("ro", "expected"),
    [
        (
            {
                "metadata": {},
                "spec": {"replicas": 1, "strategy": {"canary": {}}},
                "status": {"phase": "Healthy"},
            },
            (OK, ""),
        ),
        (
            canary(currentStepIndex=1, pauseConditions=PAUSE, controllerPause=True),
            (WAITING, "waiting for promotion at step 1/4"),
        ),
        (canary(currentStepIndex=2, pauseConditions=PAUSE, controllerPause=True), (AUTO, "pause ends")),
        (
            canary(currentStepIndex=3, canary={"currentStepAnalysisRunStatus": {"status": "Running"}}),
            (AUTO, "analysis running"),
        ),
        (
            canary(currentStepIndex=3, pauseConditions=[{"reason": "InconclusiveAnalysisRun"}]),
            (WAITING, "inconclusive analysis: promote or abort"),
        ),
        (
            canary(currentStepIndex=3, abort=True, phase="Degraded", message="RolloutAborted: x"),
            (FAILING, "aborted"),
        ),
        (canary(phase="Degraded", message="ProgressDeadlineExceeded: x"), (FAILING, "degraded")),
        (canary(phase="Weird"), (FAILING, "status Weird")),
    ],
)
def test_levels(ro: dict[str, Any], expected: tuple[str, str]) -> None:
    assert level(ro) == expected


def test_paused_by_hand_and_blue_green_waits() -> None:
    ro = canary(currentStepIndex=0)
    ro["spec"]["paused"] = True
    assert level(ro) == (WAITING, "paused by hand")
    bg = {
        "metadata": {},
        "spec": {"strategy": {"blueGreen": {}}},
        "status": {"pauseConditions": [{"reason": "BlueGreenPause", "startTime": "2026-01-15T11:59:30Z"}]},
    }
    assert level(bg) == (WAITING, "waiting for promotion")
    bg["spec"]["strategy"]["blueGreen"]["autoPromotionSeconds"] = 60
    assert level(bg) == (AUTO, "auto-promotion")
    assert attention(rollout_state(bg), NOW).reasons[0].until == NOW + timedelta(seconds=30)


def test_stuck_after_the_progress_deadline_and_when_that_changes() -> None:
    ro = canary(
        phase="Progressing", conditions=[{"type": "Progressing", "lastUpdateTime": "2026-01-15T11:55:00Z"}]
    )
    ro["spec"]["progressDeadlineSeconds"] = 600
    early = attention(rollout_state(ro), NOW)
    assert early.level == AUTO and early.changes_at == datetime(2026, 1, 15, 12, 5, tzinfo=UTC)
    late = attention(rollout_state(ro), NOW + timedelta(minutes=6))
    assert late.level == STUCK and late.needs_me and late.changes_at is None


def test_alerts_only_for_what_newly_needs_a_human() -> None:
    calm = attention(rollout_state(canary(currentStepIndex=0)), NOW)
    waiting = attention(rollout_state(canary(currentStepIndex=1, pauseConditions=PAUSE)), NOW)
    aborted = attention(rollout_state(canary(currentStepIndex=1, abort=True, phase="Degraded")), NOW)
    assert alert(None, aborted) is None  # the first sighting never alerts
    found = alert(calm, waiting)
    assert found is not None and found.texts == ("waiting for promotion at step 1/4",) and not found.severe
    severe = alert(waiting, aborted)
    assert severe is not None and severe.texts == ("aborted",) and severe.severe
    assert alert(waiting, waiting) is None
    moved = copy.deepcopy(canary(currentStepIndex=1, pauseConditions=PAUSE))
    assert alert(waiting, attention(rollout_state(moved), NOW)) is None


def test_reason_lines_count_down_and_quote_the_controller() -> None:
    timed = attention(
        rollout_state(canary(currentStepIndex=2, pauseConditions=PAUSE, controllerPause=True)), NOW
    )
    assert timed.counting_down and timed.line(NOW) == "pause ends in 30s"
    assert timed.line(NOW + timedelta(seconds=29.5)) == "pause ends in 1s"  # rounded up: 0s only when over
    assert timed.line(NOW + timedelta(seconds=31)) == "pause ends now"
    aborted = canary(
        currentStepIndex=3,
        abort=True,
        phase="Degraded",
        message='RolloutAborted: Rollout aborted update to revision 2: Metric "x" assessed Failed',
    )
    found = attention(rollout_state(aborted), NOW)
    assert found.headline == "aborted"  # alerts and the wall keep the short, stable text
    assert found.line(NOW) == 'aborted: Metric "x" assessed Failed' and not found.counting_down
    degraded = attention(rollout_state(canary(phase="Degraded", message="ProgressDeadlineExceeded: x")), NOW)
    assert degraded.line(NOW) == "ProgressDeadlineExceeded: x"
    healthy = {"metadata": {}, "spec": {"strategy": {"canary": {}}}, "status": {"phase": "Healthy"}}
    assert attention(rollout_state(healthy), NOW).line(NOW) == ""


def test_tally_counts_what_needs_a_human_apart_from_what_carries_on() -> None:
    levels = [
        canary(phase="Degraded", message="x"),
        canary(currentStepIndex=1, pauseConditions=PAUSE, controllerPause=True),
        canary(currentStepIndex=2, pauseConditions=PAUSE, controllerPause=True),
        {"metadata": {}, "spec": {"strategy": {"canary": {}}}, "status": {"phase": "Healthy"}},
    ]
    counts = tally(attention(rollout_state(ro), NOW) for ro in levels)
    assert (counts.failing, counts.stuck, counts.waiting, counts.auto, counts.ok) == (1, 0, 1, 1, 1)
    assert counts.total == 4 and counts.needs_me == 2 and counts.broken == 1
