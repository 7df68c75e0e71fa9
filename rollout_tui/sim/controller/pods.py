"""ReplicaSets and their pods, as the Kubernetes ReplicaSet controller and kubelet would show them.

A pod goes Pending (scheduled) → ContainerCreating (+1 s) → Running and Ready (+3..5 s). Pods can
be told to misbehave, per scenario, either by the pod template annotation
`sim.rollout-tui.dev/pod` or by the image tag:

- `crashloop` (or an image tag containing `crash`): Running but never Ready, then Error and
  CrashLoopBackOff with back-off 10 s, 20 s, 40 s ... 5 min and a growing restart count;
- `imagepullbackoff` (or tag `does-not-exist`, `missing`, `notfound`): ErrImagePull, then
  ImagePullBackOff;
- `pending`: never scheduled (PodScheduled=False, Unschedulable);
- `slow`: becomes Ready only after 30..40 s.

Every state is a function of the pod's age, so timestamps are exact and replays identical.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.sim.clock import rfc3339
from rollout_tui.sim.controller.cache import POD_FINGERPRINT, POD_READY, status_fingerprint
from rollout_tui.sim.controller.naming import random_suffix
from rollout_tui.sim.controller.objects import (
    as_int,
    meta,
    owner_reference,
    parse_time,
    status_subresource,
)

POD_BEHAVIOUR_ANNOTATION = "sim.rollout-tui.dev/pod"
BEHAVIOURS = ("normal", "crashloop", "imagepullbackoff", "pending", "slow")
_MISSING_TAGS = ("does-not-exist", "missing", "notfound", "not-found")


def behaviour_of(pod_template_or_pod: dict[str, Any]) -> str:
    declared = (meta(pod_template_or_pod).get("annotations") or {}).get(POD_BEHAVIOUR_ANNOTATION)
    if declared in BEHAVIOURS:
        return str(declared)
    for container in (pod_template_or_pod.get("spec") or {}).get("containers") or []:
        image = str((container or {}).get("image", ""))
        tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
        if "crash" in tag:
            return "crashloop"
        if tag in _MISSING_TAGS:
            return "imagepullbackoff"
    return "normal"


def is_ready(pod: dict[str, Any]) -> bool:
    status = pod.get("status") or {}
    if POD_READY in status:  # a cached (slim) pod
        return bool(status[POD_READY])
    for cond in status.get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


class ReplicaSetReconciler:
    """Keeps a ReplicaSet's pod count at spec.replicas and its status counts true."""

    def __init__(self, controller: Any) -> None:
        self.c = controller

    def reconcile(self, rs: dict[str, Any]) -> datetime | None:
        store, cache = self.c.store, self.c.cache
        rs_meta = meta(rs)
        namespace, name = rs_meta.get("namespace", ""), rs_meta["name"]
        desired = max(as_int((rs.get("spec") or {}).get("replicas"), 1), 0)
        pods = cache.owned(rs, "pods")
        if len(pods) < desired:
            for _ in range(desired - len(pods)):
                self._create_pod(rs)
        elif len(pods) > desired:
            # Like the ReplicaSet controller: remove unready pods first, then the youngest.
            youngest_first = sorted(pods, key=lambda p: meta(p).get("creationTimestamp", ""), reverse=True)
            doomed = sorted(youngest_first, key=is_ready)[: len(pods) - desired]  # stable sort
            for pod in doomed:
                try:
                    store.delete("pods", namespace, meta(pod)["name"])
                except Exception as exc:
                    if getattr(exc, "code", None) != 404:
                        raise
        pods = cache.owned(rs, "pods")
        ready = sum(1 for p in pods if is_ready(p))
        status: dict[str, Any] = {"observedGeneration": rs_meta.get("generation", 1), "replicas": len(pods)}
        if pods:
            status["fullyLabeledReplicas"] = len(pods)
        if ready:
            status["readyReplicas"] = ready
            status["availableReplicas"] = ready
        if rs.get("status") != status:
            store.mutate(
                "replicasets",
                namespace,
                name,
                lambda obj: obj.__setitem__("status", status),
                subresource=status_subresource("replicasets"),
            )
        return None

    def _create_pod(self, rs: dict[str, Any]) -> None:
        template = copy.deepcopy((rs.get("spec") or {}).get("template") or {})
        tmeta = template.get("metadata") or {}
        rs_meta = meta(rs)
        spec = template.get("spec") or {}
        node = int.from_bytes(_digest(rs_meta["name"])[:2], "big") % 3 + 1
        spec.setdefault("restartPolicy", "Always")
        spec.setdefault("schedulerName", "default-scheduler")
        spec.setdefault("serviceAccountName", "default")
        spec.setdefault("terminationGracePeriodSeconds", 30)
        pod_meta: dict[str, Any] = {
            "namespace": rs_meta.get("namespace"),
            "generateName": f"{rs_meta['name']}-",
            "labels": dict(tmeta.get("labels") or {}),
            "ownerReferences": [owner_reference(rs)],
        }
        if tmeta.get("annotations"):
            pod_meta["annotations"] = dict(tmeta["annotations"])
        if behaviour_of(template) != "pending":
            spec["nodeName"] = f"sim-node-{node}"
        for _attempt in range(5):
            pod_meta["name"] = f"{rs_meta['name']}-{random_suffix(self.c.rng)}"
            try:
                self.c.store.create(
                    "pods", {"apiVersion": "v1", "kind": "Pod", "metadata": dict(pod_meta), "spec": spec}
                )
                return
            except Exception as exc:
                if getattr(exc, "code", None) != 409:
                    raise


