"""The revision tree of the machine-readable view (``render.json_view``): revisions, ReplicaSets
with their pods, Experiments, AnalysisRuns with their Jobs and metrics, blue-green phases.

Same conventions as ``json_view``: camelCase keys always present, RFC 3339 UTC instants, exact
strings, ``null`` for unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from rollout_tui.model.analysis import AnalysisRunInfo, JobInfo
from rollout_tui.model.bluegreen import BlueGreenInfo
from rollout_tui.model.experiments import ExperimentInfo
from rollout_tui.model.metrics import MetricSeries
from rollout_tui.model.node import ObjectInfo
from rollout_tui.model.pods import PodInfo
from rollout_tui.model.replicasets import ReplicaSetInfo
from rollout_tui.model.rollout import RevisionInfo

View = dict[str, Any]


def rfc3339(at: datetime | None) -> str | None:
    """An instant as RFC 3339 UTC ("Z"), fractions of a second only when the object had them."""
    if at is None:
        return None
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _object_view(obj: ObjectInfo) -> View:
    """The keys every object of the tree starts with."""
    return {"name": obj.name, "uid": obj.uid, "created": rfc3339(obj.created), "status": obj.status}


def _owner_view(obj: AnalysisRunInfo | ExperimentInfo) -> View:
    """The keys an AnalysisRun or Experiment starts with: the object's, its message and revision."""
    return {**_object_view(obj), "message": obj.message, "revision": obj.revision}


def pod_view(pod: PodInfo) -> View:
    return {
        **_object_view(pod),  # status as `kubectl get pods` prints it
        "ready": pod.ready,  # "ready/total"
        "restarts": pod.restarts,
        "images": list(pod.images),
        "node": pod.node,
    }


def replicaset_view(rs: ReplicaSetInfo) -> View:
    return {
        **_object_view(rs),
        "revision": rs.revision,
        "podTemplateHash": rs.pod_template_hash,
        "roles": list(rs.tags),  # stable, canary, active, preview, ping, pong
        "desired": rs.desired,
        "replicas": rs.replicas,
        "ready": rs.ready,
        "available": rs.available,
        "scaleDownDeadline": rfc3339(rs.scale_down_deadline),
        "template": rs.template or None,  # an experiment's template name
        "images": list(rs.images),
        "pods": [pod_view(p) for p in rs.pods],
    }


def _job_view(job: JobInfo) -> View:
    return {
        "name": job.name,
        "namespace": job.namespace,
        "status": job.status,
        "startedAt": rfc3339(job.created),
        "metric": job.metric_name,
    }


def metric_view(metric: MetricSeries) -> View:
    return {
        "name": metric.name,
        "provider": metric.provider,
        "phase": metric.phase,
        "message": metric.message,
        "successCondition": metric.success_condition,
        "failureCondition": metric.failure_condition,
        "count": metric.count,
        "wantedCount": metric.wanted_count,
        "interval": metric.interval,
        "successful": metric.successful,
        "failed": metric.failed,
        "inconclusive": metric.inconclusive,
        "error": metric.error,
        "consecutiveError": metric.consecutive_error,
        "limits": {
            "failure": metric.failure_limit,
            "inconclusive": metric.inconclusive_limit,
            "consecutiveError": metric.consecutive_error_limit,
        },
        "limitBreaches": list(metric.limit_breaches),
        "measurements": [
            {
                "startedAt": rfc3339(p.started),
                "finishedAt": rfc3339(p.finished),
                "phase": p.phase,
                "value": p.value,
                "raw": p.raw,
                "message": p.message,
            }
            for p in metric.points
        ],
    }


def analysisrun_view(run: AnalysisRunInfo) -> View:
    return {
        **_owner_view(run),
        "type": run.rollout_type or None,  # Step, Background, PrePromotion, PostPromotion
        "stepIndex": run.step_index,
        "counts": {
            "successful": run.successful,
            "failed": run.failed,
            "inconclusive": run.inconclusive,
            "error": run.error,
        },
        "jobs": [_job_view(j) for j in run.jobs],
        "metrics": [metric_view(m) for m in run.metrics],
    }


def experiment_tree_view(exp: ExperimentInfo) -> View:
    """What an experiment owns (the part ``get experiment`` and the rollout's tree share)."""
    return {
        "runningImages": [{"image": i.image, "tags": list(i.tags)} for i in exp.images],
        "replicaSets": [replicaset_view(rs) for rs in exp.replicasets],
        "analysisRuns": [analysisrun_view(r) for r in exp.analysisruns],
    }


def _experiment_node(exp: ExperimentInfo) -> View:
    return {**_owner_view(exp), **experiment_tree_view(exp)}


def revisions_view(revisions: Iterable[RevisionInfo]) -> list[View]:
    """Newest revision first, as ``get rollout`` prints the tree."""
    return [
        {
            "revision": rev.revision,
            "replicaSets": [replicaset_view(rs) for rs in rev.replicasets],
            "experiments": [_experiment_node(e) for e in rev.experiments],
            "analysisRuns": [analysisrun_view(r) for r in rev.analysisruns],
        }
        for rev in revisions
    ]


def bluegreen_view(info: BlueGreenInfo | None) -> View | None:
    if info is None:
        return None
    return {
        "phase": info.phase,
        "activeHash": info.active_hash,
        "previewHash": info.preview_hash,
        "autoPromoteAt": rfc3339(info.auto_promote_at),
        "scaleDownAt": rfc3339(info.scale_down_at),
        "prePromotionAnalysis": info.pre_promotion_analysis,
        "postPromotionAnalysis": info.post_promotion_analysis,
    }
