"""The exact requests `kubectl argo rollouts` sends, as pure functions.

Mirrors pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,pause,restart,undo,set,terminate} of
argoproj/argo-rollouts. The stale-view precondition (the resourceVersion the guard checked) is
added by the kube layer when it sends them.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rollout_tui.model.actions.spec import (
    JSON,
    JSON_PATCH,
    ROLLOUTS,
    WORKLOADS,
    ActionRefused,
    Resource,
    Write,
)
from rollout_tui.model.fields import as_dict, as_list, as_str, dig
from rollout_tui.model.replicasets import POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION

if TYPE_CHECKING:
    from rollout_tui.model.state import RolloutState

UNPAUSE = {"spec": {"paused": False}}
PAUSE = {"spec": {"paused": True}}
ABORT = {"status": {"abort": True}}
RETRY = {"status": {"abort": False}}
PROMOTE_FULL = {"status": {"promoteFull": True}}
TERMINATE = {"spec": {"terminate": True}}
CLEAR_EXPERIMENT_STATUS = {"status": None}


def status_write(name: str, body: dict[str, Any], unified: dict[str, Any] | None = None) -> Write:
    """A Rollout status patch, with the plugin's fallback to one main-resource patch."""
    return Write(ROLLOUTS, name, body, subresource="status", fallback=Write(ROLLOUTS, name, unified or body))


def main_write(name: str, body: dict[str, Any], resource: Resource = ROLLOUTS) -> Write:
    return Write(resource, name, body)


def _promote_index(state: RolloutState) -> int | None:
    """GetCurrentCanaryStep's index moved one on (capped at the number of steps), or None when the
    rollout has no canary steps."""
    if state.strategy != "Canary" or not state.step_count:
        return None
    index = state.step_index or 0
    return index + 1 if index < state.step_count else index


def promote_writes(state: RolloutState) -> tuple[Write, ...]:
    """getPatches (cmd/promote/promote.go) without --full: status first, then spec."""
    name = state.name
    unified: dict[str, Any] = {"spec": {"paused": False}, "status": {"pauseConditions": None}}
    status: dict[str, Any] | None = None
    index = _promote_index(state)
    if state.analysis.step == "Inconclusive" and state.pause_reasons and state.controller_pause:
        if index is not None:
            status = {
                "status": {"pauseConditions": None, "controllerPause": False, "currentStepIndex": index}
            }
    elif state.pause_reasons:
        status = {"status": {"pauseConditions": None}}
    elif state.strategy == "Canary" and index is not None:
        status = {"status": {"pauseConditions": None, "currentStepIndex": index}}
        unified = {"spec": {"paused": False}, "status": {"pauseConditions": None, "currentStepIndex": index}}
    writes = [status_write(name, status, unified)] if status is not None else []
    if state.paused_by_hand:
        writes.append(main_write(name, UNPAUSE))
    return tuple(writes)


def promote_full_writes(state: RolloutState) -> tuple[Write, ...]:
    """getPatches with --full: promoteFull unless already fully promoted, unpause if paused by hand."""
    unified = {"spec": {"paused": False}, "status": {"promoteFull": True}}
    writes = []
    if state.current_pod_hash != state.stable_rs:
        writes.append(status_write(state.name, PROMOTE_FULL, unified))
    if state.paused_by_hand:
        writes.append(main_write(state.name, UNPAUSE))
    return tuple(writes)


def restart_body(at: datetime) -> dict[str, Any]:
    """restartAt in RFC 3339 UTC, seconds precision (Go's time.RFC3339 on a UTC time)."""
    return {"spec": {"restartAt": at.strftime("%Y-%m-%dT%H:%M:%SZ")}}


# --- undo (cmd/undo/undo.go) -----------------------------------------------------------------


def revision_of(obj: dict[str, Any]) -> int | None:
    value = as_dict(dig(obj, "metadata", "annotations")).get(REVISION_ANNOTATION)
    if value is None:
        return 0  # the plugin counts a missing annotation as revision 0
    try:
        return int(str(value))
    except ValueError:
        return None  # unparseable: skipped, as the plugin does


def controlled_by(obj: dict[str, Any], owner: dict[str, Any]) -> bool:
    uid = as_str(dig(owner, "metadata", "uid"))
    return any(
        isinstance(ref, dict) and ref.get("controller") is True and uid and ref.get("uid") == uid
        for ref in as_list(dig(obj, "metadata", "ownerReferences"))
    )


