"""Needs-me reasons that the Rollout object alone does not hold: its new pods failing, and its
router carrying another split than the controller reports.

Two sources say "canary pods failing": the detail reads the pods themselves (container states)
and their Warning events; the overview, which watches no pods, reads the fleet's Warning events
(model.warnings). Both name the failure with the same words (`trouble_of_container`,
`trouble_of_event`) and build the same Reason (`pods_reason`), so the row and the pane agree.
Pure.
"""

from __future__ import annotations

from collections.abc import Iterable

from rollout_tui.model.attention import FAILING, Reason
from rollout_tui.model.events import EventInfo
from rollout_tui.model.pods import IMAGE_PULL_REASONS, ContainerTruth, PodInfo
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.model.state import BLUE_GREEN, RolloutState

IMAGE_PULL, CRASH_LOOP, OOM_KILL, UNSCHEDULABLE, PROBES = (
    "image pull",
    "crash loop",
    "OOM kill",
    "unschedulable",
    "probes",
)
ORDER = (IMAGE_PULL, CRASH_LOOP, OOM_KILL, UNSCHEDULABLE, PROBES)  # the worst named first


def trouble_of_container(c: ContainerTruth) -> str:
    """The failure a container shows now ("" when none)."""
    if c.state == "waiting" and c.reason in IMAGE_PULL_REASONS:
        return IMAGE_PULL
    if "OOMKilled" in (c.reason, c.last_reason) and (c.restarts or c.state != "running"):
        return OOM_KILL
    if c.state == "waiting" and c.reason == "CrashLoopBackOff":
        return CRASH_LOOP
    if c.broken:
        return c.reason or (CRASH_LOOP if c.restarts else f"exit {c.exit_code}")
    return ""


def trouble_of_event(event: EventInfo) -> str:
    """The failure a pod's Warning event reports, in the same words ("" for a Normal event)."""
    if not event.warning:
        return ""
    message = event.message
    if event.reason == "Failed" and (
        "pull" in message.lower() or "ImagePull" in message or "InvalidImageName" in message
    ):
        return IMAGE_PULL
    if event.reason == "BackOff" and "restarting" in message:
        return CRASH_LOOP
    if event.reason == "Unhealthy":
        return PROBES
    if event.reason == "FailedScheduling":
        return UNSCHEDULABLE
    if event.reason == "Failed" and message.startswith("Error: "):
        return message[len("Error: ") :]
    return event.reason


def pods_reason(state: RolloutState, troubles: Iterable[str]) -> Reason | None:
    """ "canary pods failing: crash loop" (the worst trouble named), or None."""
    found = set(troubles) - {""}
    if not found or state.aborted:  # an abort scales the new pods down: their trouble is over
        return None
    worst = next((t for t in ORDER if t in found), sorted(found)[0])
    updating = bool(state.stable_rs) and state.current_pod_hash != state.stable_rs
    who = ("preview " if state.strategy == BLUE_GREEN else "canary ") if updating else ""
    return Reason(FAILING, f"{who}pods failing: {worst}")


def current_pods(info: RolloutInfo) -> tuple[PodInfo, ...]:
    """The pods of the revision being rolled out (its ReplicaSet's pod-template hash)."""
    hashed = info.state.current_pod_hash
    return tuple(p for rs in info.replicasets if rs.pod_template_hash == hashed for p in rs.pods)


def pod_troubles(pods: Iterable[PodInfo], events: Iterable[EventInfo]) -> tuple[str, ...]:
    """Failures of `pods`: from their containers, and probe failures from their Warning events
    (a container failing readiness is merely "not ready" in its status)."""
    names = set()
    found = []
    for pod in pods:
        names.add(pod.name)
        if pod.unschedulable:
            found.append(UNSCHEDULABLE)
        found += [trouble_of_container(c) for c in pod.containers]
    found += [PROBES for e in events if e.kind == "Pod" and e.name in names and trouble_of_event(e) == PROBES]
    return tuple(t for t in found if t)


def incident_reasons(info: RolloutInfo) -> tuple[Reason, ...]:
    """What the detail adds to `attention(state, now)`: failing pods, a router that disagrees."""
    reasons = []
    pods = pods_reason(info.state, pod_troubles(current_pods(info), info.events))
    if pods is not None:
        reasons.append(pods)
    if info.traffic is not None and info.traffic.mismatch:
        reasons.append(Reason(FAILING, f"traffic differs: {info.traffic.mismatch}"))
    return tuple(reasons)
