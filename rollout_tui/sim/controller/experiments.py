"""The Experiment controller: template ReplicaSets `<experiment>-<template>`, their AnalysisRuns
`<experiment>-<analysis>`, duration, and the experiment phase (argo-rollouts experiments/)."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.sim.analysis.run import COMPLETED, is_worse
from rollout_tui.sim.analysis.templates import RunRequest, TemplateError, build_run
from rollout_tui.sim.clock import rfc3339
from rollout_tui.sim.naming import parse_duration, pod_template_hash
from rollout_tui.sim.objects import (
    EXPERIMENT_TEMPLATE_ANNOTATION,
    HASH_LABEL,
    as_int,
    meta,
    owner_reference,
    parse_time,
    terminate_unfinished,
    write_status,
)


class ExperimentReconciler:
    def __init__(self, controller: Any) -> None:
        self.c = controller

    def reconcile(self, exp: dict[str, Any]) -> datetime | None:
        store, cache = self.c.store, self.c.cache
        now = self.c.clock.now()
        spec = exp.get("spec") or {}
        old_status = exp.get("status") or {}
        status = copy.deepcopy(old_status)
        namespace, name = meta(exp).get("namespace", ""), meta(exp)["name"]
        done = old_status.get("phase") in COMPLETED
        owned = {meta(rs)["name"]: rs for rs in cache.owned(exp, "replicasets")}
        wake: datetime | None = None

        template_statuses = []
        all_running = True
        for template in spec.get("templates") or []:
            if not isinstance(template, dict) or not template.get("name"):
                continue
            rs_name = f"{name}-{template['name']}"
            replicas = 0 if done or spec.get("terminate") else as_int(template.get("replicas"), 1)
            rs = owned.get(rs_name)
            if rs is None and not done:
                rs = self._create_rs(exp, template, rs_name, replicas)
            elif rs is not None and as_int((rs.get("spec") or {}).get("replicas"), 1) != replicas:
                rs = store.mutate(
                    "replicasets",
                    namespace,
                    rs_name,
                    lambda obj, n=replicas: obj["spec"].__setitem__("replicas", n),
                )
            rs_status = (rs or {}).get("status") or {}
            available = as_int(rs_status.get("availableReplicas"))
            previous: dict[str, Any] = next(
                (t for t in old_status.get("templateStatuses") or [] if t.get("name") == template["name"]), {}
            )
            if done:
                state = (
                    "Successful" if old_status.get("phase") == "Successful" else str(old_status.get("phase"))
                )
            elif spec.get("terminate"):
                state = (
                    "Successful"  # a terminating experiment's templates are done (experiments/experiment.go)
                )
            elif available >= replicas:
                state = "Running"
            else:
                state = "Progressing"
                all_running = False
            entry = {
                "name": template["name"],
                "replicas": as_int(rs_status.get("replicas")),
                "updatedReplicas": as_int(rs_status.get("replicas")),
                "readyReplicas": as_int(rs_status.get("readyReplicas")),
                "availableReplicas": available,
                "status": state,
                "podTemplateHash": ((rs or {}).get("metadata") or {}).get("labels", {}).get(HASH_LABEL, ""),
                "lastTransitionTime": previous.get("lastTransitionTime")
                if previous.get("status") == state
                else rfc3339(now),
            }
            template_statuses.append(entry)
        status["templateStatuses"] = template_statuses

        if not done and all_running and not status.get("availableAt"):
            status["availableAt"] = rfc3339(now)
        available_at = parse_time(status.get("availableAt"))

        run_statuses = []
        worst, message = "", ""
        runs_done = True
        for analysis in spec.get("analyses") or []:
            if not isinstance(analysis, dict) or not analysis.get("name"):
                continue
            run_name = f"{name}-{analysis['name']}"
            run = cache.get("analysisruns", namespace, run_name)
            if run is None and available_at is not None and not done:
                try:
                    run = self._create_run(exp, analysis, run_name)
                except TemplateError as exc:
                    worst, message = "Error", str(exc)
                    continue
            phase = ((run or {}).get("status") or {}).get("phase") or "Pending"
            entry = {"name": analysis["name"], "analysisRun": run_name, "phase": phase}
            run_message = ((run or {}).get("status") or {}).get("message")
            if run_message:
                entry["message"] = run_message
            run_statuses.append(entry)
            if phase not in COMPLETED:
                runs_done = False
            elif phase != "Successful" and (not worst or is_worse(worst, phase)):
                worst, message = (
                    phase,
                    f"Analysis '{analysis['name']}' {phase.lower()}: {run_message or ''}".strip(),
                )
                if not done and phase in ("Failed", "Error"):
                    self.c.events.warning(
                        exp, f"AnalysisRun{phase}", f"AnalysisRun '{run_name}' completed with phase {phase}"
                    )
        if run_statuses:
            status["analysisRuns"] = run_statuses

        if not done:
            phase = "Running" if available_at is not None else "Pending"
            duration = parse_duration(spec.get("duration"))
            if worst:
                phase = worst
            elif spec.get("terminate"):
                phase = "Successful"  # its templates are; its runs are being terminated
            elif available_at is not None and duration is not None:
                ends = available_at + timedelta(seconds=duration)
                if now >= ends:
                    phase = "Successful"
                else:
                    wake = ends
            elif available_at is not None and run_statuses and runs_done:
                phase = "Successful"
            status["phase"] = phase
            if message:
                status["message"] = message
            if phase in COMPLETED:
                self._finish(exp, phase)
        if status != old_status:
            write_status(store, "experiments", exp, status, expect_rv=False)
        return wake

    def _finish(self, exp: dict[str, Any], phase: str) -> None:
        namespace = meta(exp).get("namespace", "")
        for rs in self.c.cache.owned(exp, "replicasets"):
            if as_int((rs.get("spec") or {}).get("replicas"), 1) != 0:
                self.c.store.mutate(
                    "replicasets",
                    namespace,
                    meta(rs)["name"],
                    lambda obj: obj["spec"].__setitem__("replicas", 0),
                )
        terminate_unfinished(self.c.store, "analysisruns", self.c.cache.owned(exp, "analysisruns"))
        kind = "Normal" if phase == "Successful" else "Warning"
        self.c.events.record(exp, kind, f"Experiment{phase}", f"Experiment completed with phase {phase}")

    def _create_rs(
        self, exp: dict[str, Any], template: dict[str, Any], rs_name: str, replicas: int
    ) -> dict[str, Any]:
        pod_template = copy.deepcopy(template.get("template") or {})
        digest = pod_template_hash(pod_template)
        tmeta = pod_template.setdefault("metadata", {})
        tmeta["labels"] = {**(tmeta.get("labels") or {}), HASH_LABEL: digest}
        selector = copy.deepcopy(template.get("selector") or {"matchLabels": dict(tmeta["labels"])})
        selector.setdefault("matchLabels", {})[HASH_LABEL] = digest
        rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": rs_name,
                "namespace": meta(exp).get("namespace"),
                "labels": dict(tmeta["labels"]),
                "annotations": {
                    EXPERIMENT_TEMPLATE_ANNOTATION: template["name"],
                    "experiment.argoproj.io/name": meta(exp)["name"],
                },
                "ownerReferences": [owner_reference(exp)],
            },
            "spec": {"replicas": replicas, "selector": selector, "template": pod_template},
        }
        created = self.c.store.create("replicasets", rs)
        self.c.events.normal(exp, "ScalingReplicaSet", f"Scaled up ReplicaSet {rs_name} from 0 to {replicas}")
        return created

    def _create_run(self, exp: dict[str, Any], analysis: dict[str, Any], run_name: str) -> dict[str, Any]:
        refs = [
            {
                "templateName": analysis.get("templateName"),
                "clusterScope": analysis.get("clusterScope", False),
            }
        ]
        notes = {
            k: v
            for k, v in (meta(exp).get("annotations") or {}).items()
            if k.startswith("sim.rollout-tui.dev/")
        }
        revision = (meta(exp).get("annotations") or {}).get("rollout.argoproj.io/revision")
        if revision:
            notes["rollout.argoproj.io/revision"] = revision
        request = RunRequest(
            name=run_name,
            namespace=meta(exp).get("namespace", ""),
            owner=exp,
            template_refs=refs,
            args=list(analysis.get("args") or []),
            labels={k: v for k, v in (meta(exp).get("labels") or {}).items()},
            annotations=notes,
        )
        run = build_run(self.c.cache, request, owner_reference(exp))
        created = self.c.store.create("analysisruns", run)
        self.c.events.normal(exp, "AnalysisRunPending", f"Created AnalysisRun '{run_name}'")
        return created
