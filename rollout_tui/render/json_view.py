"""The machine-readable view behind ``-o json|yaml``: the model's facts as plain data.

One shape for every command and anything else that wants it (bots, dashboards, the README's
schema). It is a view of the MODEL (``RolloutState``, ``Attention``, ``RolloutInfo``,
``ExperimentInfo``), never the raw object: the same step, weights, status and needs-me reasons
the TUI and the text output show, computed once in ``model/``.

Conventions (schemaVersion 1; a field is never removed or renamed without a new version):
- every document has ``schemaVersion`` and ``kind``: ``RolloutSummary`` (list, watch events,
  status), ``RolloutDetail`` (``get rollout``: the summary's fields plus steps, images and the
  revision tree), ``ExperimentSummary`` / ``ExperimentDetail``, and the envelopes
  ``RolloutSummaryList``, ``ExperimentSummaryList``, ``RolloutEvent``, ``RolloutStatus``;
- keys are camelCase and always present; ``null`` means unknown or not applicable (``step`` and
  ``weights`` are ``null`` for a blue-green rollout);
- times are RFC 3339 in UTC (``2026-01-02T15:04:05Z``): instants, never ages or countdowns, so a
  document stays true until the object changes;
- strings are the objects' exact values (the text output cleans them for the terminal; JSON and
  YAML escaping already make control characters inert).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import yaml

from rollout_tui.model.attention import Attention
from rollout_tui.model.experiments import ExperimentInfo
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.model.state import CANARY, RolloutState
from rollout_tui.model.steps import StepsInfo, StepSpec
from rollout_tui.render.json_tree import (
    analysisrun_view,
    bluegreen_view,
    experiment_tree_view,
    replicaset_view,
    revisions_view,
    rfc3339,
)

SCHEMA_VERSION = 1

View = dict[str, Any]


def document(kind: str, fields: Mapping[str, Any]) -> View:
    return {"schemaVersion": SCHEMA_VERSION, "kind": kind, **fields}


# --- rollouts ------------------------------------------------------------------------------


def step_view(step: StepSpec | None) -> View | None:
    if step is None:
        return None
    return {
        "index": step.index,
        "kind": step.kind,
        "description": step.description,  # the plugin's CanaryStepString
        "label": step.label,
        "weight": step.weight,
        "pauseSeconds": None if step.pause_duration is None else step.pause_duration.total_seconds(),
        "indefinite": step.indefinite,
        "templates": step.detail,
    }


def attention_view(attention: Attention) -> View:
    return {
        "level": attention.level,  # failing, stuck, waiting, auto, ok (worst first)
        "needsMe": attention.needs_me,
        "headline": attention.headline,
        "reasons": [{"level": r.level, "text": r.text, "until": rfc3339(r.until)} for r in attention.reasons],
        "changesAt": rfc3339(attention.changes_at),
    }


def _step_block(state: RolloutState) -> View | None:
    if state.strategy != CANARY:
        return None
    return {
        "index": state.step_index,  # status.currentStepIndex as written (null when unset)
        "count": state.step_count,
        "label": state.step_label,  # the plugin's "N/M"
        "complete": state.steps_complete,
        "current": step_view(state.current_step),
        "next": step_view(state.next_step),
    }


def _weights_block(state: RolloutState) -> View | None:
    if state.strategy != CANARY:
        return None
    return {
        "set": state.set_weight,
        "actual": state.actual_weight,
        "actualEstimated": state.actual_weight_estimated,
        "verified": state.weights_verified,
        "max": state.max_weight,
        "trafficRouted": state.traffic_routed,
    }


def _pause_block(state: RolloutState) -> View:
    return {
        "paused": state.paused,
        "byHand": state.paused_by_hand,
        "reasons": list(state.pause_reasons),
        "startedAt": rfc3339(state.pause_started),
        "endsAt": rfc3339(state.pause_ends_at),  # a timed canary pause
        "autoPromoteAt": rfc3339(state.auto_promote_at),  # blue-green autoPromotionSeconds
        "controllerPause": state.controller_pause,
        "awaitingPromotion": state.awaiting_promotion,
    }


def _identity(state: RolloutState, context: str | None) -> View:
    return {
        "context": context,
        "namespace": state.namespace,
        "name": state.name,
        "uid": state.uid,
        "resourceVersion": state.resource_version,
        "generation": state.generation,
        "revision": state.revision,
        "created": rfc3339(state.created),
        "labels": dict(state.labels),
    }


def _replicas(state: RolloutState) -> View:
    r = state.replicas
    return {
        "desired": r.desired,
        "current": r.current,
        "updated": r.updated,
        "ready": r.ready,
        "available": r.available,
    }


def rollout_fields(state: RolloutState, attention: Attention, context: str | None = None) -> View:
    """Every fact of the summary, without the document header."""
    return {
        **_identity(state, context),
        "strategy": state.strategy,
        "status": state.status,
        "message": state.message,
        "step": _step_block(state),
        "weights": _weights_block(state),
        "pause": _pause_block(state),
        "aborted": state.aborted,
        "promoteFull": state.promote_full,
        "analysis": {
            "step": state.analysis.step,
            "background": state.analysis.background,
            "prePromotion": state.analysis.pre_promotion,
            "postPromotion": state.analysis.post_promotion,
        },
        "replicas": _replicas(state),
        "hashes": {
            "current": state.current_pod_hash,
            "stable": state.stable_rs,
            "active": state.active_selector,
            "preview": state.preview_selector,
        },
        "images": list(state.images),
        "workloadRef": state.workload_ref or None,
        "progress": {
            "since": rfc3339(state.progressing_since),
            "deadlineSeconds": state.progress_deadline,
            "stuckAt": rfc3339(state.stuck_at()),
        },
        "attention": attention_view(attention),
    }


def rollout_summary(state: RolloutState, attention: Attention, context: str | None = None) -> View:
    """``list rollouts``, the watch stream and ``status``: one rollout from its state alone."""
    return document("RolloutSummary", rollout_fields(state, attention, context))


def _steps_view(steps: StepsInfo | None) -> list[View]:
    if steps is None:
        return []
    return [
        {**(step_view(s.spec) or {}), "state": s.state, "analysisRun": s.run or None} for s in steps.steps
    ]


def rollout_detail(info: RolloutInfo, attention: Attention, context: str | None = None) -> View:
    """``get rollout``: the summary's fields (with the exact actual weight) and the revision tree."""
    return document(
        "RolloutDetail",
        {
            **rollout_fields(info.state, attention, context),
            "steps": _steps_view(info.steps),
            "runningImages": [{"image": i.image, "tags": list(i.tags)} for i in info.images],
            "containers": [{"name": c.name, "image": c.image} for c in info.containers],
            "initContainers": [{"name": c.name, "image": c.image} for c in info.init_containers],
            "blueGreen": bluegreen_view(info.bluegreen),
            "restartedAt": None if info.restarted_at == "Never" else info.restarted_at,
            "observedGeneration": info.observed_generation,
            "revisions": revisions_view(info.revisions),
            "warnings": list(info.warnings),
        },
    )


