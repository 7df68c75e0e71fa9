"""Pod status the way `kubectl get pods` prints it (pod_info.go newPodInfo)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rollout_tui.model.fields import as_bool, as_dict, as_int, as_list, as_str, dig
from rollout_tui.model.icons import pod_status_kind
from rollout_tui.model.node import ObjectInfo, identity

NODE_UNREACHABLE_REASON = "NodeLost"


@dataclass(frozen=True, slots=True)
class PodInfo(ObjectInfo):
    ready: str  # "ready/total"
    restarts: int
    images: tuple[str, ...]
    node: str


def pod_info(pod: Any) -> PodInfo:
    spec = as_dict(dig(pod, "spec"))
    reason, ready, restarts = kubectl_status(pod)
    return PodInfo(
        **identity(pod),
        status=reason,
        icon_kind=pod_status_kind(reason),
        ready=f"{ready}/{len(as_list(spec.get('containers')))}",
        restarts=restarts,
        images=tuple(as_str(as_dict(c).get("image")) for c in as_list(spec.get("containers"))),
        node=as_str(spec.get("nodeName")),
    )


def kubectl_status(pod: Any) -> tuple[str, int, int]:
    """(STATUS, ready containers, restarts): phase, refined by init containers, then by
    containers scanned last to first, then by deletion (kubectl's printPod)."""
    spec = as_dict(dig(pod, "spec"))
    status = as_dict(dig(pod, "status"))
    reason = as_str(status.get("reason")) or as_str(status.get("phase"))
    init_reason, restarts = _init_containers(spec, status)
    ready = 0
    if init_reason is not None:
        reason = init_reason
    else:
        reason, ready, restarts = _containers(status, reason)
    if dig(pod, "metadata", "deletionTimestamp") is not None:
        reason = "Unknown" if status.get("reason") == NODE_UNREACHABLE_REASON else "Terminating"
    return reason, ready, restarts


def _init_containers(spec: Mapping[str, Any], status: Mapping[str, Any]) -> tuple[str | None, int]:
    """(the Init:... reason while initializing, else None; restarts counted so far)."""
    # Native sidecars (restartPolicy: Always) count as initialized once started and ready.
    sidecars = {
        as_str(as_dict(c).get("name")): as_dict(c).get("restartPolicy") == "Always"
        for c in as_list(spec.get("initContainers"))
    }
    init_total = len(as_list(spec.get("initContainers")))
    restarts = 0
    for i, cs in enumerate(as_list(status.get("initContainerStatuses"))):
        cs = as_dict(cs)
        restarts += as_int(cs.get("restartCount"))
        state = as_dict(cs.get("state"))
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if isinstance(terminated, dict) and as_int(terminated.get("exitCode")) == 0:
            continue
        if isinstance(terminated, dict):
            if as_str(terminated.get("reason")):
                return "Init:" + as_str(terminated.get("reason")), restarts
            signal = as_int(terminated.get("signal"))
            return (
                f"Init:Signal:{signal}" if signal else f"Init:ExitCode:{as_int(terminated.get('exitCode'))}"
            ), restarts
        if sidecars.get(as_str(cs.get("name"))) and as_bool(cs.get("started")):
            if as_bool(cs.get("ready")):
                continue
            return None, restarts
        if (
            isinstance(waiting, dict)
            and as_str(waiting.get("reason"))
            and waiting.get("reason") != "PodInitializing"
        ):
            return "Init:" + as_str(waiting.get("reason")), restarts
        return f"Init:{i}/{init_total}", restarts
    return None, restarts


def _containers(status: Mapping[str, Any], reason: str) -> tuple[str, int, int]:
    """(reason, ready, restarts) from the containers, scanned last to first as kubectl does."""
    restarts = ready = 0
    has_running = False
    for cs in reversed(as_list(status.get("containerStatuses"))):
        cs = as_dict(cs)
        restarts += as_int(cs.get("restartCount"))
        state = as_dict(cs.get("state"))
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if isinstance(waiting, dict) and as_str(waiting.get("reason")):
            reason = as_str(waiting.get("reason"))
        elif isinstance(terminated, dict) and as_str(terminated.get("reason")):
            reason = as_str(terminated.get("reason"))
        elif isinstance(terminated, dict):
            signal = as_int(terminated.get("signal"))
            reason = f"Signal:{signal}" if signal else f"ExitCode:{as_int(terminated.get('exitCode'))}"
        elif as_bool(cs.get("ready")) and isinstance(state.get("running"), dict):
            has_running = True
            ready += 1
    # A pod whose main container finished but a sidecar still runs is Running, not Completed.
    if reason == "Completed" and has_running:
        reason = "Running"
    return reason, ready, restarts
