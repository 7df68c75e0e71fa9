"""One line per rollout for overviews, computed from the Rollout object alone.

The overview watches only Rollouts (cheap at fleet scale), so nothing here looks at ReplicaSets:
the actual weight is read from status.canary.weights when the controller reports it, else
derived from replica counts and marked as an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rollout_tui.model.clock import Clock
from rollout_tui.model.durations import age
from rollout_tui.model.fields import (
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_str,
    desired_replicas,
    dig,
    is_set,
    parse_time,
)
from rollout_tui.model.icons import rollout_status_kind
from rollout_tui.model.status import rollout_status
from rollout_tui.model.validate import object_warnings
from rollout_tui.model.weights import (
    canary_steps,
    current_step,
    current_step_index,
    max_traffic_weight,
    set_weight,
    step_label,
)


@dataclass(frozen=True)
class RolloutSummary:
    namespace: str
    name: str
    uid: str
    strategy: str  # "Canary", "BlueGreen" or "unknown" (as `list rollouts` prints it)
    status: str
    message: str
    icon_kind: str
    step: str  # "N/M" or "-"
    step_index: int | None
    step_count: int
    set_weight: str  # "-" unless canary
    actual_weight: str  # "-" unless canary
    actual_weight_estimated: bool
    desired: int
    current: int
    updated: int
    ready: int
    available: int
    created: datetime | None
    age: str
    paused: bool
    aborted: bool
    pause_reasons: tuple[str, ...]
    current_pod_hash: str
    stable_rs: str
    labels: tuple[tuple[str, str], ...]
    images: tuple[str, ...]  # from the pod template in spec (empty with a workloadRef)
    resource_version: str
    warnings: tuple[str, ...]

    @property
    def ready_current(self) -> str:
        return f"{self.ready}/{self.current}"

    @property
    def key(self) -> tuple[str, str]:
        return self.namespace, self.name


def rollout_summary(rollout: Any, clock: Clock) -> RolloutSummary:
    warnings = object_warnings(rollout, "Rollout")
    meta = as_dict(dig(rollout, "metadata"))
    spec = as_dict(dig(rollout, "spec"))
    status = as_dict(dig(rollout, "status"))
    strategy = as_dict(spec.get("strategy"))
    phase, message = rollout_status(rollout)

    name_strategy, step, weight, actual, estimated = "unknown", "-", "-", "-", False
    index = current_step_index(rollout)
    steps = canary_steps(rollout)
    if is_set(strategy.get("canary")):
        name_strategy = "Canary"
        step = step_label(rollout) or "-"
        weight = str(set_weight(rollout))
        actual, estimated = _actual_weight(rollout, status)
    elif is_set(strategy.get("blueGreen")):
        name_strategy = "BlueGreen"

    containers = as_list(dig(spec, "template", "spec", "containers"))
    return RolloutSummary(
        namespace=as_str(meta.get("namespace")),
        name=as_str(meta.get("name")),
        uid=as_str(meta.get("uid")),
        strategy=name_strategy,
        status=phase,
        message=message,
        icon_kind=rollout_status_kind(phase),
        step=step,
        step_index=index,
        step_count=len(steps),
        set_weight=weight,
        actual_weight=actual,
        actual_weight_estimated=estimated,
        desired=desired_replicas(spec),
        current=as_int(status.get("replicas")),
        updated=as_int(status.get("updatedReplicas")),
        ready=as_int(status.get("readyReplicas")),
        available=as_int(status.get("availableReplicas")),
        created=parse_time(meta.get("creationTimestamp")),
        age=age(meta.get("creationTimestamp"), clock),
        paused=as_bool(spec.get("paused")),
        aborted=as_bool(status.get("abort")),
        pause_reasons=tuple(as_str(as_dict(c).get("reason")) for c in as_list(status.get("pauseConditions"))),
        current_pod_hash=as_str(status.get("currentPodHash")),
        stable_rs=as_str(status.get("stableRS")),
        labels=tuple((as_str(k), as_str(v)) for k, v in as_dict(meta.get("labels")).items()),
        images=tuple(as_str(as_dict(c).get("image")) for c in containers),
        resource_version=as_str(meta.get("resourceVersion")),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _actual_weight(rollout: Any, status: dict) -> tuple[str, bool]:
    """(weight, estimated). Exact when no step is current or the controller reports weights."""
    # The plugin's order: past the last step the canary *is* the stable, so it serves the maximum
    # weight even though the controller's reported canary weight has gone back to 0.
    step, _ = current_step(rollout)
    if step is None:
        return str(max_traffic_weight(rollout)), False
    weights = dig(status, "canary", "weights")
    if is_set(weights):
        return str(as_int(dig(weights, "canary", "weight"))), False
    if as_bool(status.get("abort")):
        return "0", False
    available = as_int(status.get("availableReplicas"))
    if available <= 0:
        return "0", False
    if is_set(dig(rollout, "spec", "strategy", "canary", "trafficRouting")):
        return str(set_weight(rollout)), True
    # Basic canary: traffic follows pods; updated replicas approximate the available canary pods.
    canary_pods = min(as_int(status.get("updatedReplicas")), available)
    return str(canary_pods * max_traffic_weight(rollout) // available), True
