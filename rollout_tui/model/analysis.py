"""AnalysisRun rows: phase, measurement counts, Job children, metric series (analysisrun_info.go)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rollout_tui.model.fields import (
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_str,
    dig,
    labels_of,
    owner_uids,
    parse_go_int,
    parse_time,
)
from rollout_tui.model.icons import analysis_status_kind
from rollout_tui.model.metrics import MetricSeries, metric_series
from rollout_tui.model.node import ObjectInfo, identity
from rollout_tui.model.ordering import time_key
from rollout_tui.model.replicasets import parse_revision

JOB_NAME_KEY = "job-name"
JOB_NAMESPACE_KEY = "job-namespace"


@dataclass(frozen=True, slots=True)
class JobInfo:
    name: str
    namespace: str
    status: str
    icon_kind: str
    created: datetime | None  # the measurement's startedAt
    metric_name: str


@dataclass(frozen=True, slots=True)
class AnalysisRunInfo(ObjectInfo):
    message: str
    revision: int
    successful: int
    failed: int
    inconclusive: int
    error: int
    rollout_type: str  # label rollout-type: Step, Background, PrePromotion, PostPromotion
    step_index: int | None  # label step-index: the canary step that started it (Step runs)
    # spec.terminate: stopped before it finished (a promote past its step, an abort, a newer
    # revision); the controller then reports Successful "Run Terminated" (analysis/analysis.go)
    terminated: bool
    jobs: tuple[JobInfo, ...]
    metrics: tuple[MetricSeries, ...]


def analysisrun_info(run: Any, warnings: list[str] | None = None) -> AnalysisRunInfo:
    phase = as_str(dig(run, "status", "phase"))
    namespace = as_str(dig(run, "metadata", "namespace"))
    results = [as_dict(r) for r in as_list(dig(run, "status", "metricResults"))]
    counts: dict[str, Any] = {
        key: sum(as_int(r.get(key)) for r in results)
        for key in ("successful", "failed", "inconclusive", "error")
    }
    jobs = []
    for result in results:
        # Go's ArrayMeasurement looks measurements up by metric name: the first result of that name.
        name = as_str(result.get("name"))
        first = next((r for r in results if as_str(r.get("name")) == name), result)
        for m in as_list(first.get("measurements")):
            metadata = as_dict(as_dict(m).get("metadata"))
            if JOB_NAME_KEY not in metadata:
                continue
            started = as_dict(m).get("startedAt")
            job_phase = as_str(as_dict(m).get("phase"))
            jobs.append(
                JobInfo(
                    name=as_str(metadata.get(JOB_NAME_KEY)),
                    namespace=as_str(metadata.get(JOB_NAMESPACE_KEY), namespace) or namespace,
                    status=job_phase,
                    icon_kind=analysis_status_kind(job_phase),
                    created=parse_time(started),
                    metric_name=name,
                )
            )
    return AnalysisRunInfo(
        **identity(run),
        status=phase,
        icon_kind=analysis_status_kind(phase),
        message=as_str(dig(run, "status", "message")),
        revision=parse_revision(run),
        rollout_type=as_str(labels_of(run).get("rollout-type")),
        step_index=parse_go_int(labels_of(run).get("step-index")),
        terminated=as_bool(dig(run, "spec", "terminate")),
        jobs=tuple(jobs),
        metrics=metric_series(run, warnings),
        **counts,
    )


def analysisrun_infos(
    owner_uid: str, runs: list[dict[str, Any]], warnings: list[str] | None = None
) -> tuple[AnalysisRunInfo, ...]:
    """Runs owned by `owner_uid`: revision desc, then creation asc, then name desc (as Go)."""
    infos = [analysisrun_info(r, warnings) for r in runs if owner_uid and owner_uid in owner_uids(r)]
    infos.sort(key=lambda info: info.name, reverse=True)
    infos.sort(key=lambda info: (-info.revision, time_key(info.created)))
    return tuple(infos)
