"""Status counts and conditions (Paused, Healthy, Progressing, Available, Completed), the
progress deadline and the pause events, as the controller computes them (argo-rollouts
rollout/sync.go calculateRolloutConditions and checkPausedConditions, utils/conditions)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rollout_tui.sim.controller import conditions as cond
from rollout_tui.sim.controller.context import RolloutContext
from rollout_tui.sim.naming import parse_duration, selector_string
from rollout_tui.sim.objects import (
    HASH_LABEL,
    as_int,
    meta,
    parse_time,
)

DEFAULT_PROGRESS_DEADLINE = 600


def set_counts(ctx: RolloutContext) -> None:
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


def set_conditions(ctx: RolloutContext) -> None:
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
        cond.set_condition(status, cond.new(cond.PROGRESSING, "Unknown", cond.RETRY, cond.RETRY_MESSAGE, now))
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
    healthy = _healthy(ctx)
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
        elif _progressed(ctx) or became_unhealthy:
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
        elif not _indefinite(ctx):
            _check_deadline(ctx, rs_name)
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


def _healthy(ctx: RolloutContext) -> bool:
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


def _progressed(ctx: RolloutContext) -> bool:
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


def _indefinite(ctx: RolloutContext) -> bool:
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


def _check_deadline(ctx: RolloutContext, rs_name: str) -> None:
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
        cond.set_condition(status, cond.new(cond.PROGRESSING, "False", cond.TIMED_OUT, message, ctx.now_s))
        ctx.c.events.warning(ctx.ro, cond.TIMED_OUT, message)
        if ctx.spec.get("progressDeadlineAbort") and status.get("stableRS") != status.get("currentPodHash"):
            status["abort"] = True
            status["abortedAt"] = ctx.now_s
    else:
        ctx.wake_at(deadline + timedelta(seconds=1))


def emit_pause_events(ctx: RolloutContext) -> None:
    before = ctx.old.get("pauseConditions") or []
    after = ctx.status.get("pauseConditions") or []
    if after and not before:
        ctx.c.events.normal(
            ctx.ro, cond.PAUSED_REASON, f"{cond.PAUSED_MESSAGE} ({after[0].get('reason', '')})"
        )
    elif before and not after:
        ctx.c.events.normal(ctx.ro, cond.RESUMED, cond.RESUMED_MESSAGE)
