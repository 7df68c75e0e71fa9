"""The blue-green strategy: preview stack, pre-promotion analysis, pause / auto-promotion, active
switch, post-promotion analysis, scale-down delay, abort (argo-rollouts rollout/bluegreen.go)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rollout_tui.sim.controller import promotion
from rollout_tui.sim.controller.context import RolloutContext
from rollout_tui.sim.objects import as_int, meta, parse_time

BLUE_GREEN_PAUSE = "BlueGreenPause"
DEFAULT_SCALE_DOWN_DELAY = 30.0
DEFAULT_ABORT_SCALE_DOWN_DELAY = 30.0


def reconcile_bluegreen(ctx: RolloutContext) -> None:
    bg = (ctx.spec.get("strategy") or {}).get("blueGreen") or {}
    status = ctx.status
    status.setdefault("blueGreen", {})
    status.setdefault("canary", {})
    status.pop("currentStepIndex", None)
    replicas = ctx.replicas
    new_rs = ctx.new_rs
    active_hash = status["blueGreen"].get("activeSelector") or ""
    active_rs = ctx.rs_by_hash(active_hash)
    stable_hash = status.get("stableRS") or ""

    if active_rs is None or not active_hash:
        # Initial deploy: the first ReplicaSet goes straight to the active service and is stable at
        # once (shouldFullPromote: "Initial deploy"); its pods then come up behind it.
        ctx.scale(new_rs, replicas)
        ctx.point_service(bg.get("previewService"), ctx.pod_hash)
        status["blueGreen"]["previewSelector"] = ctx.pod_hash if bg.get("previewService") else None
        _switch_active(ctx, bg)
        _promote(ctx, "Initial deploy")
        _tidy(status)
        _scale_down_old(ctx, bg)
        return

    if (ctx.aborted and active_hash != ctx.pod_hash) or (
        ctx.aborted and stable_hash and stable_hash != ctx.pod_hash
    ):
        # Abort: traffic back on the stable stack, the new one scaled down after a delay.
        stable_rs = ctx.rs_by_hash(stable_hash) or active_rs
        ctx.keep(stable_rs)
        ctx.scale(stable_rs, replicas)
        digest = (
            ((stable_rs or {}).get("metadata") or {}).get("labels", {}).get("rollouts-pod-template-hash", "")
        )
        if digest and status["blueGreen"].get("activeSelector") != digest:
            status["blueGreen"]["activeSelector"] = digest
            ctx.point_service(bg.get("activeService"), digest)
        if bg.get("previewService") and digest:
            status["blueGreen"]["previewSelector"] = digest
            ctx.point_service(bg.get("previewService"), digest)
        delay = (
            as_int(bg.get("abortScaleDownDelaySeconds"), int(DEFAULT_ABORT_SCALE_DOWN_DELAY))
            if bg.get("abortScaleDownDelaySeconds") is not None
            else DEFAULT_ABORT_SCALE_DOWN_DELAY
        )
        if new_rs is not None:
            ctx.scale_down_later(new_rs, float(delay))
        ctx.terminate_runs()
        ctx.clear_pauses()
        _tidy(status)
        return

    if active_hash == ctx.pod_hash:
        # Promoted: keep the stack full, verify after promotion, then it is stable.
        ctx.scale(new_rs, replicas)
        if bg.get("previewService"):
            status["blueGreen"]["previewSelector"] = ctx.pod_hash
            ctx.point_service(bg.get("previewService"), ctx.pod_hash)
        if stable_hash != ctx.pod_hash:
            if not status.get("promoteFull"):
                outcome = _promotion_analysis(
                    ctx, status, bg.get("postPromotionAnalysis"), "PostPromotion", "post"
                )
                if outcome == "aborted":
                    return reconcile_bluegreen(ctx)
                if outcome == "running":
                    _tidy(status)
                    _scale_down_old(ctx, bg)
                    return None
            _promote(
                ctx,
                "Full promotion requested" if status.get("promoteFull") else "Completed blue-green update",
            )
        _tidy(status)
        _scale_down_old(ctx, bg)
        return None

    # An update in progress: bring up the preview stack.
    full = status.get("promoteFull")
    preview_count = bg.get("previewReplicaCount")
    target = replicas
    if preview_count is not None and not full and not status["blueGreen"].get("scaleUpPreviewCheckPoint"):
        target = min(max(as_int(preview_count), 0), replicas)
    ctx.scale(new_rs, target)
    ctx.keep(active_rs)
    ctx.scale(active_rs, replicas)
    if bg.get("previewService"):
        status["blueGreen"]["previewSelector"] = ctx.pod_hash
        ctx.point_service(bg.get("previewService"), ctx.pod_hash)
    _scale_down_old(ctx, bg)
    if ctx.available(ctx.new_rs) < target or ctx.spec_replicas(ctx.new_rs) != target:
        _tidy(status)
        return None
    if not full:
        outcome = _promotion_analysis(ctx, status, bg.get("prePromotionAnalysis"), "PrePromotion", "pre")
        if outcome == "aborted":
            return reconcile_bluegreen(ctx)
        if outcome == "running":
            _tidy(status)
            return None
        if ctx.spec.get("paused"):
            _tidy(status)
            return None
        if not _pause_passed(ctx, bg):
            _tidy(status)
            return None
    if preview_count is not None and target < replicas:
        status["blueGreen"]["scaleUpPreviewCheckPoint"] = True
        ctx.scale(ctx.new_rs, replicas)
        ctx.wake_in(0)
        _tidy(status)
        return None
    _switch_active(ctx, bg)
    ctx.clear_pauses()
    ctx.wake_in(0)
    _tidy(status)
    return None


def _pause_passed(ctx: RolloutContext, bg: dict[str, Any]) -> bool:
    """BlueGreenPause before the switch: manual (autoPromotionEnabled=false) or autoPromotionSeconds."""
    auto_enabled = bg.get("autoPromotionEnabled", True) is not False
    auto_seconds = as_int(bg.get("autoPromotionSeconds"), 0)
    if auto_enabled and auto_seconds <= 0:
        return True
    cond = ctx.pause_condition(BLUE_GREEN_PAUSE)
    if cond is None:
        if ctx.status.get("controllerPause"):
            return True  # paused earlier and an operator promoted
        cond = ctx.add_pause(BLUE_GREEN_PAUSE)
    if auto_enabled and auto_seconds > 0:
        ends = (parse_time(cond.get("startTime")) or ctx.now) + timedelta(seconds=auto_seconds)
        if ctx.now >= ends:
            ctx.remove_pause(BLUE_GREEN_PAUSE)
            return True
        ctx.wake_at(ends)
    return False


def _switch_active(ctx: RolloutContext, bg: dict[str, Any]) -> None:
    status = ctx.status
    status["blueGreen"]["activeSelector"] = ctx.pod_hash
    ctx.point_service(bg.get("activeService"), ctx.pod_hash)


def _promote(ctx: RolloutContext, reason: str) -> None:
    promotion.clear_requests(ctx)
    ctx.status["blueGreen"].pop("scaleUpPreviewCheckPoint", None)
    promotion.promote_stable(ctx, reason)


def _scale_down_old(ctx: RolloutContext, bg: dict[str, Any]) -> None:
    """ReplicaSets that are neither new nor active go to 0 after scaleDownDelaySeconds."""
    active = ctx.status["blueGreen"].get("activeSelector") or ""
    delay = (
        as_int(bg.get("scaleDownDelaySeconds"), int(DEFAULT_SCALE_DOWN_DELAY))
        if bg.get("scaleDownDelaySeconds") is not None
        else DEFAULT_SCALE_DOWN_DELAY
    )
    for name, rs in list(ctx.rss.items()):
        if ctx.new_rs is not None and name == meta(ctx.new_rs)["name"]:
            continue
        digest = ((rs.get("metadata") or {}).get("labels") or {}).get("rollouts-pod-template-hash")
        if digest == active:
            continue
        ctx.scale_down_later(rs, float(delay))


def _promotion_analysis(
    ctx: RolloutContext, status: dict[str, Any], analysis: Any, run_type: str, suffix: str
) -> str | None:
    """Pre- or post-promotion analysis: None when there is none or it passed, "running" while it
    runs, "aborted" when it failed or errored (the rollout has then been aborted)."""
    if not (isinstance(analysis, dict) and analysis.get("templates")):
        return None
    key = run_type[0].lower() + run_type[1:] + "AnalysisRunStatus"  # prePromotionAnalysisRunStatus ...
    previous = status["blueGreen"].get(key)
    run = ctx.ensure_run(run_type, f"{ctx.name}-{ctx.pod_hash}-{ctx.revision}-{suffix}", analysis, previous)
    ref = ctx.run_ref(run, previous, run_type)
    if ref is None:
        return None
    status["blueGreen"][key] = ref
    if ref.get("status") in ("Failed", "Error"):
        ctx.abort(ref.get("message") or f"AnalysisRun '{ref['name']}' {ref['status'].lower()}")
        return "aborted"
    return None if ref.get("status") == "Successful" else "running"


def _tidy(status: dict[str, Any]) -> None:
    blue_green = status.get("blueGreen") or {}
    for key in [k for k, v in blue_green.items() if v is None]:
        del blue_green[key]
