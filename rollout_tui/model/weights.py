"""Canary step index and the set weight, as the controller's utils/replicaset/canary.go reads them.

Helpers of `model.state` (which computes the actual weight as well): nothing else derives these.
"""

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
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def step_position(index: int | None, count: int) -> int:
    """GetCurrentCanaryStep's position: an unset index counts as 0. A negative index (Go would
    index out of range) counts as past the end: no current step."""
    if index is None:
        return 0
    return count if index < 0 else index


def max_traffic_weight(rollout: Any) -> int:
    value = dig(rollout, "spec", "strategy", "canary", "trafficRouting", "maxTrafficWeight")
    return as_int(value, 100) if value is not None else 100


def set_weight(rollout: Any) -> int:
    """GetCurrentSetWeight: the weight the current step asks for (desired, not actual)."""
    if as_bool(dig(rollout, "status", "abort")):
        return 0
    steps = canary_steps(rollout)
    position = step_position(current_step_index(rollout), len(steps))
    if canary_spec(rollout) is None or not 0 <= position < len(steps):
        return max_traffic_weight(rollout)
    for i in range(position, -1, -1):
        weight = as_dict(steps[i]).get("setWeight")
        if weight is not None:
            return as_int(weight)
    return 0
