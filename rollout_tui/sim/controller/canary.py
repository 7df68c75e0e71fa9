"""The canary strategy: steps (setWeight, pause, analysis, experiment, setCanaryScale), traffic
weights, promotion and abort (argo-rollouts rollout/canary.go); the analysis and experiment
steps are in canary_analysis.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rollout_tui.sim.controller import canary_analysis, promotion
from rollout_tui.sim.controller.context import RolloutContext, weight_replicas
from rollout_tui.sim.controller.traffic import set_weights, weights_unverified
from rollout_tui.sim.naming import go_duration, parse_duration
from rollout_tui.sim.objects import (
    as_int,
    int_or_percent,
    meta,
    parse_time,
)

CANARY_PAUSE = "CanaryPauseStep"
DEFAULT_SCALE_DOWN_DELAY = 30.0


def step_string(step: dict[str, Any]) -> str:
    """CanaryStepString: how RolloutStepCompleted events name a step."""
    if "setWeight" in step:
        return f"setWeight: {as_int(step['setWeight'])}"
    if "pause" in step:
        duration = parse_duration((step.get("pause") or {}).get("duration"))
        return "pause" if duration is None else f"pause: {go_duration(duration)}"
    if "experiment" in step:
        return "experiment"
    if "analysis" in step:
        return "analysis"
    scale = step.get("setCanaryScale")
    if isinstance(scale, dict):
        if scale.get("weight") is not None:
            return f"setCanaryScale{{weight: {as_int(scale['weight'])}}}"
        if scale.get("matchTrafficWeight"):
            return "setCanaryScale{matchTrafficWeight: true}"
        if scale.get("replicas") is not None:
            return f"setCanaryScale{{replicas: {as_int(scale['replicas'])}}}"
    return "invalid"


def reconcile_canary(ctx: RolloutContext) -> None:
    canary = (ctx.spec.get("strategy") or {}).get("canary") or {}
    steps = [s for s in canary.get("steps") or [] if isinstance(s, dict)]
    n = len(steps)
    traffic = bool(canary.get("trafficRouting"))
    status = ctx.status
    status.setdefault("canary", {})
    status.setdefault("blueGreen", {})
    index = min(max(as_int(status.get("currentStepIndex"), 0), 0), n) if n else None
    stable_hash = status.get("stableRS") or ""
    stable_rs = ctx.rs_by_hash(stable_hash)
    new_rs = ctx.new_rs
    promoted = stable_hash == ctx.pod_hash

    if status.get("promoteFull") and not promoted and not ctx.aborted:
        index = n if n else None
        ctx.clear_pauses()

    # Analysis first: a failed run aborts before anything scales further.
    if not promoted and not ctx.aborted:
        canary_analysis.background_analysis(ctx, canary, index)
        if index is not None and index < n and not status.get("promoteFull"):
            canary_analysis.step_analysis_or_experiment(ctx, steps[index], index)

    replicas = ctx.replicas
    if ctx.aborted and not promoted:
        ctx.clear_pauses()  # CalculateAbortStatus: an aborted rollout carries no pause conditions
        if traffic and new_rs is not None:
            # Traffic is already back on the stable; the canary pods linger for the abort delay.
            delay = parse_duration(canary.get("abortScaleDownDelaySeconds"))
            ctx.scale_down_later(new_rs, DEFAULT_SCALE_DOWN_DELAY if delay is None else delay)
        else:
            ctx.scale(new_rs, 0)
        ctx.keep(stable_rs)
        ctx.scale(stable_rs, replicas)
        ctx.terminate_runs()
        ctx.terminate_experiments()
        if n:
            status["currentStepIndex"] = n if promoted else 0
        set_weights(ctx, canary, traffic, 0, False)
        _scale_down_others(ctx, traffic, canary, keep=(stable_rs, new_rs))
        return

    if new_rs is not None:
        ctx.keep(new_rs)  # a retried or resumed canary drops a pending abort scale-down
    if promoted or stable_rs is None:
        ctx.scale(new_rs, replicas)
        if stable_rs is None and not promoted:
            _promote(ctx, canary, n, "Initial deploy")
        set_weights(ctx, canary, traffic, 0, False)
        _scale_down_others(ctx, traffic, canary, keep=(new_rs,))
        if n:
            status["currentStepIndex"] = n
        return

    # An update in progress.
    weight = _current_weight(steps, index, n)
    new_count, stable_count = _desired_counts(ctx, steps, index, n, weight, traffic)
    if traffic and (index is None or index >= n):
        # All steps done: the stable keeps serving until the canary carries everything. (Without
        # traffic routing the unavailability budget below keeps it serving instead.)
        stable_count = ctx.spec_replicas(stable_rs)
    ctx.keep(stable_rs)
    stable_step, new_step = stable_count, new_count
    if not traffic:
        stable_step, new_step = _within_surge_and_unavailability(
            ctx, canary, stable_rs, new_count, stable_count
        )
    ctx.scale(stable_rs, stable_step)
    ctx.scale(new_rs, new_step)
    _scale_down_others(ctx, traffic, canary, keep=(stable_rs, new_rs))
    at_set_weight = index is None or index >= n or "setWeight" in steps[index]
    set_weights(ctx, canary, traffic, weight, at_set_weight)
    ctx.point_service(canary.get("canaryService"), ctx.pod_hash)
    ctx.point_service(canary.get("stableService"), stable_hash)

    if index is None or index >= n:
        if weights_unverified(ctx):
            ctx.wake_in(
                10
            )  # "end of rollout, desired weight not yet verified": look again (rolloutVerifyRetryInterval)
            return
        if ctx.available(ctx.new_rs) >= replicas and ctx.spec_replicas(ctx.new_rs) == replicas:
            reason = (
                "Full promotion requested" if status.get("promoteFull") else f"Completed all {n} canary steps"
            )
            _promote(ctx, canary, n, reason)
            ctx.terminate_runs()
            set_weights(ctx, canary, traffic, 0, False)
            _scale_down_others(ctx, traffic, canary, keep=(ctx.new_rs,))
        return

    if ctx.spec.get("paused") or ctx.aborted:
        return
    if _step_completed(ctx, steps[index], index, new_count, stable_count, stable_rs):
        status["currentStepIndex"] = index + 1
        status["canary"].pop("currentStepAnalysisRunStatus", None)
        ctx.remove_pause(CANARY_PAUSE)
        if not status.get("pauseConditions"):
            status.pop("controllerPause", None)
        ctx.c.events.normal(
            ctx.ro,
            "RolloutStepCompleted",
            f"Rollout step {index + 1}/{n} completed ({step_string(steps[index])})",
        )
        ctx.wake_in(0)  # go on with the next step in the next pass, as the controller requeues


def _promote(ctx: RolloutContext, canary: dict[str, Any], n: int, reason: str) -> None:
    status = ctx.status
    promotion.clear_requests(ctx)
    if n:
        status["currentStepIndex"] = n
    if canary.get("pingPong") and status.get("stableRS") != ctx.pod_hash:
        # Ping-pong routing: the stable side flips between the two services on every promotion.
        current = status["canary"].get("stablePingPong")
        status["canary"]["stablePingPong"] = "pong" if current == "ping" else "ping"
    promotion.promote_stable(ctx, reason)
    ctx.point_service(canary.get("stableService"), ctx.pod_hash)
    ctx.point_service(canary.get("canaryService"), ctx.pod_hash)


def _current_weight(steps: list[dict[str, Any]], index: int | None, n: int) -> int:
    if index is None or index >= n:
        return 100
    for step in reversed(steps[: index + 1]):
        if "setWeight" in step:
            return max(0, min(100, as_int(step["setWeight"])))
    return 0


def _desired_counts(
    ctx: RolloutContext, steps: list[dict[str, Any]], index: int | None, n: int, weight: int, traffic: bool
) -> tuple[int, int]:
    replicas = ctx.replicas
    canary_count = weight_replicas(replicas, weight)
    if 0 < weight < 100 and replicas > 0:
        canary_count = max(canary_count, 1)
    if index is not None and index < n:
        for step in reversed(steps[: index + 1]):
            scale = step.get("setCanaryScale")
            if isinstance(scale, dict):
                if scale.get("replicas") is not None:
                    canary_count = max(as_int(scale["replicas"]), 0)
                elif scale.get("weight") is not None:
                    canary_count = weight_replicas(replicas, as_int(scale["weight"]))
                break
    if traffic:
        return canary_count, replicas
    return canary_count, weight_replicas(replicas, 100 - weight)


def _within_surge_and_unavailability(
    ctx: RolloutContext,
    canary: dict[str, Any],
    stable_rs: dict[str, Any] | None,
    new_count: int,
    stable_count: int,
) -> tuple[int, int]:
    """Move toward the step's counts without breaking maxUnavailable (default 25%, rounded down)
    or maxSurge (25%, rounded up), as the basic canary does: the stable only shrinks as canary
    pods become available, and the canary only grows within the surge."""
    replicas = ctx.replicas
    max_surge = int_or_percent(canary.get("maxSurge", "25%"), replicas, True, 1)
    max_unavailable = int_or_percent(canary.get("maxUnavailable", "25%"), replicas, False, 0)
    if max_surge == 0 and max_unavailable == 0:
        max_unavailable = 1  # the API rejects 0/0; never deadlock on it
    canary_available = min(ctx.available(ctx.new_rs), new_count)
    current_stable = ctx.spec_replicas(stable_rs)
    stable_floor = max(replicas - max_unavailable - canary_available, 0)
    stable = (
        stable_count
        if stable_count >= current_stable
        else max(stable_count, min(stable_floor, current_stable))
    )
    canary_room = max(replicas + max_surge - stable, 0)
    return stable, min(new_count, max(canary_room, ctx.spec_replicas(ctx.new_rs) if ctx.new_rs else 0))


def _scale_down_others(
    ctx: RolloutContext, traffic: bool, canary: dict[str, Any], keep: tuple[dict[str, Any] | None, ...]
) -> None:
    kept = {meta(rs)["name"] for rs in keep if rs is not None}
    delay = parse_duration(canary.get("scaleDownDelaySeconds")) if traffic else 0.0
    if traffic and delay is None:
        delay = DEFAULT_SCALE_DOWN_DELAY
    for name, rs in list(ctx.rss.items()):
        if name not in kept:
            ctx.scale_down_later(rs, delay or 0.0)


def _step_completed(
    ctx: RolloutContext,
    step: dict[str, Any],
    index: int,
    new_count: int,
    stable_count: int,
    stable_rs: dict[str, Any] | None,
) -> bool:
    status = ctx.status
    if "setWeight" in step and weights_unverified(ctx):
        ctx.wake_in(
            10
        )  # the load balancer has not confirmed the weight: look again (rolloutVerifyRetryInterval)
        return False
    if "setWeight" in step or "setCanaryScale" in step:
        return (
            ctx.available(ctx.new_rs) >= new_count
            and ctx.spec_replicas(ctx.new_rs) == new_count
            and ctx.spec_replicas(stable_rs) == stable_count
            and ctx.available(stable_rs) >= stable_count
        )
    if "pause" in step:
        duration = parse_duration((step.get("pause") or {}).get("duration"))
        cond = ctx.pause_condition(CANARY_PAUSE)
        if cond is None:
            if status.get("controllerPause"):
                return True  # the pause was added earlier and an operator cleared it (promote)
            cond = ctx.add_pause(CANARY_PAUSE)
        if duration is not None:
            started = parse_time(cond.get("startTime")) or ctx.now
            ends = started + timedelta(seconds=duration)
            if ctx.now >= ends:
                return True
            ctx.wake_at(ends)
        return False
    if "analysis" in step:
        ref = status["canary"].get("currentStepAnalysisRunStatus") or {}
        return ref.get("status") == "Successful"
    if "experiment" in step:
        exp = ctx.c.cache.get("experiments", ctx.namespace, status["canary"].get("currentExperiment") or "")
        return exp is not None and (exp.get("status") or {}).get("phase") == "Successful"
    return True  # steps the simulator does not model (plugins, header routes) complete at once
