"""Canary step index and traffic weights (reference §3; utils/replicaset/canary.go)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rollout_tui.model.fields import as_bool, as_dict, as_int, as_list, dig, is_set


def canary_spec(rollout: Any) -> Mapping[str, Any] | None:
    canary = dig(rollout, "spec", "strategy", "canary")
    return canary if is_set(canary) else None


def canary_steps(rollout: Any) -> list[Any]:
    return as_list(as_dict(canary_spec(rollout)).get("steps"))


def current_step_index(rollout: Any) -> int | None:
    """status.currentStepIndex, None when unset (or not an integer)."""
    value = dig(rollout, "status", "currentStepIndex")
    return as_int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def current_step(rollout: Any) -> tuple[Mapping[str, Any] | None, int | None]:
    """GetCurrentCanaryStep: (step, index); step None once past the last step (or no steps)."""
    steps = canary_steps(rollout)
    if canary_spec(rollout) is None or not steps:
        return None, None
    index = current_step_index(rollout) or 0
    if index < 0:  # Go would index out of range; treat as "no current step"
        return None, index
    if index >= len(steps):
        return None, index
    return as_dict(steps[index]), index


def max_traffic_weight(rollout: Any) -> int:
    routing = as_dict(dig(rollout, "spec", "strategy", "canary", "trafficRouting"))
    value = routing.get("maxTrafficWeight")
    return as_int(value, 100) if value is not None else 100


def set_weight(rollout: Any) -> int:
    """GetCurrentSetWeight: the weight the current step asks for (desired, not actual)."""
    if as_bool(dig(rollout, "status", "abort")):
        return 0
    step, index = current_step(rollout)
    if step is None or index is None:
        return max_traffic_weight(rollout)
    steps = canary_steps(rollout)
    for i in range(index, -1, -1):
        weight = as_dict(steps[i]).get("setWeight")
        if weight is not None:
            return as_int(weight)
    return 0


def actual_weight(rollout: Any, canary_available: int | None) -> str:
    """ActualWeight as NewRolloutInfo computes it.

    `canary_available` is status.availableReplicas of the canary ReplicaSet (None when there is
    none); it is only needed without traffic routing.
    """
    step, _ = current_step(rollout)
    if step is None:
        return str(max_traffic_weight(rollout))
    available = as_int(dig(rollout, "status", "availableReplicas"))
    if available <= 0:
        return "0"
    canary = as_dict(canary_spec(rollout))
    if not is_set(canary.get("trafficRouting")):
        if canary_available is None:
            return "0"
        return str(_go_div(canary_available * max_traffic_weight(rollout), available))
    weights = dig(rollout, "status", "canary", "weights")
    if is_set(weights):
        return str(as_int(dig(weights, "canary", "weight")))
    return str(set_weight(rollout))


def _go_div(a: int, b: int) -> int:
    """Go integer division truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def step_label(rollout: Any) -> str | None:
    """The plugin's "N/M" (currentStepIndex / number of steps), or None when either is missing."""
    index = current_step_index(rollout)
    steps = canary_steps(rollout)
    return f"{index}/{len(steps)}" if index is not None and steps else None
