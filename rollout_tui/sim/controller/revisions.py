"""A ReplicaSet per pod template and the rollout's revision, and what a new template resets
(argo-rollouts rollout/replicaset.go, rollout/sync.go getAllReplicaSetsAndSyncRevision and
syncReplicasOnly's update detection)."""

from __future__ import annotations

import copy
from typing import Any

from rollout_tui.sim.controller import conditions as cond
from rollout_tui.sim.controller.context import RolloutContext
from rollout_tui.sim.naming import pod_template_hash, step_hash
from rollout_tui.sim.objects import (
    DESIRED_REPLICAS_ANNOTATION,
    HASH_LABEL,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    annotations_of,
    labels,
    meta,
    owner_reference,
    revision_of,
    terminate_unfinished,
)


def ensure_new_rs(ctx: RolloutContext) -> None:
    max_revision = max((revision_of(rs) for rs in ctx.rss.values()), default=0)
    new_rs = ctx.rs_by_hash(ctx.pod_hash)
    if new_rs is None:
        revision = max_revision + 1
        for _attempt in range(10):
            try:
                new_rs = _create_rs(ctx, revision)
                break
            except Exception as exc:
                if getattr(exc, "code", None) != 409:
                    raise
                # Someone else's ReplicaSet has our name: count the collision, as the
                # controller does (status.collisionCount), which changes the hash.
                ctx.status["collisionCount"] = int(ctx.status.get("collisionCount") or 0) + 1
                ctx.pod_hash = pod_template_hash(ctx.spec.get("template"), ctx.status["collisionCount"])
        else:
            raise RuntimeError("could not find a free ReplicaSet name after 10 hash collisions")
        ctx.c.events.normal(
            ctx.ro,
            "NewReplicaSetCreated",
            f"Created ReplicaSet {meta(new_rs)['name']} (revision {revision})",
        )
        ctx.c.events.normal(ctx.ro, "RolloutUpdated", f"Rollout updated to revision {revision}")
    elif revision_of(new_rs) < max_revision:
        # Rolling back to an older template: its ReplicaSet takes the next revision.
        old_revision, revision = revision_of(new_rs), max_revision + 1
        history = [
            h for h in str(annotations_of(new_rs).get(REVISION_HISTORY_ANNOTATION, "")).split(",") if h
        ]

        def bump(obj: dict[str, Any]) -> None:
            notes = obj["metadata"].setdefault("annotations", {})
            notes[REVISION_ANNOTATION] = str(revision)
            notes[REVISION_HISTORY_ANNOTATION] = ",".join([*history, str(old_revision)])

        new_rs = ctx.c.store.mutate("replicasets", ctx.namespace, meta(new_rs)["name"], bump)
        ctx.c.events.normal(ctx.ro, "RolloutUpdated", f"Rollout updated to revision {revision}")
    ctx.rss[meta(new_rs)["name"]] = new_rs
    ctx.new_rs = new_rs
    wanted = str(revision_of(new_rs))
    if annotations_of(ctx.ro).get(REVISION_ANNOTATION) != wanted:
        ctx.ro = ctx.c.store.mutate(
            "rollouts",
            ctx.namespace,
            ctx.name,
            lambda obj: (
                obj["metadata"].setdefault("annotations", {}).__setitem__(REVISION_ANNOTATION, wanted)
            ),
        )


def _create_rs(ctx: RolloutContext, revision: int) -> dict[str, Any]:
    template = copy.deepcopy(ctx.spec.get("template") or {})
    tmeta = template.setdefault("metadata", {})
    tmeta["labels"] = {**(tmeta.get("labels") or {}), HASH_LABEL: ctx.pod_hash}
    selector = copy.deepcopy(ctx.spec.get("selector") or {})
    selector.setdefault("matchLabels", {})[HASH_LABEL] = ctx.pod_hash
    rs: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{ctx.name}-{ctx.pod_hash}",
            "namespace": ctx.namespace,
            "labels": dict(tmeta["labels"]),
            "annotations": {
                REVISION_ANNOTATION: str(revision),
                DESIRED_REPLICAS_ANNOTATION: str(ctx.replicas),
            },
            "ownerReferences": [owner_reference(ctx.ro)],
        },
        "spec": {"replicas": 0, "selector": selector, "template": template},
    }
    if ctx.spec.get("minReadySeconds") is not None:
        rs["spec"]["minReadySeconds"] = ctx.spec["minReadySeconds"]
    return ctx.c.store.create("replicasets", rs)


def detect_update(ctx: RolloutContext) -> None:
    status = ctx.status
    strategy = ctx.spec.get("strategy") or {}
    canary = strategy.get("canary") if strategy.get("blueGreen") is None else None
    n = len((canary or {}).get("steps") or [])
    old_hash = status.get("currentPodHash") or ""
    stable = status.get("stableRS") or ""
    if old_hash != ctx.pod_hash:
        status["currentPodHash"] = ctx.pod_hash
        for key in ("pauseConditions", "controllerPause", "abort", "abortedAt"):
            status.pop(key, None)
        status.setdefault("canary", {})
        for key in (
            "currentStepAnalysisRunStatus",
            "currentBackgroundAnalysisRunStatus",
            "currentExperiment",
        ):
            status["canary"].pop(key, None)
        blue_green = status.setdefault("blueGreen", {})
        for key in (
            "prePromotionAnalysisRunStatus",
            "postPromotionAnalysisRunStatus",
            "scaleUpPreviewCheckPoint",
        ):
            blue_green.pop(key, None)
        if canary is not None and n:
            status["currentStepIndex"] = n if ctx.pod_hash == stable else 0
        if old_hash and ctx.pod_hash == stable:
            ctx.c.events.normal(ctx.ro, "SkipSteps", "Rollback to stable ReplicaSets")
        _terminate_other_revisions(ctx)
    if canary is not None:
        digest = step_hash(canary)
        if status.get("currentStepHash") != digest:
            if status.get("currentStepHash") and n and stable != ctx.pod_hash:
                status["currentStepIndex"] = 0
            status["currentStepHash"] = digest
    # Retry: the operator cleared `abort` after an abort; the steps restart with fresh runs.
    progressing = cond.get(ctx.old, cond.PROGRESSING) or {}
    if not status.get("abort") and progressing.get("reason") == cond.ABORTED:
        status.pop("abortedAt", None)
        for key in (
            "currentStepAnalysisRunStatus",
            "currentBackgroundAnalysisRunStatus",
            "currentExperiment",
        ):
            status.setdefault("canary", {}).pop(key, None)
        for key in ("prePromotionAnalysisRunStatus", "postPromotionAnalysisRunStatus"):
            status.setdefault("blueGreen", {}).pop(key, None)
        if canary is not None and n and stable != ctx.pod_hash:
            status["currentStepIndex"] = 0


def _terminate_other_revisions(ctx: RolloutContext) -> None:
    for plural in ("analysisruns", "experiments"):
        others = [
            obj for obj in ctx.c.cache.owned(ctx.ro, plural) if labels(obj).get(HASH_LABEL) != ctx.pod_hash
        ]
        terminate_unfinished(ctx.c.store, plural, others)
