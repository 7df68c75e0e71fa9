"""``pod.status`` at any instant, as the kubelet reports it (pkg/kubelet/kubelet_pods.go
generateAPIPodStatus, convertToAPIContainerStatuses): phase, conditions, IPs, and for each
container its state (waiting with the kubelet's reasons, running, terminated), lastState,
restartCount, ready/started, image and container IDs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.sim.clock import rfc3339
from rollout_tui.sim.kubelet.behaviour import NEVER_READY, is_unschedulable
from rollout_tui.sim.kubelet.lifecycle import (
    ERR_IMAGE_PULL_FOR,
    SANDBOX_READY,
    ContainerPlan,
    Run,
    backoff,
    digest,
    plans,
)

UNSCHEDULABLE_MESSAGE = (
    "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
    "3 No preemption victims found for incoming pod."
)
PULL_ERROR = (
    'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": failed to resolve '
    'reference "{ref}": {ref}: not found'
)
FALLBACK_LOG_LINES = 80  # terminationMessagePolicy FallbackToLogsOnError: at most 80 lines...
FALLBACK_LOG_BYTES = 2048  # ...and 2048 bytes of the log tail (pkg/kubelet/kuberuntime)

# A function giving the termination message of a run that ended in error (the log tail).
TailOf = Callable[[ContainerPlan, Run], str]


def image_ref(image: str) -> str:
    """The fully qualified reference containerd reports (docker.io/library/... for short names)."""
    first = image.split("/", 1)[0]
    if "/" in image and ("." in first or ":" in first or first == "localhost"):
        return image
    return f"docker.io/{image}" if "/" in image else f"docker.io/library/{image}"


def container_id(pod_name: str, container: str, run: int) -> str:
    return "containerd://" + hashlib.sha256(f"{pod_name}/{container}/{run}".encode()).hexdigest()


def pod_ips(pod_name: str) -> tuple[str, str]:
    d = digest(pod_name)
    return f"10.0.0.{d[0] % 3 + 11}", f"10.244.{d[1] % 4}.{d[2] % 250 + 2}"


def qos_class(pod: dict[str, Any]) -> str:
    """Guaranteed when every container's limits equal its requests, BestEffort with neither."""
    found, guaranteed = False, True
    for c in (pod.get("spec") or {}).get("containers") or []:
        resources = (c or {}).get("resources") or {}
        requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
        found = found or bool(requests or limits)
        if (
            not limits
            or any(requests.get(k, v) != v for k, v in limits.items())
            or set(limits) != {"cpu", "memory"}
        ):
            guaranteed = False
    if not found:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


class _Builder:
    def __init__(self, pod: dict[str, Any], created: datetime, tail_of: TailOf | None) -> None:
        self.pod = pod
        self.created = created
        self.tail_of = tail_of
        meta = pod.get("metadata") or {}
        self.name = str(meta.get("name", ""))
        self.namespace = str(meta.get("namespace", ""))
        self.uid = str(meta.get("uid", ""))
        self.changes: list[float] = []

    def at(self, seconds: float) -> str:
        return rfc3339(self.created + timedelta(seconds=seconds))

    def wake(self, seconds: float | None) -> None:
        if seconds is not None:
            self.changes.append(seconds)

    def terminated(self, plan: ContainerPlan, run: Run) -> dict[str, Any]:
        state: dict[str, Any] = {
            "containerID": container_id(self.name, plan.name, run.index),
            "exitCode": run.exit_code,
            "finishedAt": self.at(run.finished or run.started),
            "reason": run.reason,
            "startedAt": self.at(run.started),
        }
        policy = next(
            (
                c.get("terminationMessagePolicy")
                for c in (self.pod.get("spec") or {}).get("containers") or []
                if isinstance(c, dict) and c.get("name") == plan.name
            ),
            None,
        )
        if policy == "FallbackToLogsOnError" and run.exit_code and self.tail_of is not None:
            message = self.tail_of(plan, run)
            if message:
                state["message"] = message
        return state

    def container(self, plan: ContainerPlan, age: float) -> tuple[dict[str, Any], bool]:
        """(containerStatus, started) at ``age``."""
        entry: dict[str, Any] = {
            "image": plan.image,
            "imageID": "",
            "lastState": {},
            "name": plan.name,
            "ready": False,
            "restartCount": 0,
            "started": False,
            "state": {},
        }
        if plan.pulls_fail:
            entry["state"] = {"waiting": self.pull_waiting(plan, age)}
            return entry, False
        current, previous = plan.at(age)
        if current is None:
            entry["state"] = {"waiting": {"reason": "ContainerCreating"}}
            self.wake(plan.first_start)
            return entry, False
        ref = image_ref(plan.image)
        entry["imageID"] = f"{ref.rsplit(':', 1)[0]}@sha256:{hashlib.sha256(plan.image.encode()).hexdigest()}"
        entry["image"] = ref
        running = current.finished is None or age < current.finished
        if running:
            entry["containerID"] = container_id(self.name, plan.name, current.index)
            entry["state"] = {"running": {"startedAt": self.at(current.started)}}
            entry["restartCount"] = current.index
            entry["started"] = True
            entry["ready"] = plan.ready_during(current, age)
            if previous is not None:
                entry["lastState"] = {"terminated": self.terminated(plan, previous)}
            self.wake(current.finished)
        else:
            restarts = current.index + 1
            entry["containerID"] = container_id(self.name, plan.name, current.index)
            entry["restartCount"] = restarts
            entry["lastState"] = {"terminated": self.terminated(plan, current)}
            wait = backoff(restarts)
            entry["state"] = {
                "waiting": {
                    "reason": "CrashLoopBackOff",
                    "message": f"back-off {int(wait)}s restarting failed container={plan.name} "
                    f"pod={self.name}_{self.namespace}({self.uid})",
                }
            }
            self.wake((current.finished or 0) + wait)
        return entry, running

    def pull_waiting(self, plan: ContainerPlan, age: float) -> dict[str, Any]:
        pulls = list(plan.pulls(age))
        if not pulls:
            self.wake(plan.pull_started)
            return {"reason": "ContainerCreating"}
        last = pulls[-1]
        if last.failed is None or age < last.failed:
            self.wake(last.failed)
            if len(pulls) == 1:
                return {"reason": "ContainerCreating"}
            last = pulls[-2]  # retrying: the previous failure still shows
        assert last.failed is not None
        if age < last.failed + ERR_IMAGE_PULL_FOR:
            self.wake(last.failed + ERR_IMAGE_PULL_FOR)
            return {"reason": "ErrImagePull", "message": PULL_ERROR.format(ref=image_ref(plan.image))}
        self.wake(last.retry)
        return {
            "reason": "ImagePullBackOff",
            "message": f'Back-off pulling image "{plan.image}": ErrImagePull: '
            + PULL_ERROR.format(ref=image_ref(plan.image)),
        }


