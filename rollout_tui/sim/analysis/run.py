"""The AnalysisRun controller: takes measurements when due and assesses metrics and the run.

Semantics follow argo-rollouts analysis/analysis.go and utils/analysis/helpers.go: interval / initialDelay /
count (EffectiveCount: 1 when there is no interval), failureLimit (default 0, -1 disables),
inconclusiveLimit (0), consecutiveErrorLimit (4), consecutiveSuccessLimit, dryRun, terminate,
the worst-metric run phase and its message, runSummary, and only the last 10 measurements kept
(or `measurementRetention`).
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.sim.analysis.providers import MODE_ANNOTATION, MODES, measure
from rollout_tui.sim.clock import rfc3339
from rollout_tui.sim.naming import parse_duration
from rollout_tui.sim.objects import (
    COMPLETED,
    annotations_of,
    as_int,
    meta,
    owner_reference,
    parse_time,
    write_status,
)

# Worst last (utils/analysis: analysisStatusOrder).
_ORDER = ("Pending", "Running", "Successful", "Inconclusive", "Error", "Failed")
DEFAULT_MEASUREMENT_LIMIT = 10
DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4


def is_worse(current: str, new: str) -> bool:
    rank = {p: i for i, p in enumerate(_ORDER)}
    return rank.get(new, 0) > rank.get(current, 0)


def effective_count(metric: dict[str, Any]) -> int | None:
    count = as_int(metric.get("count"), 0)
    if count == 0:
        return 1 if not metric.get("interval") else None
    return count


def failure_or_inconclusive(metric: dict[str, Any], result: dict[str, Any]) -> tuple[str, str]:
    """assessMetricFailureInconclusiveOrError: ("", "") when no limit is exceeded."""
    phase, message = "", ""
    failure_limit = as_int(metric.get("failureLimit"), 0) if metric.get("failureLimit") is not None else 0
    if failure_limit >= 0 and result.get("failed", 0) > failure_limit:
        phase, message = "Failed", f"failed ({result['failed']}) > failureLimit ({failure_limit})"
    inconclusive_limit = as_int(metric.get("inconclusiveLimit"), 0)
    if result.get("inconclusive", 0) > inconclusive_limit:
        phase = "Inconclusive"
        message = f"inconclusive ({result['inconclusive']}) > inconclusiveLimit ({inconclusive_limit})"
    error_limit = (
        as_int(metric.get("consecutiveErrorLimit"), DEFAULT_CONSECUTIVE_ERROR_LIMIT)
        if metric.get("consecutiveErrorLimit") is not None
        else DEFAULT_CONSECUTIVE_ERROR_LIMIT
    )
    if result.get("consecutiveError", 0) > error_limit:
        phase = "Error"
        message = f"consecutiveErrors ({result['consecutiveError']}) > consecutiveErrorLimit ({error_limit})"
    return phase, message


def assess_metric(metric: dict[str, Any], result: dict[str, Any], terminating: bool) -> str:
    if result.get("phase") in COMPLETED:
        return str(result["phase"])
    measurements = result.get("measurements") or []
    if not measurements:
        return "Successful" if terminating else "Pending"
    if measurements[-1].get("phase") not in COMPLETED:
        return "Running"
    phase, _ = failure_or_inconclusive(metric, result)
    if phase:
        return phase
    success_limit = as_int(metric.get("consecutiveSuccessLimit"), 0)
    if success_limit > 0 and result.get("consecutiveSuccess", 0) >= success_limit:
        return "Successful"
    count = effective_count(metric)
    if count is not None and result.get("count", 0) >= count:
        failure_applicable = metric.get("failureLimit") is None or as_int(metric.get("failureLimit"), 0) >= 0
        if success_limit > 0:
            return "Inconclusive" if failure_applicable else "Failed"
        return "Successful"
    return "Successful" if terminating else "Running"


def run_mode(run: dict[str, Any], metric_name: str) -> str:
    notes = annotations_of(run)
    mode = notes.get(f"{MODE_ANNOTATION}.{metric_name}", notes.get(MODE_ANNOTATION, "pass"))
    return mode if mode in MODES else "pass"


class AnalysisRunReconciler:
    def __init__(self, controller: Any) -> None:
        self.c = controller

    def reconcile(self, run: dict[str, Any]) -> datetime | None:
        old_status = run.get("status") or {}
        if old_status.get("phase") in COMPLETED:
            return None
        now = self.c.clock.now()
        status = copy.deepcopy(old_status)
        spec = run.get("spec") or {}
        terminating = bool(spec.get("terminate"))
        started = parse_time(status.get("startedAt")) or now
        status["startedAt"] = rfc3339(started)
        metrics = [m for m in spec.get("metrics") or [] if isinstance(m, dict) and m.get("name")]
        results: dict[str, Any] = {
            str(r.get("name")): r for r in status.get("metricResults") or [] if isinstance(r, dict)
        }
        dry_run = _dry_run_names(spec, metrics)
        wake: datetime | None = None
        for metric in metrics:
            result = results.get(metric["name"])
            if terminating or (result is not None and result.get("phase") in COMPLETED):
                continue
            due = self._next_due(metric, result, started)
            if due is None:
                continue
            if due > now:
                wake = due if wake is None else min(wake, due)
                continue
            result = self._measure(run, metric, result, now)
            results[metric["name"]] = result
            following = self._next_due(metric, result, started)
            if following is not None and assess_metric(metric, result, False) not in COMPLETED:
                wake = following if wake is None else min(wake, following)
        ordered = [results[m["name"]] for m in metrics if m["name"] in results]
        status["metricResults"] = ordered
        phase, message = self._assess_run(run, metrics, results, dry_run, terminating, status)
        status["phase"] = phase
        if message:
            status["message"] = message
        else:
            status.pop("message", None)
        if phase in COMPLETED:
            status["completedAt"] = rfc3339(now)
            wake = None
        if status != old_status:
            write_status(self.c.store, "analysisruns", run, status, expect_rv=False)
            if phase in COMPLETED:
                kind = "Warning" if phase in ("Failed", "Error") else "Normal"
                self.c.events.record(run, kind, f"AnalysisRun{phase}", f"Analysis Completed. Result: {phase}")
        return wake

    @staticmethod
    def _next_due(
        metric: dict[str, Any], result: dict[str, Any] | None, started: datetime
    ) -> datetime | None:
        measurements = (result or {}).get("measurements") or []
        count = effective_count(metric)
        taken = (result or {}).get("count", 0)
        if count is not None and taken >= count:
            return None
        if not measurements:
            delay = parse_duration(metric.get("initialDelay")) or 0.0
            return started + timedelta(seconds=delay)
        interval = parse_duration(metric.get("interval"))
        last = parse_time(measurements[-1].get("finishedAt")) or started
        if interval is None:
            # No interval: only errors are retried (argo retries errored measurements after 10 s).
            return last + timedelta(seconds=10) if measurements[-1].get("phase") == "Error" else None
        return last + timedelta(seconds=interval)

    def _measure(
        self, run: dict[str, Any], metric: dict[str, Any], result: dict[str, Any] | None, now: datetime
    ) -> dict[str, Any]:
        result = (
            copy.deepcopy(result)
            if result
            else {
                "name": metric["name"],
                "phase": "Running",
                "count": 0,
                "successful": 0,
                "failed": 0,
                "inconclusive": 0,
                "error": 0,
                "consecutiveError": 0,
            }
        )
        index = result.get("count", 0) + result.get("error", 0)
        job_name = f"{meta(run).get('uid', '')}.{metric['name']}.{index + 1}"
        m = measure(meta(run)["name"], metric, index, run_mode(run, metric["name"]), job_name=job_name)
        if m.metadata and "job-name" in m.metadata:
            self._record_job(run, metric, job_name, m.phase, now)
        entry: dict[str, Any] = {"phase": m.phase, "startedAt": rfc3339(now), "finishedAt": rfc3339(now)}
        if m.value is not None:
            entry["value"] = m.value
        if m.message:
            entry["message"] = m.message
        if m.metadata:
            entry["metadata"] = dict(m.metadata, **{"job-namespace": meta(run).get("namespace", "")})
        if m.phase == "Error":
            result["error"] = result.get("error", 0) + 1
            result["consecutiveError"] = result.get("consecutiveError", 0) + 1
            result["message"] = m.message
        else:
            result["count"] = result.get("count", 0) + 1
            result["consecutiveError"] = 0
            key = {"Successful": "successful", "Failed": "failed", "Inconclusive": "inconclusive"}[m.phase]
            result[key] = result.get(key, 0) + 1
            if m.phase == "Successful":
                result["consecutiveSuccess"] = result.get("consecutiveSuccess", 0) + 1
            else:
                result["consecutiveSuccess"] = 0
            result.pop("message", None)
        limit = _retention_limit(run, metric["name"])
        result["measurements"] = ([*result.get("measurements", []), entry])[-limit:]
        result["phase"] = "Running"
        return result

    def _record_job(
        self, run: dict[str, Any], metric: dict[str, Any], job_name: str, phase: str, now: datetime
    ) -> None:
        """The Job a job metric would have run, already finished (kubectl get jobs shows it; it goes
        away with its AnalysisRun)."""
        job_spec = copy.deepcopy(((metric.get("provider") or {}).get("job") or {}).get("spec") or {})
        labels = {
            "analysisrun.argoproj.io/uid": meta(run).get("uid", ""),
            "analysisrun.argoproj.io/name": meta(run)["name"],
            "analysisrun.argoproj.io/metric-name": metric["name"],
        }
        job = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {
                "name": job_name,
                "namespace": meta(run).get("namespace"),
                "labels": labels,
                "ownerReferences": [owner_reference(run)],
            },
            "spec": job_spec,
        }
        stamp = rfc3339(now)
        succeeded = phase == "Successful"
        status = {
            "startTime": stamp,
            "completionTime": stamp if succeeded else None,
            "succeeded" if succeeded else "failed": 1,
            "conditions": [
                {
                    "type": "Complete" if succeeded else "Failed",
                    "status": "True",
                    "lastProbeTime": stamp,
                    "lastTransitionTime": stamp,
                    **(
                        {}
                        if succeeded
                        else {
                            "reason": "BackoffLimitExceeded",
                            "message": "Job has reached the specified backoff limit",
                        }
                    ),
                }
            ],
        }
        status = {k: v for k, v in status.items() if v is not None}
        try:
            write_status(self.c.store, "jobs", self.c.store.create("jobs", job), status, expect_rv=False)
        except Exception as exc:  # an invalid job spec must not stop the analysis
            if getattr(exc, "code", None) not in (409, 422, 400):
                raise

    def _assess_run(
        self,
        run: dict[str, Any],
        metrics: list[dict[str, Any]],
        results: dict[str, Any],
        dry_run: set[str],
        terminating: bool,
        status: dict[str, Any],
    ) -> tuple[str, str]:
        worst, worst_message, everything_done = "", "Run Terminated" if terminating else "", True
        summary = {"count": 0, "successful": 0, "failed": 0, "inconclusive": 0, "error": 0}
        dry_summary = dict(summary)
        for metric in metrics:
            if metric["name"] in dry_run:
                dry_summary["count"] += 1
            else:
                summary["count"] += 1
            result = results.get(metric["name"])
            if result is None:
                if terminating:
                    continue
                everything_done = False
                continue
            phase = assess_metric(metric, result, terminating)
            if result.get("phase") != phase:
                if phase in COMPLETED:
                    kind = "Warning" if phase in ("Failed", "Error") else "Normal"
                    self.c.events.record(
                        run, kind, f"Metric{phase}", f"Metric '{metric['name']}' Completed. Result: {phase}"
                    )
                result["phase"] = phase
            if phase not in COMPLETED:
                everything_done = False
                continue
            reason_phase, reason = failure_or_inconclusive(metric, result)
            if metric["name"] in dry_run:
                worst = worst or "Successful"
                key = {"Error": "error", "Failed": "failed", "Inconclusive": "inconclusive"}.get(
                    reason_phase, "successful"
                )
                dry_summary[key] += 1
                continue
            if not worst or is_worse(worst, phase):
                worst = phase
                if reason:
                    worst_message = f'Metric "{metric["name"]}" assessed {phase} due to {reason}'
                    if result.get("message"):
                        worst_message += f': "Error Message: {result["message"]}"'
            key = {"Error": "error", "Failed": "failed", "Inconclusive": "inconclusive"}.get(
                reason_phase, "successful"
            )
            summary[key] += 1
        status["runSummary"] = summary
        status["dryRunSummary"] = dry_summary
        if terminating:
            return (worst or "Successful"), worst_message.strip()
        if not everything_done or not worst:
            return "Running", ""
        return worst, worst_message.strip()


def _dry_run_names(spec: dict[str, Any], metrics: list[dict[str, Any]]) -> set[str]:
    names: set[str] = set()
    for entry in spec.get("dryRun") or []:
        pattern = str((entry or {}).get("metricName", ""))
        for metric in metrics:
            if pattern == metric["name"] or (pattern and _full_match(pattern, metric["name"])):
                names.add(metric["name"])
    return names


def _retention_limit(run: dict[str, Any], metric_name: str) -> int:
    for entry in (run.get("spec") or {}).get("measurementRetention") or []:
        pattern = str((entry or {}).get("metricName", ""))
        if pattern == metric_name or (pattern and _full_match(pattern, metric_name)):
            return max(as_int(entry.get("limit"), DEFAULT_MEASUREMENT_LIMIT), 1)
    return DEFAULT_MEASUREMENT_LIMIT


def _full_match(pattern: str, text: str) -> bool:
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:
        return False
