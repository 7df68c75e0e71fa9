"""How a simulated pod behaves, chosen per scenario by annotation or by image tag.

Pod template annotation ``sim.rollout-tui.dev/pod`` (every container) or
``sim.rollout-tui.dev/pod.<container>`` (one container):

- ``normal`` (default): Pending -> ContainerCreating (1 s) -> Running and Ready (3-5 s);
- ``slow``: the image pull takes 30-40 s;
- ``crashloop``: starts, logs its startup, panics after 5 s (exit 2, reason Error), then
  CrashLoopBackOff with back-off 10 s, 20 s, 40 s ... 5 min and a growing restart count;
- ``oomkilled``: serves for 15-25 s (Ready), then is killed for memory (exit 137, reason
  OOMKilled) and restarts with the same back-off;
- ``imagepullbackoff``: every pull fails (ErrImagePull), retried with back-off (ImagePullBackOff);
- ``probefail`` (or ``unready``): runs, but its readiness probe fails: never Ready, Unhealthy
  events every probe period;
- ``livenessfail``: hangs: its liveness probe fails (Unhealthy), after failureThreshold (3)
  failures the kubelet kills it ("failed liveness probe, will be restarted", exit 143) and
  restarts it with the crash back-off;
- ``pending`` (pod-level): never scheduled (PodScheduled=False, Unschedulable).

Image tags trigger the same per container: a tag containing ``crash`` (crashloop), ``oom``
(oomkilled), ``unready`` (probefail) or ``hang`` (livenessfail), or equal to ``does-not-exist``, ``missing``,
``notfound``, ``not-found`` (imagepullbackoff).
"""

from __future__ import annotations

from typing import Any

POD_BEHAVIOUR_ANNOTATION = "sim.rollout-tui.dev/pod"
BEHAVIOURS = (
    "normal",
    "slow",
    "crashloop",
    "oomkilled",
    "imagepullbackoff",
    "probefail",
    "unready",
    "livenessfail",
    "pending",
)
CRASHING = ("crashloop", "oomkilled", "livenessfail")  # they end and restart with back-off
NEVER_READY = ("crashloop", "probefail", "livenessfail")
_MISSING_TAGS = ("does-not-exist", "missing", "notfound", "not-found")


def _annotations(obj: dict[str, Any]) -> dict[str, Any]:
    notes = (obj.get("metadata") or {}).get("annotations")
    return notes if isinstance(notes, dict) else {}


def _tag(image: str) -> str:
    return image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""


def _by_tag(image: str) -> str:
    tag = _tag(image)
    if "crash" in tag:
        return "crashloop"
    if "oom" in tag:
        return "oomkilled"
    if "unready" in tag:
        return "probefail"
    if "hang" in tag:
        return "livenessfail"
    if tag in _MISSING_TAGS:
        return "imagepullbackoff"
    return "normal"


def containers(pod_or_template: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_or_template.get("spec") or {}
    return [c for c in spec.get("containers") or [] if isinstance(c, dict)]


def container_behaviour(pod_or_template: dict[str, Any], container: dict[str, Any]) -> str:
    """The behaviour of one container (``pending`` is the pod's, see ``is_unschedulable``)."""
    notes = _annotations(pod_or_template)
    declared = notes.get(
        f"{POD_BEHAVIOUR_ANNOTATION}.{container.get('name', '')}", notes.get(POD_BEHAVIOUR_ANNOTATION)
    )
    if declared == "unready":
        return "probefail"
    if declared in BEHAVIOURS and declared != "pending":
        return str(declared)
    return _by_tag(str(container.get("image", "")))


def is_unschedulable(pod_or_template: dict[str, Any]) -> bool:
    return _annotations(pod_or_template).get(POD_BEHAVIOUR_ANNOTATION) == "pending"


def behaviour_of(pod_or_template: dict[str, Any]) -> str:
    """The pod's behaviour as one word: ``pending``, else the first misbehaving container's."""
    if is_unschedulable(pod_or_template):
        return "pending"
    for container in containers(pod_or_template):
        kind = container_behaviour(pod_or_template, container)
        if kind != "normal":
            return kind
    return "normal"
