"""ValidateRollout of pkg/apis/rollouts/validation/validation.go: the spec rules the controller
checks before it reconciles (a failure is the InvalidSpec condition) and ``lint`` prints.

Paths and bad values are the controller's, including its quirks: the strategy's own rules report
under ``spec.strategy`` (``spec.strategy.maxSurge``, ``spec.strategy.steps[1]``), a missing strategy
under ``spec.strategy.strategy``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rollout_tui.model.fields import as_dict, as_int
from rollout_tui.model.validation.antiaffinity import validate_anti_affinity
from rollout_tui.model.validation.canary import validate_canary
from rollout_tui.model.validation.errors import FieldError, internal, invalid, required
from rollout_tui.model.validation.names import selector_error, validate_label_selector
from rollout_tui.model.validation.podtemplate import IS_NEGATIVE, validate_template_for_replicaset

MISSING_FIELD = "Rollout has missing field '{}'"
INVALID_STRATEGY = "Multiple Strategies can not be listed"
DUPLICATED_SERVICES_BLUE_GREEN = "This rollout uses the same service for the active and preview services, but two different services are required."
SCALE_DOWN_LIMIT_LARGER_THAN_REVISION_LIMIT = (
    "This rollout's revision history limit can not be smaller than the rollout's scale down limit"
)
DEFAULT_REVISION_HISTORY_LIMIT = 10
DEFAULT_PROGRESS_DEADLINE_SECONDS = 600


def nonnegative(value: int, path: str) -> list[FieldError]:
    return [invalid(path, value, IS_NEGATIVE)] if value < 0 else []


def revision_history_limit(spec: Mapping[str, Any]) -> int:
    return as_int(spec.get("revisionHistoryLimit"), DEFAULT_REVISION_HISTORY_LIMIT)


def validate_rollout(rollout: Any, template_resolved_from_ref: bool = False) -> list[FieldError]:
    """Every spec error of ``rollout``, in the controller's order (its first is the one it reports).

    ``template_resolved_from_ref``: the template was filled from ``spec.workloadRef`` (what the
    controller validates); a manifest as written has it False.
    """
    spec = as_dict(as_dict(rollout).get("spec"))
    replicas = as_int(spec.get("replicas"), 1)
    errs = nonnegative(replicas, "spec.replicas")
    workload_ref = spec.get("workloadRef")
    selector = spec.get("selector")
    if workload_ref is None:
        if selector is None:
            errs.append(required("spec.selector", MISSING_FIELD.format(".spec.selector")))
        else:
            errs += validate_label_selector(selector, "spec.selector")
            if not as_dict(selector).get("matchLabels") and not as_dict(selector).get("matchExpressions"):
                errs.append(invalid("spec.selector", selector, "empty selector is invalid for deployment"))
    template_meta = as_dict(as_dict(spec.get("template")).get("metadata"))
    empty_template = not template_meta.get("labels") and not template_meta.get("annotations")
    if not template_resolved_from_ref and workload_ref is not None and not empty_template:
        errs.append(internal("spec.template", "template must be empty for workload reference rollout"))
    if selector_error(selector):
        errs.append(invalid("spec.selector", selector, "invalid label selector"))
    elif template_resolved_from_ref or workload_ref is None:
        errs += validate_template_for_replicaset(spec.get("template"), selector, "spec.template")
    min_ready = as_int(spec.get("minReadySeconds"), 0)
    errs += nonnegative(min_ready, "spec.minReadySeconds")
    errs += nonnegative(revision_history_limit(spec), "spec.revisionHistoryLimit")
    deadline = as_int(spec.get("progressDeadlineSeconds"), DEFAULT_PROGRESS_DEADLINE_SECONDS)
    errs += nonnegative(deadline, "spec.progressDeadlineSeconds")
    if deadline <= min_ready:
        errs.append(invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"))
    return errs + validate_strategy(rollout, "spec.strategy")


def validate_strategy(rollout: Any, path: str) -> list[FieldError]:
    strategy = as_dict(as_dict(as_dict(rollout).get("spec")).get("strategy"))
    blue_green, canary = strategy.get("blueGreen"), strategy.get("canary")
    if blue_green is None and canary is None:
        message = MISSING_FIELD.format(".spec.strategy.canary or .spec.strategy.blueGreen")
        return [required(f"{path}.strategy", message)]
    if blue_green is not None and canary is not None:
        return [invalid(f"{path}.strategy", "blueGreen: true canary: true", INVALID_STRATEGY)]
    if blue_green is not None:
        return _blue_green(rollout, as_dict(blue_green), path)
    return validate_canary(rollout, path)


def _blue_green(rollout: Any, blue_green: Mapping[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    active = blue_green.get("activeService") or ""
    if active == (blue_green.get("previewService") or ""):
        errs.append(invalid(f"{path}.activeService", active, DUPLICATED_SERVICES_BLUE_GREEN))
    limit = blue_green.get("scaleDownDelayRevisionLimit")
    if isinstance(limit, int) and revision_history_limit(as_dict(as_dict(rollout).get("spec"))) < limit:
        errs.append(
            invalid(f"{path}.scaleDownDelayRevisionLimit", limit, SCALE_DOWN_LIMIT_LARGER_THAN_REVISION_LIMIT)
        )
    return errs + validate_anti_affinity(blue_green.get("antiAffinity"), f"{path}.antiAffinity")
