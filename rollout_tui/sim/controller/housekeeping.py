"""Restarts (spec.restartAt) and garbage collection of old ReplicaSets, AnalysisRuns and
Experiments (argo-rollouts rollout/restart.go, rollout/sync.go reconcileRevisionHistoryLimit,
rollout/analysis.go and rollout/experiment.go history limits)."""

from __future__ import annotations

from rollout_tui.sim.controller.context import RolloutContext
from rollout_tui.sim.objects import (
    HASH_LABEL,
    as_int,
    int_or_percent,
    labels,
    meta,
    parse_time,
    revision_of,
)

DEFAULT_REVISION_HISTORY_LIMIT = 10


def restart(ctx: RolloutContext) -> None:
    wanted = ctx.spec.get("restartAt")
    restart_at = parse_time(wanted)
    if restart_at is None or ctx.status.get("restartedAt") == wanted:
        return
    if restart_at > ctx.now:
        ctx.wake_at(restart_at)
        return
    live = [rs for rs in ctx.rss.values() if ctx.spec_replicas(rs) > 0]
    old_pods = []
    for rs in live:
        for pod in ctx.c.cache.owned(rs, "pods"):
            created = parse_time(meta(pod).get("creationTimestamp"))
            if created is not None and created < restart_at:
                old_pods.append((meta(pod).get("creationTimestamp", ""), meta(pod)["name"]))
    if not old_pods:
        ctx.status["restartedAt"] = wanted
        ctx.c.events.normal(
            ctx.ro, "RolloutRestarted", "Rollout restarted: all pods are newer than restartAt"
        )
        return
    if any(ctx.available(rs) < ctx.spec_replicas(rs) for rs in live):
        return  # wait until the last evicted pod is replaced before evicting more
    canary = (ctx.spec.get("strategy") or {}).get("canary")
    budget = 0
    if canary is not None:
        budget = int_or_percent(canary.get("maxUnavailable", "25%"), ctx.replicas, False, 0)
    for _created, name in sorted(old_pods)[: max(budget, 1)]:
        try:
            ctx.c.store.delete("pods", ctx.namespace, name)
        except Exception as exc:
            if getattr(exc, "code", None) != 404:
                raise
        ctx.c.events.normal(ctx.ro, "PodEvicted", f"Evicted pod {name} to restart it")


def trim_history(ctx: RolloutContext) -> None:
    limit = (
        as_int(ctx.spec.get("revisionHistoryLimit"), DEFAULT_REVISION_HISTORY_LIMIT)
        if ctx.spec.get("revisionHistoryLimit") is not None
        else DEFAULT_REVISION_HISTORY_LIMIT
    )
    in_use = {
        ctx.pod_hash,
        ctx.status.get("stableRS") or "",
        (ctx.status.get("blueGreen") or {}).get("activeSelector") or "",
    }
    idle = [
        rs
        for rs in ctx.rss.values()
        if labels(rs).get(HASH_LABEL) not in in_use
        and ctx.spec_replicas(rs) == 0
        and ctx.rs_replicas(rs) == 0
    ]
    idle.sort(key=revision_of)
    for rs in idle[: max(len(idle) - max(limit, 0), 0)]:
        try:
            ctx.c.store.delete("replicasets", ctx.namespace, meta(rs)["name"])
        except Exception as exc:
            if getattr(exc, "code", None) != 404:
                raise
        ctx.rss.pop(meta(rs)["name"], None)


def trim_runs(ctx: RolloutContext) -> None:
    """Garbage-collect finished AnalysisRuns and Experiments beyond the history limits
    (spec.analysis.successfulRunHistoryLimit / unsuccessfulRunHistoryLimit, default 5 each)."""
    limits = ctx.spec.get("analysis") or {}
    keep_ok = as_int(limits.get("successfulRunHistoryLimit"), 5)
    keep_bad = as_int(limits.get("unsuccessfulRunHistoryLimit"), 5)
    canary, blue_green = ctx.status.get("canary") or {}, ctx.status.get("blueGreen") or {}
    referenced = {
        (ref or {}).get("name")
        for ref in (
            canary.get("currentStepAnalysisRunStatus"),
            canary.get("currentBackgroundAnalysisRunStatus"),
            blue_green.get("prePromotionAnalysisRunStatus"),
            blue_green.get("postPromotionAnalysisRunStatus"),
        )
    }
    referenced.add(canary.get("currentExperiment"))
    for plural in ("analysisruns", "experiments"):
        done = [
            obj
            for obj in ctx.c.cache.owned(ctx.ro, plural)
            if (obj.get("status") or {}).get("phase") in ("Successful", "Failed", "Error", "Inconclusive")
            and meta(obj)["name"] not in referenced
        ]
        done.sort(key=lambda obj: (meta(obj).get("creationTimestamp", ""), meta(obj)["name"]), reverse=True)
        good = [o for o in done if (o.get("status") or {}).get("phase") == "Successful"]
        bad = [o for o in done if (o.get("status") or {}).get("phase") != "Successful"]
        for obj in good[keep_ok:] + bad[keep_bad:]:
            try:
                ctx.c.store.delete(plural, ctx.namespace, meta(obj)["name"])
            except Exception as exc:
                if getattr(exc, "code", None) != 404:
                    raise
