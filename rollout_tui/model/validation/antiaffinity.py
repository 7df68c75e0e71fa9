"""ValidateRolloutStrategyAntiAffinity of pkg/apis/rollouts/validation/validation.go."""

from __future__ import annotations

from typing import Any

from rollout_tui.model.fields import as_dict, as_int
from rollout_tui.model.validation.errors import FieldError, invalid

INVALID_ANTI_AFFINITY_STRATEGY = "AntiAffinity must have exactly one strategy listed"
INVALID_ANTI_AFFINITY_WEIGHT = "AntiAffinity weight must be between 1-100"


def validate_anti_affinity(anti_affinity: Any, path: str) -> list[FieldError]:
    if anti_affinity is None:
        return []
    anti_affinity = as_dict(anti_affinity)
    preferred = anti_affinity.get("preferredDuringSchedulingIgnoredDuringExecution")
    required_ = anti_affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    errs: list[FieldError] = []
    if (preferred is None) == (required_ is None):
        value = (
            "antiAffinity.PreferredDuringSchedulingIgnoredDuringExecution: "
            f"{str(preferred is not None).lower()} "
            "antiAffinity.RequiredDuringSchedulingIgnoredDuringExecution: "
            f"{str(required_ is not None).lower()}"
        )
        errs.append(invalid(path, value, INVALID_ANTI_AFFINITY_STRATEGY))
    if preferred is not None:
        weight = as_int(as_dict(preferred).get("weight"))
        if not 1 <= weight <= 100:
            errs.append(invalid(f"{path}.weight", weight, INVALID_ANTI_AFFINITY_WEIGHT))
    return errs
