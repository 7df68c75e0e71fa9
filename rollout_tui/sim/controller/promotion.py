"""What promoting a rollout does in both strategies (argo-rollouts rollout/sync.go promoteStable):
the requests that led to it are cleared, and the new revision becomes the stable one."""

from __future__ import annotations

from rollout_tui.sim.controller import duration
from rollout_tui.sim.controller.context import RolloutContext


def clear_requests(ctx: RolloutContext) -> None:
    """Pauses, an abort and a full-promotion request are done with once the rollout promotes."""
    ctx.clear_pauses()
    for key in ("abort", "abortedAt", "promoteFull"):
        ctx.status.pop(key, None)


def promote_stable(ctx: RolloutContext, reason: str) -> None:
    """Make the current revision stable, unless it is already, and say so as the controller does."""
    if ctx.status.get("stableRS") == ctx.pod_hash:
        return
    duration.promoted(ctx, full=bool(ctx.old.get("promoteFull")))
    ctx.status["stableRS"] = ctx.pod_hash
    ctx.c.events.normal(
        ctx.ro,
        "RolloutCompleted",
        f"Rollout completed update to revision {ctx.revision} ({ctx.pod_hash}): {reason}",
    )
