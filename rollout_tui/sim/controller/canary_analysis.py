"""Canary analysis and experiments: the background AnalysisRun (from startingStep), the run of an
analysis step, the Experiment of an experiment step, and what their phases do to the rollout
(abort on Failed/Error, pause on Inconclusive), as argo-rollouts rollout/analysis.go and
rollout/experiment.go reconcile them."""

from __future__ import annotations

import copy
from typing import Any

from rollout_tui.sim.controller.context import RolloutContext
from rollout_tui.sim.objects import (
    HASH_LABEL,
    REVISION_ANNOTATION,
    annotations_of,
    as_int,
    meta,
    owner_reference,
)

INCONCLUSIVE_RUN = "InconclusiveAnalysisRun"
INCONCLUSIVE_EXPERIMENT = "InconclusiveExperiment"


def background_analysis(ctx: RolloutContext, canary: dict[str, Any], index: int | None) -> None:
    analysis = canary.get("analysis")
    if not isinstance(analysis, dict) or not analysis.get("templates"):
        return
    starting = as_int(analysis.get("startingStep"), 0)
    if index is not None and index < starting:
        return
    previous = ctx.status["canary"].get("currentBackgroundAnalysisRunStatus")
    run = ctx.ensure_run("Background", f"{ctx.name}-{ctx.pod_hash}-{ctx.revision}", analysis, previous)
    ref = ctx.run_ref(run, previous, "Background")
    if ref is not None:
        ctx.status["canary"]["currentBackgroundAnalysisRunStatus"] = ref
        _react_to_run(ctx, ref)


def step_analysis_or_experiment(ctx: RolloutContext, step: dict[str, Any], index: int) -> None:
    status = ctx.status
    if isinstance(step.get("analysis"), dict):
        previous = status["canary"].get("currentStepAnalysisRunStatus")
        run = ctx.ensure_run(
            "Step",
            f"{ctx.name}-{ctx.pod_hash}-{ctx.revision}-{index}",
            step["analysis"],
            previous,
            step_index=index,
        )
        ref = ctx.run_ref(run, previous, "Step")
        if ref is not None:
            status["canary"]["currentStepAnalysisRunStatus"] = ref
            _react_to_run(ctx, ref)
    elif isinstance(step.get("experiment"), dict):
        exp = _ensure_experiment(ctx, step["experiment"], index)
        if exp is None:
            return
        status["canary"]["currentExperiment"] = meta(exp)["name"]
        phase = (exp.get("status") or {}).get("phase")
        if phase in ("Failed", "Error"):
            message = (exp.get("status") or {}).get(
                "message"
            ) or f"Experiment '{meta(exp)['name']}' {phase.lower()}"
            ctx.abort(f"Experiment {meta(exp)['name']} {phase}: {message}" if message else phase)
            ctx.c.events.warning(ctx.ro, f"Experiment{phase}", f"Experiment '{meta(exp)['name']}' {phase}")
        elif phase == "Inconclusive" and not status.get("controllerPause"):
            ctx.add_pause(INCONCLUSIVE_EXPERIMENT)


def _react_to_run(ctx: RolloutContext, ref: dict[str, Any]) -> None:
    phase = ref.get("status")
    if phase in ("Failed", "Error"):
        ctx.abort(ref.get("message") or f"AnalysisRun '{ref['name']}' {phase.lower()}")
    elif phase == "Inconclusive" and not ctx.status.get("controllerPause"):
        ctx.add_pause(INCONCLUSIVE_RUN)


def _ensure_experiment(ctx: RolloutContext, step: dict[str, Any], index: int) -> dict[str, Any] | None:
    name = f"{ctx.name}-{ctx.pod_hash}-{ctx.revision}-{index}"
    current = ctx.status["canary"].get("currentExperiment")
    existing = ctx.c.cache.get("experiments", ctx.namespace, current or name)
    if existing is not None:
        return existing
    templates = []
    stable_rs = ctx.rs_by_hash(ctx.status.get("stableRS") or "")
    for tmpl in step.get("templates") or []:
        if not isinstance(tmpl, dict) or not tmpl.get("name"):
            continue
        source = ctx.new_rs if tmpl.get("specRef") != "stable" else (stable_rs or ctx.new_rs)
        pod_template = copy.deepcopy(((source or {}).get("spec") or {}).get("template") or {})
        tmeta = pod_template.setdefault("metadata", {})
        tmeta["labels"] = {k: v for k, v in (tmeta.get("labels") or {}).items() if k != HASH_LABEL}
        tmeta["labels"].update((tmpl.get("metadata") or {}).get("labels") or {})
        selector = copy.deepcopy(tmpl.get("selector") or {"matchLabels": dict(tmeta["labels"])})
        entry = {
            "name": tmpl["name"],
            "replicas": as_int(tmpl.get("replicas"), 1),
            "selector": selector,
            "template": pod_template,
        }
        if tmpl.get("weight") is not None:
            entry["weight"] = tmpl["weight"]
        templates.append(entry)
    analyses = []
    for analysis in step.get("analyses") or []:
        if isinstance(analysis, dict) and analysis.get("name"):
            analyses.append(
                {
                    k: v
                    for k, v in analysis.items()
                    if k in ("name", "templateName", "clusterScope", "args", "requiredForCompletion")
                }
            )
    notes = {REVISION_ANNOTATION: str(ctx.revision)}
    notes.update({k: v for k, v in annotations_of(ctx.ro).items() if k.startswith("sim.rollout-tui.dev/")})
    exp: dict[str, Any] = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Experiment",
        "metadata": {
            "name": name,
            "namespace": ctx.namespace,
            "annotations": notes,
            "labels": {HASH_LABEL: ctx.pod_hash},
            "ownerReferences": [owner_reference(ctx.ro)],
        },
        "spec": {"templates": templates},
    }
    if analyses:
        exp["spec"]["analyses"] = analyses
    if step.get("duration") is not None:
        exp["spec"]["duration"] = step["duration"]
    try:
        created = ctx.c.store.create("experiments", exp)
    except Exception as exc:
        if getattr(exc, "code", None) != 409:
            raise
        return ctx.c.store.get("experiments", ctx.namespace, name)
    ctx.c.events.normal(ctx.ro, "ExperimentCreated", f"Created Experiment '{name}'")
    return created
