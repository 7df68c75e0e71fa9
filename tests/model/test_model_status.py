"""Status computation: every branch of GetRolloutPhase / CalculateRolloutPhase (utils/rollout/rolloututil.go)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rollout_tui.model.clock import Clock, FixedClock, SystemClock
from rollout_tui.model.status import compute_phase, rollout_status


def canary(**status: object) -> dict:
    base = {
        "updatedReplicas": 1,
        "availableReplicas": 1,
        "replicas": 1,
        "stableRS": "a",
        "currentPodHash": "a",
    }
    base.update(status)
    return {
        "metadata": {"generation": 1},
        "spec": {"replicas": 1, "strategy": {"canary": {}}},
        "status": base,
    }


def bluegreen(**status: object) -> dict:
    ro = canary(**status)
    ro["spec"]["strategy"] = {"blueGreen": {}}
    ro["status"].setdefault("blueGreen", {"activeSelector": "a"})
    return ro


def test_clocks() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert FixedClock(at).now() == at
    assert FixedClock(at.replace(tzinfo=None)).now() == at
    assert SystemClock().now().tzinfo is not None
    assert isinstance(FixedClock(at), Clock) and isinstance(SystemClock(), Clock)


def test_healthy() -> None:
    assert rollout_status(canary()) == ("Healthy", "")
    assert rollout_status(bluegreen()) == ("Healthy", "")


@pytest.mark.parametrize(
    ("observed", "generation", "expected"),
    [
        ("1", 2, "waiting for rollout spec update to be observed"),
        ("3", 2, ""),
        ("abc123", 9, ""),
        ("2", 2, ""),
    ],
)
def test_generation_observed(observed: str, generation: int, expected: str) -> None:
    ro = canary(observedGeneration=observed)
    ro["metadata"]["generation"] = generation
    assert rollout_status(ro)[1] == expected


def test_unpausing_wins_over_phase() -> None:
    ro = canary(controllerPause=True, phase="Paused", message="CanaryPauseStep")
    assert rollout_status(ro) == ("Progressing", "waiting for rollout to unpause")
    ro["status"]["pauseConditions"] = [{"reason": "CanaryPauseStep"}]
    assert rollout_status(ro) == ("Paused", "CanaryPauseStep")


def test_workload_generation_only_when_resolved() -> None:
    ro = canary(workloadObservedGeneration="1")
    ro["metadata"]["annotations"] = {"rollout.argoproj.io/workload-generation": "2"}
    assert rollout_status(ro)[0] == "Healthy"  # the plugin never sees TemplateResolvedFromRef
    assert rollout_status(ro, template_resolved_from_ref=True) == (
        "Progressing",
        "waiting for rollout spec update to be observed for the reference workload",
    )
    ro["status"]["workloadObservedGeneration"] = "2"
    assert rollout_status(ro, template_resolved_from_ref=True)[0] == "Healthy"


def test_status_phase_is_trusted() -> None:
    assert rollout_status(canary(phase="Degraded", message="boom")) == ("Degraded", "boom")
    assert compute_phase(canary(phase="Degraded", message="boom")) == ("Healthy", "")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"conditions": [{"type": "InvalidSpec", "message": "bad"}]}, ("Degraded", "InvalidSpec: bad")),
        (
            {"conditions": [{"type": "Progressing", "reason": "RolloutAborted", "message": "m"}]},
            ("Degraded", "RolloutAborted: m"),
        ),
        (
            {"conditions": [{"type": "Progressing", "reason": "ProgressDeadlineExceeded", "message": "t"}]},
            ("Degraded", "ProgressDeadlineExceeded: t"),
        ),
        (
            {"pauseConditions": [{"reason": "CanaryPauseStep"}, {"reason": "X"}]},
            ("Paused", "CanaryPauseStep"),
        ),
        ({"updatedReplicas": 0}, ("Progressing", "more replicas need to be updated")),
        ({"availableReplicas": 0}, ("Progressing", "updated replicas are still becoming available")),
        ({"replicas": 2}, ("Progressing", "old replicas are pending termination")),
        ({"stableRS": "b"}, ("Progressing", "waiting for all steps to complete")),
        ({"stableRS": ""}, ("Progressing", "waiting for all steps to complete")),
    ],
)
def test_canary_branches(status: dict, expected: tuple[str, str]) -> None:
    assert compute_phase(canary(**status)) == expected


def test_manual_pause_and_restart() -> None:
    ro = canary()
    ro["spec"]["paused"] = True
    assert compute_phase(ro) == ("Paused", "manually paused")
    ro = canary(restartedAt="2026-01-01T00:00:00Z")
    ro["spec"]["restartAt"] = "2026-01-01T00:00:00Z"
    assert compute_phase(ro)[0] == "Healthy"
    ro["spec"]["restartAt"] = "2026-01-01T00:00:01Z"
    assert compute_phase(ro) == ("Progressing", "rollout is restarting")
    del ro["status"]["restartedAt"]
    assert compute_phase(ro) == ("Progressing", "rollout is restarting")


def test_replicas_default_to_one() -> None:
    ro = canary(updatedReplicas=0, availableReplicas=0, replicas=0)
    del ro["spec"]["replicas"]
    assert compute_phase(ro) == ("Progressing", "more replicas need to be updated")


def test_traffic_routing_keeps_old_replicas() -> None:
    ro = canary(replicas=2)
    ro["spec"]["strategy"]["canary"]["trafficRouting"] = {"nginx": {}}
    assert compute_phase(ro) == ("Healthy", "")


def test_bluegreen_branches() -> None:
    assert compute_phase(bluegreen(blueGreen={})) == ("Progressing", "active service cutover pending")
    assert compute_phase(bluegreen(blueGreen={"activeSelector": "b"}))[1] == "active service cutover pending"
    ro = bluegreen(stableRS="old")
    assert compute_phase(ro) == ("Progressing", "waiting for post-promotion verification to complete")
    ro["spec"]["strategy"]["blueGreen"]["postPromotionAnalysis"] = {"templates": []}
    assert compute_phase(ro) == ("Progressing", "waiting for analysis to complete")
    ro["status"]["blueGreen"]["postPromotionAnalysisRunStatus"] = {"status": "Running"}
    assert compute_phase(ro)[1] == "waiting for analysis to complete"
    ro["status"]["blueGreen"]["postPromotionAnalysisRunStatus"] = {"status": "Successful"}
    assert compute_phase(ro)[1] == "waiting for post-promotion verification to complete"


def test_no_strategy_is_healthy() -> None:
    ro = canary()
    ro["spec"]["strategy"] = {}
    assert compute_phase(ro) == ("Healthy", "")


@pytest.mark.parametrize(
    "junk",
    [
        None,
        3,
        "x",
        [],
        {"spec": 1, "status": "x"},
        {"status": {"conditions": "x", "pauseConditions": [1, None]}},
        {"spec": {"replicas": "3"}, "status": {"updatedReplicas": []}},
    ],
)
def test_malformed_never_raises(junk: object) -> None:
    warnings: list[str] = []
    phase, message = rollout_status(junk, warnings)
    assert phase in {"Healthy", "Progressing", "Paused", "Degraded"}
    assert isinstance(message, str)


def test_wrong_types_are_reported() -> None:
    warnings: list[str] = []
    rollout_status({"spec": {"replicas": "3"}, "status": {"updatedReplicas": []}}, warnings)
    assert any("spec.replicas" in w for w in warnings)
    assert any("status.updatedReplicas" in w for w in warnings)
