"""Where a blue-green rollout stands: preview, waiting for promotion, cutover, scale-down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.model.clock import Clock
from rollout_tui.model.fields import as_bool, as_dict, as_int, as_list, as_str, dig, is_set, parse_time
from rollout_tui.model.replicasets import ReplicaSetInfo

ABORTED = "aborted"
PREVIEW = "preview"  # new ReplicaSet scaling up behind the preview service
PRE_PROMOTION_ANALYSIS = "pre-promotion analysis"
WAITING_FOR_PROMOTION = "waiting for promotion"
ACTIVE_CUTOVER = "active cutover"
POST_PROMOTION_ANALYSIS = "post-promotion analysis"
SCALE_DOWN = "scale-down"  # promoted; the old ReplicaSet waits out its scale-down delay
COMPLETE = "complete"


@dataclass(frozen=True)
class BlueGreenInfo:
    phase: str
    active_hash: str
    preview_hash: str
    current_hash: str
    stable_hash: str
    auto_promotion_remaining: timedelta | None  # autoPromotionSeconds countdown while paused
    scale_down_remaining: timedelta | None  # earliest pending scale-down deadline
    pre_promotion_analysis: str  # AnalysisRun phase, "" when none
    post_promotion_analysis: str


def bluegreen_info(
    rollout: Any, replicasets: tuple[ReplicaSetInfo, ...], clock: Clock
) -> BlueGreenInfo | None:
    spec = dig(rollout, "spec", "strategy", "blueGreen")
    if not is_set(spec):
        return None
    spec = as_dict(spec)
    status = as_dict(dig(rollout, "status"))
    active = as_str(dig(status, "blueGreen", "activeSelector"))
    preview = as_str(dig(status, "blueGreen", "previewSelector"))
    current = as_str(status.get("currentPodHash"))
    stable = as_str(status.get("stableRS"))
    pre = as_str(dig(status, "blueGreen", "prePromotionAnalysisRunStatus", "status"))
    post = as_str(dig(status, "blueGreen", "postPromotionAnalysisRunStatus", "status"))
    now = clock.now()

    auto_remaining = None
    paused, pause_start = _pause(status, "BlueGreenPause")
    auto_seconds = as_int(spec.get("autoPromotionSeconds"))
    if pause_start is not None and auto_seconds > 0:
        auto_remaining = max(timedelta(0), pause_start + timedelta(seconds=auto_seconds) - now)

    deadlines = [
        rs.scale_down_deadline
        for rs in replicasets
        if rs.scale_down_deadline is not None and rs.replicas > 0 and rs.pod_template_hash != active
    ]
    scale_down_remaining = max(timedelta(0), min(deadlines) - now) if deadlines else None

    if as_bool(status.get("abort")):
        phase = ABORTED
    elif active != current or not active:
        if paused:
            phase = WAITING_FOR_PROMOTION
        elif pre and pre not in ("Successful",):
            phase = PRE_PROMOTION_ANALYSIS
        elif _preview_ready(replicasets, current):
            phase = ACTIVE_CUTOVER
        else:
            phase = PREVIEW
    elif stable != current:
        phase = POST_PROMOTION_ANALYSIS if post and post != "Successful" else ACTIVE_CUTOVER
    elif scale_down_remaining is not None:
        phase = SCALE_DOWN
    else:
        phase = COMPLETE
    return BlueGreenInfo(
        phase=phase,
        active_hash=active,
        preview_hash=preview,
        current_hash=current,
        stable_hash=stable,
        auto_promotion_remaining=auto_remaining,
        scale_down_remaining=scale_down_remaining,
        pre_promotion_analysis=pre,
        post_promotion_analysis=post,
    )


def _pause(status: dict, reason: str) -> tuple[bool, datetime | None]:
    """(a pause condition with this reason exists, its start time if readable)."""
    for cond in as_list(status.get("pauseConditions")):
        cond = as_dict(cond)
        if cond.get("reason") == reason:
            return True, parse_time(cond.get("startTime"))
    return False, None


def _preview_ready(replicasets: tuple[ReplicaSetInfo, ...], current: str) -> bool:
    return any(
        rs.pod_template_hash == current and rs.desired and rs.available >= rs.desired for rs in replicasets
    )
