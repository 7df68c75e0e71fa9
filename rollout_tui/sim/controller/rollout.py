"""The Rollout reconciler: one pass of argo-rollouts rollout/controller.go syncHandler.

The order is the controller's: validation (InvalidSpec), the ReplicaSet for the pod template and
the revision (revisions.py), the strategy (canary.py, bluegreen.py), restart and garbage
collection (housekeeping.py), then status counts, conditions, phase and message (progress.py),
written once when anything changed."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from rollout_tui.model.status import compute_phase
from rollout_tui.sim.controller import conditions as cond
from rollout_tui.sim.controller import duration, housekeeping, progress, revisions, workload
from rollout_tui.sim.controller.bluegreen import reconcile_bluegreen
from rollout_tui.sim.controller.canary import reconcile_canary
from rollout_tui.sim.controller.context import RolloutContext
from rollout_tui.sim.errors import ApiError
from rollout_tui.sim.naming import pod_template_hash
from rollout_tui.sim.objects import meta, write_status


class RolloutReconciler:
    def __init__(self, controller: Any) -> None:
        self.c = controller

    def reconcile(self, ro: dict[str, Any]) -> datetime | None:
        if meta(ro).get("deletionTimestamp"):
            return None
        ctx = RolloutContext(self.c, ro, self.c.clock.now(), copy.deepcopy(ro.get("status") or {}))
        ctx.rss = {meta(rs)["name"]: rs for rs in self.c.cache.owned(ro, "replicasets")}
        resolved, target = ro, None
        if workload.referenced(ro) is not None:
            try:
                resolved, target = workload.resolve(self.c.store, ro)
            except workload.WorkloadError as exc:
                return self._write_invalid(ctx, str(exc))
            ctx.resolved_spec = resolved["spec"]
        problem = validate(resolved)
        if problem:
            return self._write_invalid(ctx, problem)
        cond.remove(ctx.status, cond.INVALID_SPEC)
        ctx.pod_hash = pod_template_hash(ctx.spec.get("template"), ctx.status.get("collisionCount"))
        try:
            revisions.ensure_new_rs(ctx)
        except ApiError as exc:
            if exc.code != 422:
                raise
            return self._write_invalid(ctx, exc.message)  # e.g. a seeded name no ReplicaSet may have
        revisions.detect_update(ctx)
        if ctx.status.get("abort") and not ctx.status.get("abortedAt"):
            ctx.status["abortedAt"] = ctx.now_s
        strategy = ctx.spec.get("strategy") or {}
        if strategy.get("blueGreen") is not None:
            reconcile_bluegreen(ctx)
        else:
            reconcile_canary(ctx)
        if ctx.invalid:
            return self._write_invalid(ctx, ctx.invalid)
        housekeeping.restart(ctx)
        housekeeping.trim_history(ctx)
        housekeeping.trim_runs(ctx)
        progress.set_counts(ctx)
        progress.set_conditions(ctx)
        phase, message = compute_phase({"metadata": meta(ro), "spec": ctx.spec, "status": ctx.status})
        ctx.status["phase"], ctx.status["message"] = phase, message
        if not message:
            ctx.status.pop("message", None)
        duration.calculate(ctx)
        progress.emit_pause_events(ctx)
        for flag in ("abort", "controllerPause", "promoteFull"):  # omitempty booleans
            if not ctx.status.get(flag):
                ctx.status.pop(flag, None)
        if not ctx.status.get("abort"):
            ctx.status.pop("abortedAt", None)
        if target is not None:
            workload.record_generation(ctx, target)
            workload.scale_down(ctx, target)
        else:
            ctx.status.pop("workloadObservedGeneration", None)
        if ctx.status != ctx.old:
            write_status(self.c.store, "rollouts", ctx.ro, ctx.status)
        return min(ctx.wakes) if ctx.wakes else None

    def _write_invalid(self, ctx: RolloutContext, message: str) -> datetime | None:
        status = ctx.status
        cond.set_condition(
            status, cond.new(cond.INVALID_SPEC, "True", cond.INVALID_SPEC_REASON, message, ctx.now_s)
        )
        status["observedGeneration"] = str(meta(ctx.ro).get("generation", 1))
        status["phase"], status["message"] = compute_phase({"spec": ctx.spec, "status": status})
        if status != ctx.old:
            write_status(self.c.store, "rollouts", ctx.ro, status)
            ctx.c.events.warning(ctx.ro, cond.INVALID_SPEC_REASON, message)
        return None


def validate(ro: dict[str, Any]) -> str:
    """The spec checks that make the real controller set InvalidSpec (a useful subset)."""
    spec = ro.get("spec") or {}
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        return "Rollout has missing field '.spec.selector'"
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        return "This rollout is selecting all pods. A non-empty selector is required."
    template = spec.get("template")
    if not isinstance(template, dict):
        return "Rollout has missing field '.spec.template'"
    if isinstance(template, dict):
        template_labels = (template.get("metadata") or {}).get("labels") or {}
        for key, value in (selector.get("matchLabels") or {}).items():
            if template_labels.get(key) != value:
                return (
                    f'The Rollout "{meta(ro).get("name", "")}" is invalid: spec.template.metadata.labels: '
                    f"Invalid value: {template_labels!r}: `selector` does not match template `labels`"
                )
        if not ((template.get("spec") or {}).get("containers")):
            return "Rollout has missing field '.spec.template.spec.containers'"
    strategy = spec.get("strategy") or {}
    if strategy.get("blueGreen") is None and strategy.get("canary") is None:
        return "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'"
    if strategy.get("blueGreen") is not None and not (strategy.get("blueGreen") or {}).get("activeService"):
        return "Rollout has missing field '.spec.strategy.blueGreen.activeService'"
    return ""
