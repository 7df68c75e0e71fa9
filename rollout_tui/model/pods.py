"""Pod status the way `kubectl get pods` prints it (pod_info.go newPodInfo)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rollout_tui.model.clock import Clock
from rollout_tui.model.durations import age
from rollout_tui.model.fields import as_bool, as_dict, as_int, as_list, as_str, dig, parse_time
from rollout_tui.model.icons import pod_status_kind

NODE_UNREACHABLE_REASON = "NodeLost"


@dataclass(frozen=True)
class PodInfo:
    name: str
    namespace: str
    uid: str
    created: datetime | None
    age: str
    status: str
    icon_kind: str
    ready: str  # "ready/total"
    restarts: int
    images: tuple[str, ...]
    node: str


def pod_info(pod: Any, clock: Clock) -> PodInfo:
    spec = as_dict(dig(pod, "spec"))
    reason, ready, restarts = kubectl_status(pod)
    return PodInfo(
        name=as_str(dig(pod, "metadata", "name")),
        namespace=as_str(dig(pod, "metadata", "namespace")),
        uid=as_str(dig(pod, "metadata", "uid")),
        created=parse_time(dig(pod, "metadata", "creationTimestamp")),
        age=age(dig(pod, "metadata", "creationTimestamp"), clock),
        status=reason,
        icon_kind=pod_status_kind(reason),
        ready=f"{ready}/{len(as_list(spec.get('containers')))}",
        restarts=restarts,
        images=tuple(as_str(as_dict(c).get("image")) for c in as_list(spec.get("containers"))),
        node=as_str(spec.get("nodeName")),
    )


def kubectl_status(pod: Any) -> tuple[str, int, int]:
    """(STATUS, ready containers, restarts): phase, refined by init containers, then by
    containers scanned last to first, then by deletion."""
    spec = as_dict(dig(pod, "spec"))
    status = as_dict(dig(pod, "status"))
    reason = as_str(status.get("phase"))
    if as_str(status.get("reason")):
        reason = as_str(status.get("reason"))

    # Native sidecars (restartPolicy: Always) count as initialized once started and ready.
    sidecars = {
        as_str(as_dict(c).get("name")): as_dict(c).get("restartPolicy") == "Always"
        for c in as_list(spec.get("initContainers"))
    }
    init_total = len(as_list(spec.get("initContainers")))
    restarts = ready = 0
    initializing = False
    for i, cs in enumerate(as_list(status.get("initContainerStatuses"))):
        cs = as_dict(cs)
        restarts += as_int(cs.get("restartCount"))
        state = as_dict(cs.get("state"))
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if isinstance(terminated, dict) and as_int(terminated.get("exitCode")) == 0:
            continue
        if isinstance(terminated, dict):
            if not as_str(terminated.get("reason")):
                signal = as_int(terminated.get("signal"))
                reason = (
                    f"Init:Signal:{signal}"
                    if signal
                    else f"Init:ExitCode:{as_int(terminated.get('exitCode'))}"
                )
            else:
                reason = "Init:" + as_str(terminated.get("reason"))
            initializing = True
        elif sidecars.get(as_str(cs.get("name"))) and as_bool(cs.get("started")):
            if as_bool(cs.get("ready")):
                continue
        elif (
            isinstance(waiting, dict)
            and as_str(waiting.get("reason"))
            and waiting.get("reason") != "PodInitializing"
        ):
            reason = "Init:" + as_str(waiting.get("reason"))
            initializing = True
        else:
            reason = f"Init:{i}/{init_total}"
            initializing = True
        break

    if not initializing:
        restarts = 0
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

    if dig(pod, "metadata", "deletionTimestamp") is not None:
        reason = "Unknown" if status.get("reason") == NODE_UNREACHABLE_REASON else "Terminating"
    return reason, ready, restarts
