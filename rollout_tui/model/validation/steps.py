"""The per-step rules of ValidateRolloutStrategyCanary (pkg/apis/rollouts/validation/validation.go)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rollout_tui.model.durations import parse_duration
from rollout_tui.model.fields import as_dict, as_int, as_list
from rollout_tui.model.validation.errors import FieldError, invalid, required, struct_json
from rollout_tui.model.validation.fieldpath import extract_field_path

MISSING_FIELD = "Rollout has missing field '{}'"
INVALID_SET_WEIGHT = "SetWeight needs to be between 0 and {}"
INVALID_EXPERIMENT_WEIGHT_WITHOUT_ROUTING = (
    "Experiment template weight cannot be set unless TrafficRouting is enabled"
)
INVALID_EXPERIMENT_WEIGHT_ROUTER = "Experiment template weight is only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time"
INVALID_SET_CANARY_SCALE_TRAFFIC_POLICY = "SetCanaryScale requires TrafficRouting to be set"
INVALID_SET_HEADER_ROUTE_TRAFFIC_POLICY = (
    "SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix"
)
INVALID_SET_MIRROR_ROUTE_TRAFFIC_POLICY = "SetMirrorRoute requires TrafficRouting, supports Istio and Plugins"
INVALID_STRING_MATCH_MULTIPLE = (
    "StringMatch match value must have exactly one of the following: exact, regex, prefix"
)
INVALID_STRING_MATCH_MISSED = (
    "StringMatch value missed, match value must have one of the following: exact, regex, prefix"
)
INVALID_SET_HEADER_ROUTE_ALB_VALUE = "SetHeaderRoute match value invalid. ALB supports 'exact' value only"
INVALID_DURATION = "Duration needs to be greater than 0"
INVALID_STEP = (
    "Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause"
)
INVALID_ANALYSIS_ARGS = "Analyses arguments must refer to valid object metadata supported by downwardAPI"
STEP_ROUTE_NOT_IN_MANAGED_ROUTES = (
    "Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes"
)
STEP_KINDS = (
    "experiment",
    "pause",
    "setWeight",
    "analysis",
    "setCanaryScale",
    "setHeaderRoute",
    "setMirrorRoute",
    "plugin",
)


def _has(step: Mapping[str, Any], name: str) -> bool:
    return step.get(name) is not None


def _go_bool(value: bool) -> str:
    return "true" if value else "false"


_GO_INT = re.compile(r"^[+-]?[0-9]+$")


def validate_step(
    rollout: Any, canary: Mapping[str, Any], step: Mapping[str, Any], path: str, strategy_path: str
) -> list[FieldError]:
    errs = _step_kind(step, path)
    weight = step.get("setWeight")
    limit = max_traffic_weight(canary)
    if isinstance(weight, int) and not 0 <= weight <= limit:
        errs.append(invalid(f"{path}.setWeight", weight, INVALID_SET_WEIGHT.format(limit)))
    if _has(step, "pause"):
        seconds = pause_seconds(as_dict(step["pause"]).get("duration"))
        if seconds < 0:
            errs.append(invalid(f"{path}.pause.duration", seconds, INVALID_DURATION))
    routing = canary.get("trafficRouting")
    if _has(step, "setCanaryScale") and routing is None:
        errs.append(required(f"{strategy_path}.trafficRouting", INVALID_SET_CANARY_SCALE_TRAFFIC_POLICY))
    errs += _header_route(step, routing, path) + _mirror_route(step, routing, path)
    if routing is not None and (_has(step, "setHeaderRoute") or _has(step, "setMirrorRoute")):
        managed = as_dict(routing).get("managedRoutes")
        if managed is None:
            message = MISSING_FIELD.format("spec.strategy.canary.trafficRouting.managedRoutes")
            errs.append(required(f"{strategy_path}.trafficRouting.managedRoutes", message))
        else:
            names = {as_dict(r).get("name") for r in as_list(managed)}
            for kind in ("setHeaderRoute", "setMirrorRoute"):
                route_name = as_dict(step.get(kind)).get("name") or ""
                if _has(step, kind) and route_name not in names:
                    errs.append(invalid(f"{path}.{kind}", route_name, STEP_ROUTE_NOT_IN_MANAGED_ROUTES))
    return errs + _experiment_weights(step, routing, path) + _analysis_args(rollout, step, path)


def _step_kind(step: Mapping[str, Any], path: str) -> list[FieldError]:
    four = ("experiment", "pause", "setWeight", "analysis")
    if sum(_has(step, name) for name in ("setWeight", "pause", "experiment", "analysis")) > 1:
        value = " ".join(f"step.{name[0].upper()}{name[1:]}: {_go_bool(_has(step, name))}" for name in four)
        return [invalid(path, value, INVALID_STEP)]
    if not any(_has(step, name) for name in STEP_KINDS):
        value = " ".join(f"step.{name[0].upper()}{name[1:]}: true" for name in STEP_KINDS)
        return [invalid(path, value, INVALID_STEP)]
    return []


def _string_match_errors(match: Any, path: str, alb: bool) -> list[FieldError]:
    if match is None:
        return [invalid(path, None, INVALID_STRING_MATCH_MISSED)]
    match = as_dict(match)
    exact, regex, prefix = (bool(match.get(k)) for k in ("exact", "regex", "prefix"))
    value = struct_json(match, "StringMatch")
    if alb:
        return (
            [invalid(path, value, INVALID_SET_HEADER_ROUTE_ALB_VALUE)] if not exact or regex or prefix else []
        )
    if exact + regex + prefix > 1:
        return [invalid(path, value, INVALID_STRING_MATCH_MULTIPLE)]
    if not (exact or regex or prefix):
        return [invalid(path, value, INVALID_STRING_MATCH_MISSED)]
    return []


def _header_route(step: Mapping[str, Any], routing: Any, path: str) -> list[FieldError]:
    if not _has(step, "setHeaderRoute"):
        return []
    route, routing = as_dict(step["setHeaderRoute"]), as_dict(routing)
    if not routing or not (
        any(_has(routing, k) for k in ("istio", "alb", "apisix")) or as_dict(routing.get("plugins"))
    ):
        return [
            invalid(
                f"{path}.setHeaderRoute",
                struct_json(route, "SetHeaderRoute"),
                INVALID_SET_HEADER_ROUTE_TRAFFIC_POLICY,
            )
        ]
    errs: list[FieldError] = []
    for j, match in enumerate(as_list(route.get("match"))):
        value = as_dict(match).get("headerValue")
        errs += _string_match_errors(value, f"{path}.setHeaderRoute.match[{j}]", _has(routing, "alb"))
    return errs


def _mirror_route(step: Mapping[str, Any], routing: Any, path: str) -> list[FieldError]:
    if not _has(step, "setMirrorRoute"):
        return []
    route, routing = as_dict(step["setMirrorRoute"]), as_dict(routing)
    errs: list[FieldError] = []
    if not routing or not (_has(routing, "istio") or as_dict(routing.get("plugins"))):
        errs.append(
            invalid(
                f"{path}.setMirrorRoute",
                struct_json(route, "SetMirrorRoute"),
                INVALID_SET_MIRROR_ROUTE_TRAFFIC_POLICY,
            )
        )
    for j, match in enumerate(as_list(route.get("match"))):
        match, match_path = as_dict(match), f"{path}.setMirrorRoute.match[{j}]"
        # validation.go checks the method twice (and the path once): each finding appears as often
        for name in ("method", "path", "method"):
            if _has(match, name):
                errs += _string_match_errors(match[name], match_path, alb=False)
    return errs


def _experiment_weights(step: Mapping[str, Any], routing: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    templates = as_list(as_dict(step.get("experiment")).get("templates"))
    for k, template in enumerate(templates):
        weight = as_dict(template).get("weight")
        if weight is None:
            continue
        weight_path = f"{path}.experiment.templates[{k}].weight"
        if routing is None:
            errs.append(invalid(weight_path, weight, INVALID_EXPERIMENT_WEIGHT_WITHOUT_ROUTING))
        elif not any(_has(as_dict(routing), name) for name in ("alb", "smi", "istio")) and not as_dict(
            as_dict(routing).get("plugins")
        ):
            errs.append(invalid(weight_path, weight, INVALID_EXPERIMENT_WEIGHT_ROUTER))
    return errs


def _analysis_args(rollout: Any, step: Mapping[str, Any], path: str) -> list[FieldError]:
    args: list[Any] = []
    for analysis in as_list(as_dict(step.get("experiment")).get("analyses")):
        args += as_list(as_dict(analysis).get("args"))
    args += as_list(as_dict(step.get("analysis")).get("args"))
    errs: list[FieldError] = []
    for arg in args:
        field_path = as_dict(as_dict(as_dict(arg).get("valueFrom")).get("fieldRef")).get("fieldPath")
        metadata = isinstance(field_path, str) and field_path.startswith("metadata")
        if metadata and extract_field_path(rollout, str(field_path))[1] is not None:
            errs.append(
                invalid(f"{path}.analyses", struct_json(args, "[]AnalysisRunArgument"), INVALID_ANALYSIS_ARGS)
            )
    return errs


def pause_seconds(duration: Any) -> int:
    """RolloutPause.DurationSeconds: an int, a string of digits, or a Go duration; -1 if unparsable."""
    if duration is None:
        return 0
    if isinstance(duration, int) and not isinstance(duration, bool):
        return duration
    text = duration if isinstance(duration, str) else ""
    if _GO_INT.match(text) and -(2**31) <= int(text) < 2**31:
        return int(text)
    parsed = parse_duration(text) if text.strip() == text else None
    return -1 if parsed is None else int(parsed.total_seconds())


def max_traffic_weight(canary: Mapping[str, Any]) -> int:
    return as_int(as_dict(canary.get("trafficRouting")).get("maxTrafficWeight"), 100)
