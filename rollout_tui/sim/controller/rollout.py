"""The Rollout reconciler: ReplicaSet per pod template, revisions, update detection, abort/retry,
restart, revision history, then status counts, conditions, phase and message written the way
the real controller writes them (rollout/sync.go, reference §6). Strategy specifics live in
canary.py and bluegreen.py."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.model.status import compute_phase
from rollout_tui.sim.controller import conditions as cond
from rollout_tui.sim.controller.bluegreen import reconcile_bluegreen
from rollout_tui.sim.controller.canary import reconcile_canary
from rollout_tui.sim.controller.context import RolloutContext
from rollout_tui.sim.controller.naming import parse_duration, pod_template_hash, selector_string, step_hash
from rollout_tui.sim.controller.objects import (
    DESIRED_REPLICAS_ANNOTATION,
    HASH_LABEL,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    annotations,
    as_int,
    int_or_percent,
    labels,
    meta,
    owner_reference,
    parse_time,
    revision_of,
    write_status,
)

DEFAULT_PROGRESS_DEADLINE = 600
DEFAULT_REVISION_HISTORY_LIMIT = 10


class RolloutReconciler:
    def __init__(self, controller: Any) -> None:
        self.c = controller

    def reconcile(self, ro: dict[str, Any]) -> datetime | None:
        if meta(ro).get("deletionTimestamp"):
            return None
        ctx = RolloutContext(self.c, ro, self.c.clock.now(), copy.deepcopy(ro.get("status") or {}))
        ctx.rss = {meta(rs)["name"]: rs for rs in self.c.cache.owned(ro, "replicasets")}
        problem = validate(ro)
        if problem:
            return self._write_invalid(ctx, problem)
        cond.remove(ctx.status, cond.INVALID_SPEC)
        ctx.pod_hash = pod_template_hash(ctx.spec.get("template"), ctx.status.get("collisionCount"))
        self._ensure_new_rs(ctx)
        self._detect_update(ctx)
        if ctx.status.get("abort") and not ctx.status.get("abortedAt"):
            ctx.status["abortedAt"] = ctx.now_s
        strategy = ctx.spec.get("strategy") or {}
        if strategy.get("blueGreen") is not None:
            reconcile_bluegreen(ctx)
        else:
            reconcile_canary(ctx)
        if ctx.invalid:
            return self._write_invalid(ctx, ctx.invalid)
        self._restart(ctx)
        self._trim_history(ctx)
        self._trim_runs(ctx)
        self._counts(ctx)
        self._conditions(ctx)
        phase, message = compute_phase({"metadata": meta(ro), "spec": ctx.spec, "status": ctx.status})
        ctx.status["phase"], ctx.status["message"] = phase, message
        if not message:
            ctx.status.pop("message", None)
        self._pause_events(ctx)
        for flag in ("abort", "controllerPause", "promoteFull"):  # omitempty booleans
            if not ctx.status.get(flag):
                ctx.status.pop(flag, None)
        if not ctx.status.get("abort"):
            ctx.status.pop("abortedAt", None)
        if ctx.status != ctx.old:
            write_status(self.c.store, "rollouts", ctx.ro, ctx.status)
        return min(ctx.wakes) if ctx.wakes else None

    # ------------------------------------------------------------------ ReplicaSets and revisions
    def _ensure_new_rs(self, ctx: RolloutContext) -> None:
        max_revision = max((revision_of(rs) for rs in ctx.rss.values()), default=0)
        new_rs = ctx.rs_by_hash(ctx.pod_hash)
        if new_rs is None:
            revision = max_revision + 1
            for _attempt in range(10):
                try:
                    new_rs = self._create_rs(ctx, revision)
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
                h for h in str(annotations(new_rs).get(REVISION_HISTORY_ANNOTATION, "")).split(",") if h
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
        if annotations(ctx.ro).get(REVISION_ANNOTATION) != wanted:
            ctx.ro = ctx.c.store.mutate(
                "rollouts",
                ctx.namespace,
                ctx.name,
                lambda obj: (
                    obj["metadata"].setdefault("annotations", {}).__setitem__(REVISION_ANNOTATION, wanted)
                ),
            )

    def _create_rs(self, ctx: RolloutContext, revision: int) -> dict[str, Any]:
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

    def _detect_update(self, ctx: RolloutContext) -> None:
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
            self._terminate_other_revisions(ctx)
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

    def _terminate_other_revisions(self, ctx: RolloutContext) -> None:
        for run in ctx.c.cache.owned(ctx.ro, "analysisruns"):
            if (
                labels(run).get(HASH_LABEL) != ctx.pod_hash
                and not (run.get("spec") or {}).get("terminate")
                and (run.get("status") or {}).get("phase")
                not in ("Successful", "Failed", "Error", "Inconclusive")
            ):
                ctx.c.store.mutate(
                    "analysisruns",
                    ctx.namespace,
                    meta(run)["name"],
                    lambda obj: obj["spec"].__setitem__("terminate", True),
                )
        for exp in ctx.c.cache.owned(ctx.ro, "experiments"):
            if (
                labels(exp).get(HASH_LABEL) != ctx.pod_hash
                and not (exp.get("spec") or {}).get("terminate")
                and (exp.get("status") or {}).get("phase")
                not in ("Successful", "Failed", "Error", "Inconclusive")
            ):
                ctx.c.store.mutate(
                    "experiments",
                    ctx.namespace,
                    meta(exp)["name"],
                    lambda obj: obj["spec"].__setitem__("terminate", True),
                )

    # ------------------------------------------------------------------ restart and history
    def _restart(self, ctx: RolloutContext) -> None:
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

    def _trim_history(self, ctx: RolloutContext) -> None:
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

    def _trim_runs(self, ctx: RolloutContext) -> None:
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
            done.sort(
                key=lambda obj: (meta(obj).get("creationTimestamp", ""), meta(obj)["name"]), reverse=True
            )
            good = [o for o in done if (o.get("status") or {}).get("phase") == "Successful"]
            bad = [o for o in done if (o.get("status") or {}).get("phase") != "Successful"]
            for obj in good[keep_ok:] + bad[keep_bad:]:
                try:
                    ctx.c.store.delete(plural, ctx.namespace, meta(obj)["name"])
                except Exception as exc:
                    if getattr(exc, "code", None) != 404:
                        raise

    # ------------------------------------------------------------------ status
    def _counts(self, ctx: RolloutContext) -> None:
        status = ctx.status
        rss = list(ctx.rss.values())
        bg = (ctx.spec.get("strategy") or {}).get("blueGreen") is not None
        active = ctx.rs_by_hash((status.get("blueGreen") or {}).get("activeSelector") or "")
        values = {
            "replicas": sum(ctx.rs_replicas(rs) for rs in rss),
            "updatedReplicas": ctx.rs_replicas(ctx.new_rs),
            "readyReplicas": sum(as_int((rs.get("status") or {}).get("readyReplicas")) for rs in rss),
            "availableReplicas": ctx.available(active) if bg else sum(ctx.available(rs) for rs in rss),
            "HPAReplicas": ctx.rs_replicas(active) if bg else sum(ctx.rs_replicas(rs) for rs in rss),
        }
        for key, value in values.items():
            if value:
                status[key] = value
            else:
                status.pop(key, None)
        match = dict((ctx.spec.get("selector") or {}).get("matchLabels") or {})
        if bg and (status.get("blueGreen") or {}).get("activeSelector"):
            match[HASH_LABEL] = status["blueGreen"]["activeSelector"]
        status["selector"] = selector_string(match)
        status["observedGeneration"] = str(meta(ctx.ro).get("generation", 1))

    def _conditions(self, ctx: RolloutContext) -> None:
        status, now = ctx.status, ctx.now_s
        is_paused = bool(status.get("pauseConditions")) or bool(ctx.spec.get("paused"))
        progressing = cond.get(status, cond.PROGRESSING)
        abort_cond = progressing is not None and progressing.get("reason") == cond.ABORTED
        completed = bool(status.get("stableRS")) and status.get("stableRS") == status.get("currentPodHash")
        # checkPausedConditions
        prog_paused = progressing is not None and progressing.get("reason") == cond.PAUSED_REASON
        if is_paused != prog_paused and not abort_cond and not completed:
            if is_paused:
                cond.set_condition(
                    status,
                    cond.new(cond.PROGRESSING, "Unknown", cond.PAUSED_REASON, cond.PAUSED_MESSAGE, now),
                )
            else:
                cond.set_condition(
                    status, cond.new(cond.PROGRESSING, "Unknown", cond.RESUMED, cond.RESUMED_MESSAGE, now)
                )
        if not ctx.aborted and abort_cond:
            cond.set_condition(
                status, cond.new(cond.PROGRESSING, "Unknown", cond.RETRY, cond.RETRY_MESSAGE, now)
            )
            abort_cond = False
        paused_cond = cond.get(status, cond.PAUSED)
        paused_true = paused_cond is not None and paused_cond.get("status") == "True"
        if is_paused != paused_true and not abort_cond:
            cond.set_condition(
                status,
                cond.new(
                    cond.PAUSED,
                    "True" if is_paused else "False",
                    cond.PAUSED_REASON,
                    cond.PAUSED_MESSAGE,
                    now,
                ),
            )
        # calculateRolloutConditions
        healthy = self._healthy(ctx)
        became_unhealthy = False
        current_healthy = cond.get(status, cond.HEALTHY)
        if not is_paused and healthy:
            cond.set_condition(
                status, cond.new(cond.HEALTHY, "True", cond.HEALTHY_REASON, cond.HEALTHY_MESSAGE, now)
            )
        elif current_healthy is not None:
            became_unhealthy = cond.set_condition(
                status, cond.new(cond.HEALTHY, "False", cond.HEALTHY_REASON, cond.NOT_HEALTHY_MESSAGE, now)
            )
        rs_name = meta(ctx.new_rs)["name"] if ctx.new_rs else ""
        if ctx.aborted:
            existing = cond.get(status, cond.PROGRESSING)
            if existing is None or existing.get("reason") != cond.ABORTED:
                message = cond.ABORTED_MESSAGE.format(ctx.revision)
                if ctx.abort_message:
                    message = f"{message}: {ctx.abort_message}"
                cond.set_condition(status, cond.new(cond.PROGRESSING, "False", cond.ABORTED, message, now))
                ctx.c.events.warning(ctx.ro, cond.ABORTED, message)
        else:
            if healthy:
                cond.set_condition(
                    status,
                    cond.new(
                        cond.PROGRESSING,
                        "True",
                        cond.NEW_RS_AVAILABLE,
                        cond.RS_COMPLETED_MESSAGE.format(rs_name),
                        now,
                    ),
                )
            elif self._progressed(ctx) or became_unhealthy:
                if status.get("stableRS") == status.get("currentPodHash") and became_unhealthy:
                    reason, message = cond.RS_NOT_AVAILABLE, cond.NOT_AVAILABLE_MESSAGE
                else:
                    reason, message = cond.RS_UPDATED, cond.RS_PROGRESSING_MESSAGE.format(rs_name)
                fresh = cond.new(cond.PROGRESSING, "True", reason, message, now)
                current = cond.get(status, cond.PROGRESSING)
                if current is not None and current.get("status") == "True":
                    fresh["lastTransitionTime"] = current.get("lastTransitionTime", now)
                cond.remove(status, cond.PROGRESSING)
                status["conditions"].append(fresh)
            elif not self._indefinite(ctx):
                self._check_deadline(ctx, rs_name)
        # Available
        bg = (ctx.spec.get("strategy") or {}).get("blueGreen") is not None
        active = ctx.rs_by_hash((status.get("blueGreen") or {}).get("activeSelector") or "")
        if bg:
            available = (
                active is not None
                and ctx.spec_replicas(active) == ctx.replicas
                and ctx.available(active) >= ctx.replicas
            )
        else:
            available = sum(ctx.available(rs) for rs in ctx.rss.values()) >= ctx.replicas
        if available:
            cond.set_condition(
                status, cond.new(cond.AVAILABLE, "True", cond.AVAILABLE_REASON, cond.AVAILABLE_MESSAGE, now)
            )
        else:
            cond.set_condition(
                status,
                cond.new(cond.AVAILABLE, "False", cond.AVAILABLE_REASON, cond.NOT_AVAILABLE_MESSAGE, now),
            )
        completed = bool(status.get("stableRS")) and status.get("stableRS") == status.get("currentPodHash")
        if completed:
            cond.set_condition(
                status, cond.new(cond.COMPLETED, "True", cond.COMPLETED_REASON, cond.COMPLETED_REASON, now)
            )
        elif cond.set_condition(
            status, cond.new(cond.COMPLETED, "False", cond.COMPLETED_REASON, cond.COMPLETED_REASON, now)
        ):
            ctx.c.events.normal(
                ctx.ro,
                cond.NOT_COMPLETED_REASON,
                f"Rollout not completed, started update to revision {ctx.revision} ({ctx.pod_hash})",
            )

    def _healthy(self, ctx: RolloutContext) -> bool:
        """conditions.RolloutHealthy on the new status."""
        status, replicas = ctx.status, ctx.replicas
        strategy = ctx.spec.get("strategy") or {}
        if strategy.get("blueGreen") is not None:
            bg = strategy["blueGreen"] or {}
            blue_green = status.get("blueGreen") or {}
            done = blue_green.get("activeSelector") == status.get("currentPodHash")
            if bg.get("previewService"):
                done = done and blue_green.get("previewSelector") == status.get("currentPodHash")
        else:
            n = len(((strategy.get("canary") or {}).get("steps")) or [])
            steps_done = (
                not n or status.get("currentStepIndex") is None or as_int(status.get("currentStepIndex")) == n
            )
            done = (
                steps_done
                and bool(status.get("stableRS"))
                and status.get("stableRS") == status.get("currentPodHash")
                and as_int(status.get("replicas")) == replicas
            )
        return (
            as_int(status.get("updatedReplicas")) == replicas
            and as_int(status.get("availableReplicas")) == replicas
            and ctx.old.get("observedGeneration") == str(meta(ctx.ro).get("generation", 1))
            and done
        )

    def _progressed(self, ctx: RolloutContext) -> bool:
        """conditions.RolloutProgressing: anything moved between the old and new status."""
        old, new = ctx.old, ctx.status
        strategy = ctx.spec.get("strategy") or {}
        if strategy.get("blueGreen") is not None:
            ob, nb = old.get("blueGreen") or {}, new.get("blueGreen") or {}
            specific = ob.get("activeSelector") != nb.get("activeSelector") or ob.get(
                "previewSelector"
            ) != nb.get("previewSelector")
        else:
            specific = (
                new.get("stableRS") != old.get("stableRS")
                or (
                    old.get("currentStepIndex") is not None
                    and new.get("currentStepIndex") is not None
                    and old.get("currentStepIndex") != new.get("currentStepIndex")
                )
                or new.get("currentStepHash") != old.get("currentStepHash")
            )

        def n(status: dict[str, Any], key: str) -> int:
            return as_int(status.get(key))

        return (
            n(new, "updatedReplicas") != n(old, "updatedReplicas")
            or n(new, "replicas") - n(new, "updatedReplicas") < n(old, "replicas") - n(old, "updatedReplicas")
            or n(new, "readyReplicas") > n(old, "readyReplicas")
            or n(new, "availableReplicas") > n(old, "availableReplicas")
            or specific
        )

    def _indefinite(self, ctx: RolloutContext) -> bool:
        """Paused, or at a step that waits on something with its own deadline (analysis, experiment)."""
        if ctx.status.get("pauseConditions") or ctx.spec.get("paused") or ctx.status.get("controllerPause"):
            return True
        canary = (ctx.spec.get("strategy") or {}).get("canary") or {}
        steps = canary.get("steps") or []
        index = ctx.status.get("currentStepIndex")
        if isinstance(index, int) and 0 <= index < len(steps) and isinstance(steps[index], dict):
            step = steps[index]
            return (
                "analysis" in step
                or "experiment" in step
                or ("pause" in step and parse_duration((step.get("pause") or {}).get("duration")) is None)
            )
        return False

    def _check_deadline(self, ctx: RolloutContext, rs_name: str) -> None:
        status = ctx.status
        current = cond.get(status, cond.PROGRESSING)
        if current is None or current.get("reason") in (cond.ABORTED, cond.PAUSED_REASON):
            return
        if current.get("reason") == cond.TIMED_OUT:
            return
        if current.get("reason") == cond.NEW_RS_AVAILABLE and status.get("stableRS") == status.get(
            "currentPodHash"
        ):
            return
        deadline_s = (
            as_int(ctx.spec.get("progressDeadlineSeconds"), DEFAULT_PROGRESS_DEADLINE)
            if ctx.spec.get("progressDeadlineSeconds") is not None
            else DEFAULT_PROGRESS_DEADLINE
        )
        since = parse_time(current.get("lastUpdateTime"))
        if since is None:
            return
        deadline = since + timedelta(seconds=deadline_s)
        if ctx.now > deadline:
            message = cond.RS_TIMED_OUT_MESSAGE.format(rs_name)
            cond.set_condition(
                status, cond.new(cond.PROGRESSING, "False", cond.TIMED_OUT, message, ctx.now_s)
            )
            ctx.c.events.warning(ctx.ro, cond.TIMED_OUT, message)
            if ctx.spec.get("progressDeadlineAbort") and status.get("stableRS") != status.get(
                "currentPodHash"
            ):
                status["abort"] = True
                status["abortedAt"] = ctx.now_s
        else:
            ctx.wake_at(deadline + timedelta(seconds=1))

    def _pause_events(self, ctx: RolloutContext) -> None:
        before = ctx.old.get("pauseConditions") or []
        after = ctx.status.get("pauseConditions") or []
        if after and not before:
            ctx.c.events.normal(
                ctx.ro, cond.PAUSED_REASON, f"{cond.PAUSED_MESSAGE} ({after[0].get('reason', '')})"
            )
        elif before and not after:
            ctx.c.events.normal(ctx.ro, cond.RESUMED, cond.RESUMED_MESSAGE)

    def _write_invalid(self, ctx: RolloutContext, message: str) -> None:
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
    if not isinstance(template, dict) and not spec.get("workloadRef"):
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
    elif spec.get("workloadRef"):
        return "workloadRef is not supported by the simulator"
    strategy = spec.get("strategy") or {}
    if strategy.get("blueGreen") is None and strategy.get("canary") is None:
        return "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'"
    if strategy.get("blueGreen") is not None and not (strategy.get("blueGreen") or {}).get("activeService"):
        return "Rollout has missing field '.spec.strategy.blueGreen.activeService'"
    return ""
