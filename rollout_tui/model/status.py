"""Rollout status and message, as the controller and the kubectl plugin compute them.

Mirrors GetRolloutPhase / CalculateRolloutPhase in argo-rollouts utils/rollout/rolloututil.go.
Both functions are total: malformed objects give a best-effort answer, never an exception;
`warnings` (optional) collects what was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rollout_tui.model.fields import (
    annotations_of,
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_str,
    check_type,
    desired_replicas,
    dig,
    is_set,
    parse_go_int,
    parse_time,
)

PROGRESSING = "Progressing"
DEGRADED = "Degraded"
PAUSED = "Paused"
HEALTHY = "Healthy"

WORKLOAD_GENERATION_ANNOTATION = "rollout.argoproj.io/workload-generation"
_COMPLETED_ANALYSIS = frozenset({"Successful", "Failed", "Error", "Inconclusive"})
_INT32 = (-(2**31), 2**31 - 1)


def rollout_status(
    rollout: Any, warnings: list[str] | None = None, *, template_resolved_from_ref: bool = False
) -> tuple[str, str]:
    """What is displayed: GetRolloutPhase (generation/unpause checks, then status.phase)."""
    status = as_dict(dig(rollout, "status"))
    if not generation_observed(rollout):
        return PROGRESSING, "waiting for rollout spec update to be observed"
    if as_bool(status.get("controllerPause")) and not as_list(status.get("pauseConditions")):
        return PROGRESSING, "waiting for rollout to unpause"
    # Go reads Spec.TemplateResolvedFromRef, set in memory only by the controller when it resolves
    # spec.workloadRef (json:"-"): for any stored object, and so for the plugin, it is false.
    if template_resolved_from_ref and not workload_generation_observed(rollout):
        return PROGRESSING, "waiting for rollout spec update to be observed for the reference workload"
    phase = status.get("phase")
    if isinstance(phase, str) and phase:
        check_type(warnings, "status.message", status.get("message"), str)
        return phase, as_str(status.get("message"))
    check_type(warnings, "status.phase", phase, str)
    return compute_phase(rollout, warnings)


def compute_phase(rollout: Any, warnings: list[str] | None = None) -> tuple[str, str]:
    """CalculateRolloutPhase: what the controller writes as status.phase / status.message."""
    spec = as_dict(dig(rollout, "spec"))
    status = as_dict(dig(rollout, "status"))
    _check_shapes(spec, status, warnings)

    for cond in as_list(status.get("conditions")):
        cond = as_dict(cond)
        if cond.get("type") == "InvalidSpec":
            return DEGRADED, f"InvalidSpec: {as_str(cond.get('message'))}"
        reason = cond.get("reason")
        if reason in ("RolloutAborted", "ProgressDeadlineExceeded"):
            return DEGRADED, f"{reason}: {as_str(cond.get('message'))}"
    if as_bool(spec.get("paused")):
        return PAUSED, "manually paused"
    for pause in as_list(status.get("pauseConditions")):
        return PAUSED, as_str(as_dict(pause).get("reason"))
    if _restarting(spec, status):
        return PROGRESSING, "rollout is restarting"

    desired = desired_replicas(spec)
    updated = as_int(status.get("updatedReplicas"))
    available = as_int(status.get("availableReplicas"))
    if updated < desired:
        return PROGRESSING, "more replicas need to be updated"
    if available < updated:
        return PROGRESSING, "updated replicas are still becoming available"

    strategy = as_dict(spec.get("strategy"))
    current_hash = as_str(status.get("currentPodHash"))
    stable_rs = as_str(status.get("stableRS"))
    fully_promoted = stable_rs == current_hash
    if is_set(strategy.get("blueGreen")):
        active = as_str(dig(status, "blueGreen", "activeSelector"))
        if not active or active != current_hash:
            return PROGRESSING, "active service cutover pending"
        if not stable_rs or not fully_promoted:
            if _waiting_for_post_promotion_analysis(strategy, status):
                return PROGRESSING, "waiting for analysis to complete"
            return PROGRESSING, "waiting for post-promotion verification to complete"
    elif is_set(strategy.get("canary")):
        canary = as_dict(strategy.get("canary"))
        if not is_set(canary.get("trafficRouting")) and as_int(status.get("replicas")) > updated:
            # Only basic canary: blue-green and traffic-routed canaries keep old replicas on purpose
            # (scale-down delay).
            return PROGRESSING, "old replicas are pending termination"
        if not stable_rs or not fully_promoted:
            return PROGRESSING, "waiting for all steps to complete"
    return HEALTHY, ""


def generation_observed(rollout: Any) -> bool:
    """isGenerationObserved: a non-numeric or larger status.observedGeneration counts as observed
    (v0.9 controllers wrote a hash there)."""
    observed = parse_go_int(dig(rollout, "status", "observedGeneration"))
    if observed is None:
        return True
    return observed >= as_int(dig(rollout, "metadata", "generation"))


def workload_generation_observed(rollout: Any) -> bool:
    """isWorkloadGenerationObserved, for callers that know the template came from a workloadRef."""
    raw = annotations_of(rollout).get(WORKLOAD_GENERATION_ANNOTATION)
    wanted = parse_go_int(raw) if isinstance(raw, str) else None
    if wanted is None or not _INT32[0] <= wanted <= _INT32[1]:
        return True
    observed = parse_go_int(dig(rollout, "status", "workloadObservedGeneration"))
    if observed is None or not _INT32[0] <= observed <= _INT32[1]:
        return True
    return observed == wanted


def _restarting(spec: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    restart_at = spec.get("restartAt")
    if restart_at is None or restart_at == "":
        return False
    restarted_at = status.get("restartedAt")
    if restarted_at is None:
        return True
    wanted, done = parse_time(restart_at), parse_time(restarted_at)
    if wanted is None or done is None:
        return bool(restart_at != restarted_at)
    return wanted != done


def _waiting_for_post_promotion_analysis(strategy: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    if not is_set(dig(strategy, "blueGreen", "postPromotionAnalysis")):
        return False
    run_status = dig(status, "blueGreen", "postPromotionAnalysisRunStatus")
    if not is_set(run_status):
        return True
    return as_dict(run_status).get("status") not in _COMPLETED_ANALYSIS


def _check_shapes(spec: Mapping[str, Any], status: Mapping[str, Any], warnings: list[str] | None) -> None:
    if warnings is None:
        return
    for key in ("replicas",):
        check_type(warnings, f"spec.{key}", spec.get(key), int)
    check_type(warnings, "spec.paused", spec.get("paused"), bool)
    for key in ("replicas", "updatedReplicas", "availableReplicas", "readyReplicas"):
        check_type(warnings, f"status.{key}", status.get(key), int)
    for key in ("conditions", "pauseConditions"):
        check_type(warnings, f"status.{key}", status.get(key), list)
