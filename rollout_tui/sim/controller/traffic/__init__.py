"""Traffic routing for canaries with ``spec.strategy.canary.trafficRouting``: the weights the
controller records in ``status.canary.weights`` and writes to the routers it names (argo-rollouts
rollout/trafficrouting.go reconcileTrafficRouting; the routers in ``routers``).

``verified`` is only ever set for ALB, and only when the simulated controller runs with AWS
target group verification (``Controller(aws_verify_target_group=True)``, the scenario's
``controller: {awsVerifyTargetGroup: true}``), as the real one does with
``--aws-verify-target-group``: True once the Ingress carries the desired weight at a setWeight
step (or at the end), False while it does not, which holds the step. The other routers verify
nothing (their VerifyWeight returns nil), so ``verified`` stays unset for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rollout_tui.sim.controller.traffic import routers
from rollout_tui.sim.controller.traffic.lag import STUCK, router_mode

if TYPE_CHECKING:  # the context imports the analysis package, which imports the controller's
    from rollout_tui.sim.controller.context import RolloutContext


def set_weights(
    ctx: RolloutContext, canary: dict[str, Any], traffic: bool, weight: int, at_set_weight: bool
) -> None:
    """Record and apply ``weight``; ``at_set_weight``: the current step is a setWeight step (or
    the steps are done), where ALB weights are verified."""
    if not traffic:
        ctx.status["canary"].pop("weights", None)
        return
    if ctx.aborted or ctx.status.get("stableRS") == ctx.pod_hash:
        weight = 0
    canary_dest: dict[str, Any] = {"podTemplateHash": ctx.pod_hash, "weight": weight}
    stable_dest: dict[str, Any] = {
        "podTemplateHash": ctx.status.get("stableRS") or "",
        "weight": 100 - weight,
    }
    if canary.get("canaryService"):
        canary_dest["serviceName"] = canary["canaryService"]
    if canary.get("stableService"):
        stable_dest["serviceName"] = canary["stableService"]
    weights: dict[str, Any] = {"canary": canary_dest, "stable": stable_dest}
    previous = (ctx.old.get("canary") or {}).get("weights")
    old_weight = ((previous or {}).get("canary") or {}).get("weight")
    if previous is None:
        ctx.c.events.normal(ctx.ro, "TrafficWeightUpdated", f"Traffic weight updated to {weight}")
    elif old_weight != weight:
        ctx.c.events.normal(
            ctx.ro, "TrafficWeightUpdated", f"Traffic weight updated from {old_weight} to {weight}"
        )
    apply_routers(ctx, canary, weight)
    verified = _alb_verified(ctx, canary, weight, at_set_weight)
    if verified is not None:
        weights["verified"] = verified
    ctx.status["canary"]["weights"] = weights


def apply_routers(ctx: RolloutContext, canary: dict[str, Any], weight: int) -> None:
    mode, lag = router_mode(ctx.ro)
    if mode == STUCK:
        return
    applied = weight
    if mode == "lag":
        uid = str(ctx.ro["metadata"].get("uid", ""))
        lagged, upcoming = ctx.c.router_lag.weight(uid, weight, ctx.now, lag)
        if upcoming is not None:
            ctx.wake_at(upcoming)
        if lagged is None:
            return  # nothing was asked long enough ago: the router keeps what it has
        applied = lagged
    routing = canary.get("trafficRouting") or {}
    stable_hash = str(ctx.status.get("stableRS") or "")
    for kind, write in routers.ROUTERS.items():
        if routing.get(kind):
            write(ctx, canary, applied, ctx.pod_hash, stable_hash)
    if (routing.get("plugins") or {}).get(routers.GATEWAY_PLUGIN):
        routers.gateway_api(ctx, canary, applied, ctx.pod_hash, stable_hash)


def _alb_verified(
    ctx: RolloutContext, canary: dict[str, Any], weight: int, at_set_weight: bool
) -> bool | None:
    if not getattr(ctx.c, "aws_verify_target_group", False) or not (canary.get("trafficRouting") or {}).get(
        "alb"
    ):
        return None
    promoted = ctx.status.get("stableRS") == ctx.pod_hash
    if not ctx.status.get("stableRS") or promoted or ctx.aborted or not at_set_weight:
        return None  # rolloututil.ShouldVerifyWeight
    return routers.alb_weight(ctx, canary) == weight


def weights_unverified(ctx: RolloutContext) -> bool:
    """The router has not confirmed the weight yet (only ALB with verification can say so)."""
    return ((ctx.status.get("canary") or {}).get("weights") or {}).get("verified") is False