def undo_target(
    rollout: dict[str, Any], replicasets: tuple[dict[str, Any], ...], to_revision: int
) -> dict[str, Any]:
    """The ReplicaSet to roll back to (rolloutRevision); revision 0 = the second-highest."""
    latest: tuple[int, dict[str, Any]] | None = None
    previous: tuple[int, dict[str, Any]] | None = None
    for rs in replicasets:
        rev = revision_of(rs) if controlled_by(rs, rollout) else None
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
        raise ActionRefused(f"unable to find specified revision {to_revision} in history")
    if previous is None:
        raise ActionRefused(f'no revision found for rollout "{as_str(dig(rollout, "metadata", "name"))}"')
    return previous[1]


def template_without_hash(template: Any) -> dict[str, Any]:
    result = copy.deepcopy(as_dict(template))
    labels = as_dict(result.get("metadata")).get("labels")
    if isinstance(labels, dict):
        labels.pop(POD_TEMPLATE_HASH_LABEL, None)
    return dict(result)


def derives(a: Any, b: Any) -> bool:
    """apimachinery's Semantic.DeepDerivative on JSON values: unset/empty parts of `a` are ignored."""
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
    return bool(a == b)


def workload_of(
    rollout: dict[str, Any], workload: dict[str, Any] | None
) -> tuple[Resource, tuple[str, ...]] | None:
    """(resource, template path) of the object spec.workloadRef names; None without a workloadRef.

    Refused when the reference names a kind the controller does not support, or was not read."""
    ref = dig(rollout, "spec", "workloadRef")
    if not isinstance(ref, dict):
        return None
    kind = as_str(ref.get("kind"))
    if kind not in WORKLOADS:
        raise ActionRefused(f"workload of type {kind} is not supported")
    if workload is None:
        raise ActionRefused(f'{kind} "{as_str(ref.get("name"))}" of spec.workloadRef was not read')
    return WORKLOADS[kind]


def undo_writes(
    rollout: dict[str, Any],
    replicasets: tuple[dict[str, Any], ...],
    to_revision: int,
    workload: dict[str, Any] | None = None,
) -> tuple[Write, ...]:
    """RunUndoRollout; with spec.workloadRef the template goes to the workload (undoWorkloadRef)."""
    rs = undo_target(rollout, replicasets, to_revision)
    where = workload_of(rollout, workload)
    # The plugin compares the Rollout's own template, which a workloadRef rollout leaves empty;
    # the workload's is the one that runs, so that is the one compared here.
    holder, path = (
        (workload, where[1])
        if where is not None and workload is not None
        else (rollout, ("spec", "template"))
    )
    template = dig(holder, *path)
    wanted = template_without_hash(dig(rs, "spec", "template"))
    if isinstance(template, dict) and derives(template_without_hash(template), wanted):
        raise ActionRefused(
            f"skipped rollback (current template already matches revision {to_revision})", noop=True
        )
    body = [{"op": "replace", "path": "/" + "/".join(path), "value": wanted}]
    if where is None:
        return (Write(ROLLOUTS, as_str(dig(rollout, "metadata", "name")), body, JSON_PATCH),)
    # undoWorkloadRef patches `/spec/template` whatever the kind; a PodTemplate keeps its template
    # at `/template`, where the patch can apply.
    return (Write(where[0], as_str(dig(workload, "metadata", "name")), body, JSON_PATCH),)


# --- set image (cmd/set/set_image.go) --------------------------------------------------------


def with_image(
    obj: dict[str, Any], container: str, image: str, template: tuple[str, ...] = ("spec", "template")
) -> dict[str, Any]:
    """A copy of `obj` with `image` on matching containers (init, regular, ephemeral; `*` = all)."""
    new = copy.deepcopy(obj)
    pod_spec = as_dict(dig(new, *template, "spec"))
    found = False
    for section in ("initContainers", "containers", "ephemeralContainers"):
        for ctr in as_list(pod_spec.get(section)):
            if isinstance(ctr, dict) and (ctr.get("name") == container or container == "*"):
                ctr["image"] = image
                found = True
    if not found:
        raise ActionRefused(f'unable to find container named "{container}"')
    return new


def set_image_writes(
    rollout: dict[str, Any], container: str, image: str, workload: dict[str, Any] | None = None
) -> tuple[Write, ...]:
    """A PUT of the whole rollout, or with spec.workloadRef of the workload (SetImage); the
    server's resourceVersion check makes it atomic. SetImage reads a Deployment whatever the
    reference's kind; the kind named is the one written here (a ReplicaSet or PodTemplate
    reference would find no Deployment)."""
    where = workload_of(rollout, workload)
    if where is None or workload is None:
        body = with_image(rollout, container, image)
        return (Write(ROLLOUTS, as_str(dig(rollout, "metadata", "name")), body, JSON, method="PUT"),)
    body = with_image(workload, container, image, where[1])
    return (Write(where[0], as_str(dig(workload, "metadata", "name")), body, JSON, method="PUT"),)
