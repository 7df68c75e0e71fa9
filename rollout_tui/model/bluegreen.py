"""Where a blue-green rollout stands: preview, waiting for promotion, cutover, scale-down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rollout_tui.model.replicasets import ReplicaSetInfo

if TYPE_CHECKING:
    from rollout_tui.model.state import RolloutState

ABORTED = "aborted"
PREVIEW = "preview"  # new ReplicaSet scaling up behind the preview service
PRE_PROMOTION_ANALYSIS = "pre-promotion analysis"
WAITING_FOR_PROMOTION = "waiting for promotion"
ACTIVE_CUTOVER = "active cutover"
POST_PROMOTION_ANALYSIS = "post-promotion analysis"
SCALE_DOWN = "scale-down"  # promoted; the old ReplicaSet waits out its scale-down delay
COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class BlueGreenInfo:
    phase: str
    active_hash: str
    preview_hash: str
    current_hash: str
    stable_hash: str
    auto_promote_at: datetime | None  # autoPromotionSeconds: when the pause ends by itself
    scale_down_at: datetime | None  # earliest pending scale-down deadline of an old ReplicaSet
    pre_promotion_analysis: str  # AnalysisRun phase, "" when none
    post_promotion_analysis: str


def bluegreen_info(state: RolloutState, replicasets: tuple[ReplicaSetInfo, ...]) -> BlueGreenInfo | None:
    if state.strategy != "BlueGreen":
        return None
    active, current = state.active_selector, state.current_pod_hash
    pre, post = state.analysis.pre_promotion, state.analysis.post_promotion
    deadlines = [
        rs.scale_down_deadline
        for rs in replicasets
        if rs.scale_down_deadline is not None and rs.replicas > 0 and rs.pod_template_hash != active
    ]
    if state.aborted:
        phase = ABORTED
    elif active != current or not active:
        if "BlueGreenPause" in state.pause_reasons:
            phase = WAITING_FOR_PROMOTION
        elif pre and pre != "Successful":
            phase = PRE_PROMOTION_ANALYSIS
        elif _preview_ready(replicasets, current):
            phase = ACTIVE_CUTOVER
        else:
            phase = PREVIEW
    elif state.stable_rs != current:
        phase = POST_PROMOTION_ANALYSIS if post and post != "Successful" else ACTIVE_CUTOVER
    elif deadlines:
        phase = SCALE_DOWN
    else:
        phase = COMPLETE
    return BlueGreenInfo(
        phase=phase,
        active_hash=active,
        preview_hash=state.preview_selector,
        current_hash=current,
        stable_hash=state.stable_rs,
        auto_promote_at=state.auto_promote_at,
        scale_down_at=min(deadlines) if deadlines else None,
        pre_promotion_analysis=pre,
        post_promotion_analysis=post,
    )


def _preview_ready(replicasets: tuple[ReplicaSetInfo, ...], current: str) -> bool:
    return any(
        rs.pod_template_hash == current and rs.desired and rs.available >= rs.desired for rs in replicasets
    )