class PodReconciler:
    """Moves a pod through its lifecycle; the next stage is scheduled on the timer heap."""

    def __init__(self, controller: Any) -> None:
        self.c = controller

    def reconcile(self, pod: dict[str, Any]) -> datetime | None:
        created = parse_time(meta(pod).get("creationTimestamp"))
        if created is None:
            return None
        now = self.c.clock.now()
        status, next_change = pod_status(pod, created, now)
        if (pod.get("status") or {}).get(POD_FINGERPRINT) != status_fingerprint(status):
            self.c.store.mutate(
                "pods",
                meta(pod).get("namespace"),
                meta(pod)["name"],
                lambda obj: obj.__setitem__("status", status),
                subresource=status_subresource("pods"),
            )
        return next_change


def pod_status(
    pod: dict[str, Any], created: datetime, now: datetime
) -> tuple[dict[str, Any], datetime | None]:
    """The pod's status at `now`, and when it next changes (None: stable)."""
    name = meta(pod)["name"]
    digest = _digest(name)
    behaviour = behaviour_of(pod)
    containers = [c for c in (pod.get("spec") or {}).get("containers") or [] if isinstance(c, dict)]
    age = (now - created).total_seconds()
    created_s = rfc3339(created)
    host_ip = f"10.0.0.{digest[0] % 3 + 11}"
    pod_ip = f"10.244.{digest[1] % 4}.{digest[2] % 250 + 2}"
    t_creating = 1.0
    t_running = 3.0 + digest[3] % 3
    if behaviour == "slow":
        t_running = 30.0 + digest[3] % 11

    def at(seconds: float) -> str:
        return rfc3339(created + timedelta(seconds=seconds))

    def cond(
        kind: str, ok: bool, since: float, reason: str | None = None, message: str | None = None
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "lastProbeTime": None,
            "lastTransitionTime": at(since),
            "status": "True" if ok else "False",
            "type": kind,
        }
        if reason:
            entry["reason"] = reason
        if message:
            entry["message"] = message
        return entry

    names = ", ".join(c.get("name", "") for c in containers)
    unready_msg = f"containers with unready status: [{names}]"
    status: dict[str, Any] = {"phase": "Pending", "qosClass": "BestEffort"}
    if behaviour == "pending":
        status["conditions"] = [
            cond(
                "PodScheduled",
                False,
                0,
                "Unschedulable",
                "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are "
                "available: 3 No preemption victims found for incoming pod.",
            )
        ]
        return status, None
    base = {"hostIP": host_ip, "startTime": created_s}
    if age < t_creating:
        status["conditions"] = [cond("PodScheduled", True, 0)]
        return status, created + timedelta(seconds=t_creating)

    def container_status(
        container: dict[str, Any],
        state: dict[str, Any],
        ready: bool,
        restarts: int = 0,
        last_state: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        image = str(container.get("image", ""))
        entry: dict[str, Any] = {
            "image": image,
            "imageID": "",
            "lastState": last_state or {},
            "name": container.get("name", ""),
            "ready": ready,
            "restartCount": restarts,
            "started": "running" in state,
            "state": state,
        }
        if "running" in state or "terminated" in state or restarts:
            entry["imageID"] = f"docker.io/{image}@sha256:{hashlib.sha256(image.encode()).hexdigest()}"
            entry["containerID"] = f"containerd://{hashlib.sha256(name.encode()).hexdigest()}"
        return entry

    scheduled = [
        cond("Initialized", True, t_creating),
        cond("Ready", False, t_creating, "ContainersNotReady", unready_msg),
        cond("ContainersReady", False, t_creating, "ContainersNotReady", unready_msg),
        cond("PodScheduled", True, 0),
    ]
    if behaviour == "imagepullbackoff":
        t_err, t_backoff = 3.0, 5.0
        status.update(base, conditions=scheduled)
        if age < t_err:
            reason, message, next_at = "ContainerCreating", None, t_err
        elif age < t_backoff:
            reason, next_at = "ErrImagePull", t_backoff
            message = "rpc error: code = NotFound desc = failed to pull and unpack image"
        else:
            reason, next_at = "ImagePullBackOff", None
            message = None
        states = []
        for c in containers:
            waiting: dict[str, Any] = {"reason": reason}
            if reason == "ImagePullBackOff":
                waiting["message"] = f'Back-off pulling image "{c.get("image", "")}"'
            elif message:
                waiting["message"] = f'Failed to pull image "{c.get("image", "")}": {message}'
            states.append(container_status(c, {"waiting": waiting}, False))
        status["containerStatuses"] = states
        return status, created + timedelta(seconds=next_at) if next_at else None

    if age < t_running:
        status.update(
            base,
            conditions=scheduled,
            containerStatuses=[
                container_status(c, {"waiting": {"reason": "ContainerCreating"}}, False) for c in containers
            ],
        )
        return status, created + timedelta(seconds=t_running)

    status.update(base, podIP=pod_ip, podIPs=[{"ip": pod_ip}])
    if behaviour != "crashloop":
        status["phase"] = "Running"
        status["conditions"] = [
            cond("Initialized", True, t_creating),
            cond("Ready", True, t_running),
            cond("ContainersReady", True, t_running),
            cond("PodScheduled", True, 0),
        ]
        status["containerStatuses"] = [
            container_status(c, {"running": {"startedAt": at(t_running)}}, True) for c in containers
        ]
        return status, None

    # Crash loop: run 5 s, exit 1, back off 10 s doubling to 5 min, run again...
    restarts, start = 0, t_running
    running_since: float | None
    last: float | None
    while True:
        crash = start + 5.0
        if age < crash:
            running_since, next_at, last = start, crash, None
            break
        restarts += 1
        backoff = min(10.0 * 2 ** (restarts - 1), 300.0)
        if age < crash + backoff:
            running_since, next_at, last = None, crash + backoff, crash
            break
        start = crash + backoff
    status["phase"] = "Running"
    status["conditions"] = scheduled
    last_state = (
        {
            "terminated": {
                "exitCode": 1,
                "reason": "Error",
                "startedAt": at(start),
                "finishedAt": at(last if last is not None else start),
            }
        }
        if restarts
        else {}
    )
    states = []
    for c in containers:
        if running_since is not None:
            state: dict[str, Any] = {"running": {"startedAt": at(running_since)}}
        else:
            state = {
                "waiting": {
                    "reason": "CrashLoopBackOff",
                    "message": f"back-off {int(min(10 * 2 ** (restarts - 1), 300))}s restarting failed "
                    f"container={c.get('name', '')} pod={name}_{meta(pod).get('namespace', '')}"
                    f"({meta(pod).get('uid', '')})",
                }
            }
        states.append(container_status(c, state, False, restarts, last_state))
    status["containerStatuses"] = states
    return status, created + timedelta(seconds=next_at)