def _condition(
    at: str, kind: str, ok: bool, reason: str | None = None, message: str | None = None
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "lastProbeTime": None,
        "lastTransitionTime": at,
        "status": "True" if ok else "False",
        "type": kind,
    }
    if reason:
        entry["reason"] = reason
    if message:
        entry["message"] = message
    return entry


def pod_status(
    pod: dict[str, Any],
    created: datetime,
    now: datetime,
    tail_of: TailOf | None = None,
    container_plans: list[ContainerPlan] | None = None,
) -> tuple[dict[str, Any], datetime | None]:
    """The pod's status at ``now``, and when it next changes (None: never on its own);
    ``container_plans`` saves laying them out again when the caller has them."""
    b = _Builder(pod, created, tail_of)
    age = (now - created).total_seconds()
    status: dict[str, Any] = {"phase": "Pending", "qosClass": qos_class(pod)}
    if is_unschedulable(pod):
        status["conditions"] = [
            _condition(b.at(0), "PodScheduled", False, "Unschedulable", UNSCHEDULABLE_MESSAGE)
        ]
        return status, None
    host_ip, pod_ip = pod_ips(b.name)
    status.update(hostIP=host_ip, hostIPs=[{"ip": host_ip}], startTime=b.at(0))
    if age < SANDBOX_READY:
        status["conditions"] = [_condition(b.at(0), "PodScheduled", True)]
        return status, created + timedelta(seconds=SANDBOX_READY)
    container_plans = plans(pod) if container_plans is None else container_plans
    entries, any_started = [], False
    for plan in container_plans:
        entry, started = b.container(plan, age)
        entries.append(entry)
        any_started = any_started or started or bool(entry["restartCount"])
    ready = bool(entries) and all(e["ready"] for e in entries)
    unready = [e["name"] for e in entries if not e["ready"]]
    if any_started:
        status["phase"] = "Running"
        status.update(podIP=pod_ip, podIPs=[{"ip": pod_ip}])
    since = _ready_since(container_plans, age) if ready else None
    changed = b.at(since) if since is not None else b.at(_last_change(container_plans, age))
    message = f"containers with unready status: [{' '.join(unready)}]" if unready else None
    status["conditions"] = [
        _condition(b.at(SANDBOX_READY), "PodReadyToStartContainers", True),
        _condition(b.at(SANDBOX_READY), "Initialized", True),
        _condition(changed, "Ready", ready, None if ready else "ContainersNotReady", message),
        _condition(changed, "ContainersReady", ready, None if ready else "ContainersNotReady", message),
        _condition(b.at(0), "PodScheduled", True),
    ]
    status["containerStatuses"] = entries
    future = [t for t in b.changes if t > age]
    return status, (created + timedelta(seconds=min(future))) if future else None


def _ready_since(container_plans: list[ContainerPlan], age: float) -> float:
    return max((plan.at(age)[0] or Run(0, SANDBOX_READY)).started for plan in container_plans)


def _last_change(container_plans: list[ContainerPlan], age: float) -> float:
    """When readiness last flipped to False: the latest exit of a container that had been Ready,
    else when the sandbox came up (the condition starts False)."""
    latest = SANDBOX_READY
    for plan in container_plans:
        if plan.behaviour in NEVER_READY or plan.pulls_fail:
            continue
        current, _ = plan.at(age)
        if current is not None and current.finished is not None and current.finished <= age:
            latest = max(latest, current.finished)
    return latest
