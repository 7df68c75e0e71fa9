"""Small helpers shared by the reconcilers: owner references, labels, safe writes, quantities."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from rollout_tui.sim.resources import RESOURCES

HASH_LABEL = "rollouts-pod-template-hash"
REVISION_ANNOTATION = "rollout.argoproj.io/revision"
REVISION_HISTORY_ANNOTATION = "rollout.argoproj.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "rollout.argoproj.io/desired-replicas"
SCALE_DOWN_DEADLINE_ANNOTATION = "scale-down-deadline"
MANAGED_BY_ANNOTATION = "argo-rollouts.argoproj.io/managed-by-rollouts"
EXPERIMENT_TEMPLATE_ANNOTATION = "experiment.argoproj.io/template-name"
COMPLETED = ("Successful", "Failed", "Error", "Inconclusive")  # final phases of runs and experiments


class StaleObject(Exception):
    """The object changed since the reconcile read it; its store event re-enqueues it."""

    code = 409


def owner_reference(owner: dict[str, Any]) -> dict[str, Any]:
    meta = owner["metadata"]
    return {
        "apiVersion": owner.get("apiVersion", ""),
        "kind": owner.get("kind", ""),
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def meta(obj: dict[str, Any]) -> dict[str, Any]:
    value = obj.get("metadata")
    return value if isinstance(value, dict) else {}


def labels(obj: dict[str, Any]) -> dict[str, Any]:
    value = meta(obj).get("labels")
    return value if isinstance(value, dict) else {}


def annotations_of(obj: dict[str, Any]) -> dict[str, Any]:
    value = meta(obj).get("annotations")
    return value if isinstance(value, dict) else {}


def as_int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return default
    return default


def revision_of(obj: dict[str, Any]) -> int:
    return as_int(annotations_of(obj).get(REVISION_ANNOTATION), 0)


def int_or_percent(value: Any, total: int, round_up: bool, default: int) -> int:
    """intstr.GetScaledValueFromIntOrPercent."""
    if value is None:
        return default
    if isinstance(value, str) and value.endswith("%"):
        try:
            pct = float(value[:-1])
        except ValueError:
            return default
        scaled = total * pct / 100
        return math.ceil(scaled) if round_up else math.floor(scaled)
    return as_int(value, default)


def status_subresource(plural: str) -> str | None:
    """Status writes go to /status where the type has that subresource (the store enforces it)."""
    return "status" if RESOURCES[plural].has_status else None


def write_status(
    store: Any, plural: str, obj: dict[str, Any], new_status: dict[str, Any], *, expect_rv: bool = True
) -> dict[str, Any]:
    """Replace `status` unless someone wrote the object since it was read (then StaleObject)."""
    rv = meta(obj).get("resourceVersion")
    snapshot = copy.deepcopy(new_status)

    def apply(current: dict[str, Any]) -> None:
        if expect_rv and current["metadata"].get("resourceVersion") != rv:
            raise StaleObject()
        current["status"] = snapshot

    return store.mutate(
        plural, meta(obj).get("namespace"), meta(obj)["name"], apply, subresource=status_subresource(plural)
    )


def terminate_unfinished(store: Any, plural: str, objs: Iterable[dict[str, Any]]) -> None:
    """Ask each AnalysisRun or Experiment that has not finished to stop (``spec.terminate``),
    as the rollouts controller does, unless it was asked already."""

    def apply(current: dict[str, Any]) -> None:
        current["spec"]["terminate"] = True

    for obj in objs:
        if (obj.get("status") or {}).get("phase") in COMPLETED or (obj.get("spec") or {}).get("terminate"):
            continue
        store.mutate(plural, meta(obj).get("namespace"), meta(obj)["name"], apply)


def set_annotation(
    store: Any, plural: str, obj: dict[str, Any], key: str, value: str | None
) -> dict[str, Any]:
    def apply(current: dict[str, Any]) -> None:
        notes = current["metadata"].setdefault("annotations", {})
        if value is None:
            notes.pop(key, None)
            if not notes:
                current["metadata"].pop("annotations", None)
        else:
            notes[key] = value

    return store.mutate(plural, meta(obj).get("namespace"), meta(obj)["name"], apply)


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
