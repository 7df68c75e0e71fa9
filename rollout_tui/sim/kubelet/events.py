"""The Events the scheduler and the kubelet record for a pod, with their reasons and wording
(pkg/kubelet/events/event.go, pkg/kubelet/images/image_manager.go,
pkg/kubelet/kuberuntime/kuberuntime_container.go, pkg/kubelet/prober/prober.go and the
scheduler's "Successfully assigned ns/pod to node").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rollout_tui.sim.kubelet.behaviour import is_unschedulable
from rollout_tui.sim.kubelet.lifecycle import ERR_IMAGE_PULL_FOR, ContainerPlan, plans
from rollout_tui.sim.kubelet.status import PULL_ERROR, UNSCHEDULABLE_MESSAGE, image_ref, pod_ips

KUBELET = "kubelet"
SCHEDULER = "default-scheduler"


@dataclass(frozen=True)
class PodEvent:
    at: float  # seconds since the pod was created
    type: str
    reason: str
    message: str
    component: str = KUBELET
    field_path: str = ""


def go_millis(seconds: float) -> str:
    """time.Duration.String() of a duration rounded to the millisecond: 812ms, 1.843s."""
    ms = round(seconds * 1000)
    if ms < 1000:
        return f"{ms}ms"
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".") + "s"


def _field(plan: ContainerPlan) -> str:
    return f"spec.containers{{{plan.name}}}"


def _pull_events(plan: ContainerPlan, until: float) -> list[PodEvent]:
    out: list[PodEvent] = []
    where, image = _field(plan), plan.image
    for pull in plan.pulls(until):
        out.append(PodEvent(pull.started, "Normal", "Pulling", f'Pulling image "{image}"', field_path=where))
        if pull.failed is None:
            done = plan.first_start - 0.05
            took = go_millis(done - pull.started)
            message = (
                f'Successfully pulled image "{image}" in {took} ({took} including waiting). '
                f"Image size: {plan.image_bytes} bytes."
            )
            out.append(PodEvent(done, "Normal", "Pulled", message, field_path=where))
            continue
        error = PULL_ERROR.format(ref=image_ref(image))
        out += [
            PodEvent(
                pull.failed, "Warning", "Failed", f'Failed to pull image "{image}": {error}', field_path=where
            ),
            PodEvent(pull.failed, "Warning", "Failed", "Error: ErrImagePull", field_path=where),
        ]
        backing_off = pull.failed + ERR_IMAGE_PULL_FOR
        out += [
            PodEvent(backing_off, "Normal", "BackOff", f'Back-off pulling image "{image}"', field_path=where),
            PodEvent(backing_off, "Warning", "Failed", "Error: ImagePullBackOff", field_path=where),
        ]
    return out


def _run_events(pod: dict[str, Any], plan: ContainerPlan, until: float) -> list[PodEvent]:
    meta = pod.get("metadata") or {}
    pod_ref = f"{meta.get('name', '')}_{meta.get('namespace', '')}({meta.get('uid', '')})"
    out: list[PodEvent] = []
    where = _field(plan)
    for run in plan.runs(until):
        if run.index:
            out.append(
                PodEvent(
                    run.started,
                    "Normal",
                    "Pulled",
                    f'Container image "{plan.image}" already present on machine',
                    field_path=where,
                )
            )
        out += [
            PodEvent(run.started, "Normal", "Created", f"Created container: {plan.name}", field_path=where),
            PodEvent(run.started, "Normal", "Started", f"Started container {plan.name}", field_path=where),
        ]
        if run.finished is not None and plan.behaviour == "livenessfail":
            message = f"Container {plan.name} failed liveness probe, will be restarted"
            out.append(PodEvent(run.finished, "Normal", "Killing", message, field_path=where))
        if run.finished is not None:
            out.append(
                PodEvent(
                    run.finished,
                    "Warning",
                    "BackOff",
                    f"Back-off restarting failed container {plan.name} in pod {pod_ref}",
                    field_path=where,
                )
            )
    return out


def probe_message(plan: ContainerPlan, pod_name: str, liveness: bool = False) -> str:
    """pkg/kubelet/prober: '<Readiness|Liveness> probe failed: <the probe's own output>'."""
    probe = plan.liveness if liveness else plan.probe
    which = "Liveness" if liveness else "Readiness"
    _host, ip = pod_ips(pod_name)
    if probe.kind == "TCP":
        address = probe.description.format(ip=ip)
        return f"{which} probe failed: dial tcp {address}: connect: connection refused"
    if probe.kind == "exec":
        return f'{which} probe failed: command "{probe.description}" exited with 1'
    if liveness:  # a hung app does not answer at all
        url = probe.description.format(ip=ip)
        return (
            f'{which} probe failed: Get "{url}": context deadline exceeded (Client.Timeout exceeded '
            "while awaiting headers)"
        )
    return f"{which} probe failed: HTTP probe failed with statuscode: 503"


def pod_events(
    pod: dict[str, Any], since: float, until: float, container_plans: list[ContainerPlan] | None = None
) -> list[PodEvent]:
    """Events that happen in (since, until], in time order (same-instant events keep the
    kubelet's order)."""
    if until <= since:
        return []
    meta = pod.get("metadata") or {}
    name, namespace = str(meta.get("name", "")), str(meta.get("namespace", ""))
    found: list[PodEvent] = []
    if is_unschedulable(pod):
        found.append(PodEvent(0.0, "Warning", "FailedScheduling", UNSCHEDULABLE_MESSAGE, SCHEDULER))
        return [e for e in found if since < e.at <= until]
    node = (pod.get("spec") or {}).get("nodeName", "")
    found.append(
        PodEvent(0.0, "Normal", "Scheduled", f"Successfully assigned {namespace}/{name} to {node}", SCHEDULER)
    )
    for plan in plans(pod) if container_plans is None else container_plans:
        found += _pull_events(plan, until)
        found += _run_events(pod, plan, until)
        if plan.behaviour == "probefail":
            message = probe_message(plan, name)
            found += [
                PodEvent(t, "Warning", "Unhealthy", message, field_path=_field(plan))
                for t in plan.probe_failures(since, until)
            ]
        if plan.behaviour == "livenessfail":
            message = probe_message(plan, name, liveness=True)
            found += [
                PodEvent(t, "Warning", "Unhealthy", message, field_path=_field(plan))
                for t in plan.liveness_failures(since, until)
            ]
    found = [e for e in found if since < e.at <= until]
    return sorted(found, key=lambda e: e.at)  # stable: same-instant events keep their order


def killing_events(pod: dict[str, Any], age: float) -> list[PodEvent]:
    """Deleting a pod stops every container that has been started ("Stopping container X")."""
    out = []
    for plan in plans(pod):
        current, _ = plan.at(age)
        if current is not None and (current.finished is None or current.finished > age):
            out.append(
                PodEvent(age, "Normal", "Killing", f"Stopping container {plan.name}", field_path=_field(plan))
            )
    return out
