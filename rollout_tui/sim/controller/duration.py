"""``status.duration``: when the current rollout attempt started, the time it spent in manual
pauses, and when and how it finished (argo-rollouts 1.11 rollout/sync.go
calculateStatusDuration, RolloutDurationStatus.CompleteRollout in
pkg/apis/rollouts/v1alpha1/types.go, the CompletionStatus set by promoteStable).

Fields: rolloutStartedAt, manualPauseStartedAt, totalManualPauseDurationSeconds, finishedAt,
completionStatus (Promoted | FastPromoted | Aborted | RolledBack | FastRolledBack; Superseded is
replaced by the next attempt within the same update, as upstream).
"""

from __future__ import annotations

from typing import Any

from rollout_tui.sim.controller import conditions as cond
from rollout_tui.sim.controller.context import RolloutContext
from rollout_tui.sim.naming import parse_duration
from rollout_tui.sim.objects import meta, parse_time

MANUAL_PAUSES = ("InconclusiveAnalysisRun", "InconclusiveExperiment")


def _completed(duration: dict[str, Any] | None) -> bool:
    return bool(duration and duration.get("rolloutStartedAt") and duration.get("finishedAt"))


def _complete(ctx: RolloutContext, duration: dict[str, Any], status: str) -> None:
    """CompleteRollout: close a running manual pause, then finish."""
    started = parse_time(duration.pop("manualPauseStartedAt", None))
    if started is not None:
        paused = int((ctx.now - started).total_seconds())
        duration["totalManualPauseDurationSeconds"] = (
            int(duration.get("totalManualPauseDurationSeconds") or 0) + paused
        )
    duration["finishedAt"] = ctx.now_s
    duration["completionStatus"] = status


def _spec_changed(ctx: RolloutContext) -> bool:
    old = ctx.old
    if not old.get("currentPodHash"):
        return True
    changed = old.get("currentPodHash") != ctx.pod_hash
    if "currentStepHash" in ctx.status:  # a canary: the new step hash is already computed
        changed = changed or old.get("currentStepHash") != ctx.status["currentStepHash"]
    return changed


def _rollback(ctx: RolloutContext) -> tuple[bool, bool]:
    """(isRollback, isFastRollback) for the new ReplicaSet against the (old) stable one."""
    stable = ctx.rs_by_hash(ctx.old.get("stableRS") or "")
    if ctx.new_rs is None or stable is None:
        return False, False
    to_stable = ctx.old.get("stableRS") == ctx.pod_hash
    new_created = parse_time(meta(ctx.new_rs).get("creationTimestamp"))
    stable_created = parse_time(meta(stable).get("creationTimestamp"))
    older = new_created is not None and stable_created is not None and new_created < stable_created
    return to_stable or older, to_stable


def _manual_pause(ctx: RolloutContext) -> bool:
    """requiresManualAction (rollout/pause.go) for any pause condition, or spec.paused."""
    if ctx.spec.get("paused"):
        return True
    strategy = ctx.spec.get("strategy") or {}
    for pause in ctx.status.get("pauseConditions") or []:
        reason = pause.get("reason") if isinstance(pause, dict) else None
        if reason in MANUAL_PAUSES:
            return True
        if reason == "CanaryPauseStep":
            steps = (strategy.get("canary") or {}).get("steps") or []
            index = ctx.old.get("currentStepIndex")
            if isinstance(index, int) and 0 <= index < len(steps) and isinstance(steps[index], dict):
                pause_step = steps[index].get("pause")
                if isinstance(pause_step, dict) and parse_duration(pause_step.get("duration")) is None:
                    return True
        if (
            reason == "BlueGreenPause"
            and (strategy.get("blueGreen") or {}).get("autoPromotionEnabled") is False
        ):
            return True
    return False


def _track_pause(ctx: RolloutContext, duration: dict[str, Any], was_paused: bool) -> None:
    manual = _manual_pause(ctx)
    if was_paused and not manual:
        started = parse_time(duration.pop("manualPauseStartedAt", None))
        if started is not None:
            paused = int((ctx.now - started).total_seconds())
            duration["totalManualPauseDurationSeconds"] = (
                int(duration.get("totalManualPauseDurationSeconds") or 0) + paused
            )
    elif not was_paused and manual and not duration.get("manualPauseStartedAt"):
        duration["manualPauseStartedAt"] = ctx.now_s


def calculate(ctx: RolloutContext) -> None:
    """Set ``status.duration`` on the new status (nothing while the spec is invalid)."""
    status, old = ctx.status, ctx.old
    duration: dict[str, Any] | None = dict(status.get("duration") or {}) or None
    previous = old.get("duration") or None
    changed = _spec_changed(ctx)
    promoted = status.get("stableRS") == status.get("currentPodHash")
    reached = ctx.available(ctx.new_rs) >= ctx.replicas if ctx.new_rs is not None else False
    done = promoted and reached
    progressing = cond.get(old, cond.PROGRESSING) or {}
    retry = not ctx.aborted and progressing.get("reason") == cond.ABORTED
    was_paused = bool(previous and previous.get("manualPauseStartedAt"))
    in_progress = bool(previous and previous.get("rolloutStartedAt") and not _completed(previous))
    if in_progress and duration is not None:
        if changed:
            rollback, fast = _rollback(ctx)
            if rollback:
                duration["completionStatus"] = "FastRolledBack" if fast else "RolledBack"
            else:
                _complete(ctx, duration, "Superseded")
        if done and not _completed(duration):
            _complete(ctx, duration, duration.get("completionStatus") or "Promoted")
            _store(ctx, duration)
            return
        if ctx.aborted and not _completed(duration):
            _complete(ctx, duration, duration.get("completionStatus") or "Aborted")
    if duration is None or (_completed(duration) and not done):
        was_paused = False
        if (changed and not done) or retry:
            duration = {"rolloutStartedAt": ctx.now_s}
    if duration is None or _completed(duration):
        _store(ctx, duration)
        return
    _track_pause(ctx, duration, was_paused)
    _store(ctx, duration)


def promoted(ctx: RolloutContext, full: bool) -> None:
    """promoteStable: the outcome is known (Promoted, FastPromoted) before the attempt finishes."""
    duration = ctx.status.get("duration")
    if isinstance(duration, dict) and not duration.get("completionStatus"):
        duration["completionStatus"] = "FastPromoted" if full else "Promoted"


def _store(ctx: RolloutContext, duration: dict[str, Any] | None) -> None:
    if duration:
        ctx.status["duration"] = duration
    else:
        ctx.status.pop("duration", None)


__all__ = ["calculate", "promoted"]
