"""Pod status the way `kubectl get pods` prints it (pod_info.go newPodInfo), and the container
truth behind it: each container's state and reason, restarts and last termination (what
`kubectl describe pod` shows), and the one problem an operator should read first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rollout_tui.model.fields import as_bool, as_dict, as_int, as_list, as_str, dig, parse_time
from rollout_tui.model.icons import pod_status_kind
from rollout_tui.model.node import ObjectInfo, identity

NODE_UNREACHABLE_REASON = "NodeLost"


# Waiting reasons that mean the container cannot run as specified (kubelet images/, kuberuntime/).
IMAGE_PULL_REASONS = frozenset({"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"})
BROKEN_WAITING = IMAGE_PULL_REASONS | {
    "CrashLoopBackOff",
    "CreateContainerConfigError",
    "CreateContainerError",
    "RunContainerError",
    "PreStartHookError",
    "PostStartHookError",
}


@dataclass(frozen=True, slots=True)
class ContainerTruth:
    """One container's status: what `kubectl describe pod` shows under State / Last State."""

    name: str
    init: bool
    image: str
    ready: bool
    restarts: int
    state: str  # "running", "waiting", "terminated" or "" (no status yet)
    reason: str  # the waiting or terminated reason
    message: str  # the waiting or terminated message
    exit_code: int | None  # terminated only
    started_at: datetime | None  # running since / terminated run started
    last_reason: str  # lastState.terminated.reason ("" when it never terminated)
    last_exit_code: int | None
    last_message: str  # with terminationMessagePolicy FallbackToLogsOnError: the log tail
    last_finished: datetime | None

    @property
    def broken(self) -> bool:
        """It cannot run as specified (image pull, crash loop, config error) or failed last time."""
        if self.state == "waiting" and self.reason in BROKEN_WAITING:
            return True
        if self.state == "terminated" and self.exit_code not in (None, 0) and not self.init:
            return True
        return self.state == "running" and not self.ready and self.restarts > 0


@dataclass(frozen=True, slots=True)
class PodInfo(ObjectInfo):
    ready: str  # "ready/total"
    restarts: int
    images: tuple[str, ...]
    node: str
    containers: tuple[ContainerTruth, ...] = ()  # init containers first, as the pod lists them
    unschedulable: str = ""  # the PodScheduled=False message, when the scheduler cannot place it

    @property
    def container_names(self) -> tuple[str, ...]:
        """Names whose logs can be read, regular containers first (the default one first)."""
        regular = [c.name for c in self.containers if not c.init]
        return tuple(regular + [c.name for c in self.containers if c.init])

    @property
    def problem(self) -> str:
        """What is wrong with this pod in one phrase ("" when nothing is): the worst container's
        reason, "OOMKilled" or the exit code of its last run, a failing readiness, no node."""
        if self.unschedulable:
            return "Unschedulable"
        broken = [c for c in self.containers if c.broken]
        for c in broken:
            if c.state == "waiting" and c.reason == "CrashLoopBackOff" and c.last_reason:
                return f"CrashLoopBackOff (last: {_termination(c)})"
        if broken:
            c = broken[0]
            return c.reason or _termination(c)
        restarted = [c for c in self.containers if c.last_reason and c.restarts]
        if restarted:
            return f"restarted (last: {_termination(restarted[0])})"
        if any(c.state == "running" and not c.ready and not c.init for c in self.containers):
            return "not ready"
        return ""

    @property
    def last_message(self) -> str:
        """The last termination message of a broken or restarted container (a log tail, a panic)."""
        for c in self.containers:
            if c.last_message and (c.broken or c.restarts):
                return c.last_message
            if c.state == "terminated" and c.message:
                return c.message
        return ""


def _termination(c: ContainerTruth) -> str:
    reason = c.last_reason or c.reason
    code = c.last_exit_code if c.last_reason else c.exit_code
    return f"{reason} exit {code}" if reason and code is not None else reason or f"exit {code}"


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
        containers=container_truths(pod),
        unschedulable=_unschedulable(pod),
    )


def container_truths(pod: Any) -> tuple[ContainerTruth, ...]:
    """Init containers, then containers, each with its status (or an empty one before the first)."""
    spec = as_dict(dig(pod, "spec"))
    status = as_dict(dig(pod, "status"))
    found = []
    for init, specs, statuses in (
        (True, spec.get("initContainers"), status.get("initContainerStatuses")),
        (False, spec.get("containers"), status.get("containerStatuses")),
    ):
        by_name = {as_str(as_dict(s).get("name")): as_dict(s) for s in as_list(statuses)}
        for container in as_list(specs):
            name = as_str(as_dict(container).get("name"))
            found.append(_truth(name, init, as_str(as_dict(container).get("image")), by_name.get(name, {})))
    return tuple(found)


def _truth(name: str, init: bool, image: str, cs: Mapping[str, Any]) -> ContainerTruth:
    state = as_dict(cs.get("state"))
    which = next((k for k in ("running", "waiting", "terminated") if isinstance(state.get(k), dict)), "")
    now = as_dict(state.get(which))
    last = as_dict(dig(cs, "lastState", "terminated"))
    code = now.get("exitCode")
    last_code = last.get("exitCode")
    return ContainerTruth(
        name=name,
        init=init,
        image=as_str(cs.get("image")) or image,
        ready=as_bool(cs.get("ready")),
        restarts=as_int(cs.get("restartCount")),
        state=which,
        reason=as_str(now.get("reason")),
        message=as_str(now.get("message")),
        exit_code=as_int(code) if which == "terminated" and code is not None else None,
        started_at=parse_time(now.get("startedAt")),
        last_reason=as_str(last.get("reason")),
        last_exit_code=as_int(last_code) if last and last_code is not None else None,
        last_message=as_str(last.get("message")),
        last_finished=parse_time(last.get("finishedAt")),
    )


def _unschedulable(pod: Any) -> str:
    for cond in as_list(dig(pod, "status", "conditions")):
        cond = as_dict(cond)
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
            return as_str(cond.get("message")) or as_str(cond.get("reason")) or "unschedulable"
    return ""


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
