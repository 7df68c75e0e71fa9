"""ReplicaSets and their pods: the ReplicaSet controller keeps the pod count, the simulated
kubelet (``rollout_tui.sim.kubelet``) moves each pod through its life and records the
scheduler's and kubelet's Events for it. How a pod behaves (crash loop, OOM kill, failing image
pull or readiness probe...) is chosen per scenario; see ``rollout_tui.sim.kubelet.behaviour``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.sim.controller.cache import POD_FINGERPRINT, POD_READY, had_status, status_fingerprint
from rollout_tui.sim.controller.events import Source
from rollout_tui.sim.kubelet.behaviour import is_unschedulable
from rollout_tui.sim.kubelet.events import KUBELET, PodEvent, killing_events, pod_events
from rollout_tui.sim.kubelet.lifecycle import ContainerPlan, Run, digest, plans
from rollout_tui.sim.kubelet.logs import Profile, run_log_for, termination_message
from rollout_tui.sim.kubelet.status import pod_status
from rollout_tui.sim.naming import random_suffix
from rollout_tui.sim.objects import (
    as_int,
    meta,
    owner_reference,
    parse_time,
    write_status,
)

EVENT_LOOKAHEAD = 60.0  # how far ahead a pod's next event (a probe failure) is looked for
# Timers come back through float timestamps and may fire a microsecond early; what is due
# within this slack counts as now, so a wake-up never finds its own moment still ahead of it.
SLACK = timedelta(milliseconds=1)


def is_ready(pod: dict[str, Any]) -> bool:
    status = pod.get("status") or {}
    if POD_READY in status:  # a cached (slim) pod
        return bool(status[POD_READY])
    for cond in status.get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


class ReplicaSetReconciler:
    """Keeps a ReplicaSet's pod count at spec.replicas and its status counts true."""

    def __init__(self, controller: Any) -> None:
        self.c = controller

    def reconcile(self, rs: dict[str, Any]) -> datetime | None:
        store, cache = self.c.store, self.c.cache
        rs_meta = meta(rs)
        namespace = rs_meta.get("namespace", "")
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
            write_status(store, "replicasets", rs, status, expect_rv=False)
        return None

    def _create_pod(self, rs: dict[str, Any]) -> None:
        template = copy.deepcopy((rs.get("spec") or {}).get("template") or {})
        tmeta = template.get("metadata") or {}
        rs_meta = meta(rs)
        spec = template.get("spec") or {}
        node = int.from_bytes(digest(rs_meta["name"])[:2], "big") % 3 + 1
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
        if not is_unschedulable(template):
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
    """Moves a pod through its life; the next change is scheduled on the timer heap. Events are
    recorded for what happened since the pod was last looked at (none are invented for the past
    of a pod that already had a status, e.g. one seeded from a manifest)."""

    def __init__(self, controller: Any) -> None:
        self.c = controller
        self._seen: dict[str, float] = {}  # pod uid -> age (s) up to which its events are recorded

    def reconcile(self, pod: dict[str, Any]) -> datetime | None:
        created = parse_time(meta(pod).get("creationTimestamp"))
        if created is None:
            return None
        now = self.c.clock.now() + SLACK
        age = (now - created).total_seconds()
        container_plans = plans(pod)
        status, next_change = pod_status(pod, created, now, termination_tail(pod, created), container_plans)
        if (pod.get("status") or {}).get(POD_FINGERPRINT) != status_fingerprint(status):
            write_status(self.c.store, "pods", pod, status, expect_rv=False)
        uid = str(meta(pod).get("uid", ""))
        since = self._seen.get(uid)
        if since is None:
            since = age if had_status(pod) else -1.0
        self._record(pod, created, pod_events(pod, since, age, container_plans))
        self._seen[uid] = age
        if any(plan.behaviour in ("probefail", "livenessfail") for plan in container_plans):
            # Probe failures are events without a status change: wake for the next one.
            upcoming = pod_events(pod, age, age + EVENT_LOOKAHEAD, container_plans)
            if upcoming:
                event_at = created + timedelta(seconds=upcoming[0].at)
                next_change = event_at if next_change is None else min(next_change, event_at)
        return next_change

    def deleted(self, pod: dict[str, Any]) -> None:
        """A pod is gone: what happened since it was last looked at, then its running containers
        were stopped (Killing)."""
        since = self._seen.pop(str(meta(pod).get("uid", "")), None)
        created = parse_time(meta(pod).get("creationTimestamp"))
        if created is None or since is None:
            return
        try:
            self.c.store.get("namespaces", None, meta(pod).get("namespace", ""))
        except Exception:  # its namespace went with it: nobody to tell
            return
        gone = (self.c.clock.now() - created).total_seconds()
        self._record(pod, created, pod_events(pod, since, gone) + killing_events(pod, gone))

    def _record(self, pod: dict[str, Any], created: datetime, events: list[PodEvent]) -> None:
        """Record events, repeats of one folded into a single write (count, first and last)."""
        involved = {"apiVersion": "v1", "kind": "Pod", "metadata": meta(pod)}
        node = str((pod.get("spec") or {}).get("nodeName", ""))
        groups: dict[tuple[str, str, str, str, str], list[PodEvent]] = {}
        for event in events:
            key = (event.component, event.field_path, event.type, event.reason, event.message)
            groups.setdefault(key, []).append(event)
        for (component, field_path, event_type, reason, message), same in groups.items():
            source = Source(component, node if component == KUBELET else "", field_path)
            self.c.events.record(
                involved,
                event_type,
                reason,
                message,
                source,
                at=created + timedelta(seconds=same[-1].at),
                first=created + timedelta(seconds=same[0].at),
                count=len(same),
            )


def termination_tail(pod: dict[str, Any], created: datetime) -> Callable[[ContainerPlan, Run], str]:
    """The termination message of a run that ended in error, for FallbackToLogsOnError."""

    def tail(plan: ContainerPlan, run: Run) -> str:
        container: dict[str, Any] = next(
            (c for c in (pod.get("spec") or {}).get("containers") or [] if c.get("name") == plan.name), {}
        )
        started = created + timedelta(seconds=run.started)
        ended = created + timedelta(seconds=run.finished or run.started)
        return termination_message(run_log_for(pod, container, run.index, started, ended, Profile()))

    return tail