def rollout_list(items: Iterable[View]) -> View:
    return document("RolloutSummaryList", {"items": list(items)})


def rollout_event(event_type: str, summary: View, at: datetime | None = None) -> View:
    """One line of ``list rollouts -w -o json``: ADDED, MODIFIED or DELETED, when it was seen, and
    the rollout."""
    return document("RolloutEvent", {"type": event_type, "time": rfc3339(at), "rollout": summary})


def rollout_status(status: str, message: str, summary: View) -> View:
    """``status -o json``: the plugin's status line as fields, with the rollout's summary."""
    return document("RolloutStatus", {"status": status, "message": message, "rollout": summary})


# --- experiments ---------------------------------------------------------------------------


def experiment_fields(info: ExperimentInfo, context: str | None = None) -> View:
    return {
        "context": context,
        "namespace": info.namespace,
        "name": info.name,
        "uid": info.uid,
        "created": rfc3339(info.created),
        "status": info.status,
        "message": info.message,
        "revision": info.revision,
    }


def experiment_summary(
    info: ExperimentInfo,
    duration_seconds: float | None,
    ends_at: datetime | None,
    context: str | None = None,
) -> View:
    """``list experiments``: the experiment and when it ends (spec.duration after availableAt)."""
    fields = {
        **experiment_fields(info, context),
        "durationSeconds": duration_seconds,
        "endsAt": rfc3339(ends_at),
    }
    return document("ExperimentSummary", fields)


def experiment_detail(info: ExperimentInfo, context: str | None = None) -> View:
    """``get experiment``: the experiment, its ReplicaSets with their pods, its AnalysisRuns."""
    return document("ExperimentDetail", {**experiment_fields(info, context), **experiment_tree_view(info)})


def experiment_list(items: Iterable[View]) -> View:
    return document("ExperimentSummaryList", {"items": list(items)})


# --- encoding ------------------------------------------------------------------------------


def encode(view: Mapping[str, Any], output: str) -> str:
    """The document as JSON (indented) or YAML text, ending in a newline. Non-ASCII is escaped in
    both, so nothing from the cluster reaches a terminal as a control or bidi character."""
    if output == "yaml":
        return yaml.safe_dump(dict(view), sort_keys=False, allow_unicode=False, width=1_000_000)
    return json.dumps(view, indent=2, ensure_ascii=True) + "\n"


def encode_line(view: Mapping[str, Any]) -> str:
    """One JSON document on one line (JSON lines, for streams)."""
    return json.dumps(view, ensure_ascii=True, separators=(",", ":")) + "\n"


__all__ = [
    "SCHEMA_VERSION",
    "analysisrun_view",
    "attention_view",
    "encode",
    "encode_line",
    "experiment_detail",
    "experiment_list",
    "experiment_summary",
    "replicaset_view",
    "rfc3339",
    "rollout_detail",
    "rollout_event",
    "rollout_list",
    "rollout_status",
    "rollout_summary",
]
