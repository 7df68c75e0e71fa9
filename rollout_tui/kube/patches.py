"""The exact requests ``kubectl argo rollouts`` sends, built from the rollout as a dict. Pure.

Mirrors pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,pause,restart,undo,set} of Argo Rollouts
(see §1 of the reference notes). Only the stale-view precondition is added, by ``actions``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
REVISION_ANNOTATION = "rollout.argoproj.io/revision"
HASH_LABEL = "rollouts-pod-template-hash"


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def canary_steps(ro: dict) -> list | None:
    canary = _dict(_dict(_dict(ro.get("spec")).get("strategy")).get("canary"))
    steps = canary.get("steps")
    return steps if isinstance(steps, list) else None


def is_canary(ro: dict) -> bool:
    return "canary" in _dict(_dict(ro.get("spec")).get("strategy"))


def current_step_index(ro: dict) -> int | None:
    """GetCurrentCanaryStep's index: None without canary steps, else status index (nil = 0)."""
    steps = canary_steps(ro)
    if not is_canary(ro) or not steps:
        return None
    index = _dict(ro.get("status")).get("currentStepIndex")
    return index if isinstance(index, int) and not isinstance(index, bool) else 0


@dataclass(frozen=True)
class PromotePlan:
    """Patches of one promote: ``status`` goes to /status first; on NotFound the plugin sends
    ``unified`` to the main resource instead of ``spec``."""

    spec: dict | None
    status: dict | None
    unified: dict | None


def promote_plan(ro: dict, full: bool = False) -> PromotePlan:
    spec = _dict(ro.get("spec"))
    status = _dict(ro.get("status"))
    spec_paused = spec.get("paused") is True
    if full:
        full_status = (
            {"status": {"promoteFull": True}}
            if status.get("currentPodHash") != status.get("stableRS")
            else None
        )
        return PromotePlan(
            {"spec": {"paused": False}} if spec_paused else None,
            full_status,
            {"spec": {"paused": False}, "status": {"promoteFull": True}},
        )
    unified: dict | None = {"spec": {"paused": False}, "status": {"pauseConditions": None}}
    spec_patch = {"spec": {"paused": False}} if spec_paused else None
    status_patch = None
    pause_conditions = status.get("pauseConditions") or []
    index = current_step_index(ro)
    steps = canary_steps(ro) or []
    inconclusive = (
        is_canary(ro)
        and _dict(_dict(status.get("canary")).get("currentStepAnalysisRunStatus")).get("status")
        == "Inconclusive"
    )
    if inconclusive and pause_conditions and status.get("controllerPause") is True:
        if index is not None:
            next_index = index + 1 if index < len(steps) else index
            status_patch = {
                "status": {"pauseConditions": None, "controllerPause": False, "currentStepIndex": next_index}
            }
    elif pause_conditions:
        status_patch = {"status": {"pauseConditions": None}}
    elif is_canary(ro) and index is not None:
        next_index = index + 1 if index < len(steps) else index
        status_patch = {"status": {"pauseConditions": None, "currentStepIndex": next_index}}
        unified = {
            "spec": {"paused": False},
            "status": {"pauseConditions": None, "currentStepIndex": next_index},
        }
    return PromotePlan(spec_patch, status_patch, unified)


ABORT_PATCH = {"status": {"abort": True}}
RETRY_PATCH = {"status": {"abort": False}}
PAUSE_PATCH = {"spec": {"paused": True}}


def restart_patch(at: datetime) -> dict:
    """``restartAt`` in RFC 3339 UTC, seconds precision (Go's time.RFC3339 on a UTC time)."""
    return {"spec": {"restartAt": at.strftime("%Y-%m-%dT%H:%M:%SZ")}}


def revision_of(obj: dict) -> int | None:
    value = _dict(_dict(obj.get("metadata")).get("annotations")).get(REVISION_ANNOTATION)
    if value is None:
        return 0  # the plugin counts a missing annotation as revision 0
    try:
        return int(str(value))
    except ValueError:
        return None  # unparseable: skipped, as the plugin does


def controlled_by(obj: dict, owner: dict) -> bool:
    uid = _dict(owner.get("metadata")).get("uid")
    for ref in _dict(obj.get("metadata")).get("ownerReferences") or []:
        if isinstance(ref, dict) and ref.get("controller") is True and uid and ref.get("uid") == uid:
            return True
    return False


class UndoError(ValueError):
    pass


def undo_target(ro: dict, replicasets: list[dict], to_revision: int = 0) -> dict:
    """The ReplicaSet to roll back to (rolloutRevision of the plugin). Raises UndoError."""
    latest: tuple[int, dict] | None = None
    previous: tuple[int, dict] | None = None
    for rs in replicasets:
        if not controlled_by(rs, ro):
            continue
        rev = revision_of(rs)
        if rev is None:
            continue
        if to_revision == 0:
            if latest is None or latest[0] < rev:
                previous, latest = latest, (rev, rs)
            elif previous is None or previous[0] < rev:
                previous = (rev, rs)
        elif rev == to_revision:
            return rs
    if to_revision > 0:
        raise UndoError(f"unable to find specified revision {to_revision} in history")
    if previous is None:
        name = _dict(ro.get("metadata")).get("name", "")
        raise UndoError(f'no revision found for rollout "{name}"')
    return previous[1]


def _without_hash(template: Any) -> dict:
    template = copy.deepcopy(_dict(template))
    labels = _dict(template.get("metadata")).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
    return template


def derives(a: Any, b: Any) -> bool:
    """apimachinery's Semantic.DeepDerivative on JSON values: unset/empty parts of ``a`` are ignored."""
    if a is None or a == "" or a == {} or a == []:
        return True
    if isinstance(a, dict):
        return isinstance(b, dict) and all(derives(v, b.get(k)) for k, v in a.items())
    if isinstance(a, list):
        return (
            isinstance(b, list)
            and len(a) <= len(b)
            and all(derives(x, y) for x, y in zip(a, b, strict=False))
        )
    return a == b


def template_matches(ro: dict, rs: dict) -> bool:
    ro_template = _dict(ro.get("spec")).get("template")
    if not isinstance(ro_template, dict):
        return False
    return derives(_without_hash(ro_template), _without_hash(_dict(rs.get("spec")).get("template")))


def undo_patch(rs: dict) -> list[dict]:
    return [
        {
            "op": "replace",
            "path": "/spec/template",
            "value": _without_hash(_dict(rs.get("spec")).get("template")),
        }
    ]


def with_image(ro: dict, container: str, image: str) -> dict:
    """A copy of ``ro`` with ``image`` set on matching containers (``*`` = all). Raises ValueError."""
    new = copy.deepcopy(ro)
    pod_spec = _dict(_dict(_dict(new.get("spec")).get("template")).get("spec"))
    found = False
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for ctr in pod_spec.get(field) or []:
            if isinstance(ctr, dict) and (ctr.get("name") == container or container == "*"):
                ctr["image"] = image
                found = True
    if not found:
        raise ValueError(f'unable to find container named "{container}"')
    return new
