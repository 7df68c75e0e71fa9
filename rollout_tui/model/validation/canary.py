"""ValidateRolloutStrategyCanary of pkg/apis/rollouts/validation/validation.go."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rollout_tui.model.fields import as_dict
from rollout_tui.model.validation.antiaffinity import validate_anti_affinity
from rollout_tui.model.validation.errors import FieldError, invalid
from rollout_tui.model.validation.steps import validate_step

INVALID_MAX_SURGE_MAX_UNAVAILABLE = "MaxSurge and MaxUnavailable both can not be zero"
DUPLICATED_SERVICES_CANARY = "This rollout uses the same service for the stable and canary services, but two different services are required."
INVALID_TRAFFIC_ROUTING = "Canary service and Stable service must to be set to use Traffic Routing"
INVALID_CANARY_SCALE_DOWN_DELAY = "Canary scaleDownDelaySeconds can only be used with traffic routing"
INVALID_CANARY_DYNAMIC_STABLE_SCALE = "Canary dynamicStableScale can only be used with traffic routing"
INVALID_DYNAMIC_STABLE_SCALE_WITH_DELAY = (
    "Canary dynamicStableScale cannot be used with scaleDownDelaySeconds"
)
MAX_WEIGHT_ONLY_NGINX_AND_PLUGINS = (
    "Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins"
)
INVALID_PING_PONG_PROVIDED = "Ping service and Pong service must to be set to use Ping-Pong feature"
DUPLICATED_PING_PONG_SERVICES = "This rollout uses the same service for the ping and pong services, but two different services are required."
MISSED_ALB_ROOT_SERVICE = (
    "Root service field is required for the configuration with ALB and ping-pong feature enabled"
)
PING_PONG_WITH_ROUTER_ONLY = (
    "Ping-pong feature works with the ALB, Istio, and plugin-based traffic routers only"
)
DEFAULT_MAX_SURGE = DEFAULT_MAX_UNAVAILABLE = "25"  # utils/defaults/defaults.go: a string without '%'
_PERCENT = re.compile(r"^[0-9]+%$")
_GO_INT = re.compile(r"^[+-]?[0-9]+$")


def int_or_percent(value: Any) -> int:
    """getIntOrPercentValue: "n%" is n, an int is itself, any other string is strconv.Atoi or 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if _PERCENT.match(value):
            return int(value[:-1])
        return int(value) if _GO_INT.match(value) else 0
    return 0


def requires_stable_and_canary_services(canary: Mapping[str, Any]) -> bool:
    routing = canary.get("trafficRouting")
    if routing is None:
        return False
    routing, ping_pong = as_dict(routing), canary.get("pingPong") is not None
    istio = routing.get("istio")
    return bool(
        (routing.get("alb") is not None and not ping_pong)
        or (istio is not None and as_dict(istio).get("destinationRule") is None and not ping_pong)
        or any(
            routing.get(name) is not None
            for name in ("smi", "apisix", "ambassador", "nginx", "appMesh", "traefik")
        )
    )


def validate_canary(rollout: Any, path: str) -> list[FieldError]:
    strategy = as_dict(as_dict(as_dict(rollout).get("spec")).get("strategy"))
    canary = as_dict(strategy.get("canary"))
    errs = _max_surge(strategy, canary, f"{path}.maxSurge")
    stable, canary_service = canary.get("stableService") or "", canary.get("canaryService") or ""
    if stable and canary_service and stable == canary_service:
        errs.append(invalid(f"{path}.stableService", stable, DUPLICATED_SERVICES_CANARY))
    if canary.get("pingPong") is not None:
        errs += _ping_pong(canary, path)
    if requires_stable_and_canary_services(canary):
        if not stable:
            errs.append(invalid(f"{path}.stableService", stable, INVALID_TRAFFIC_ROUTING))
        if not canary_service:
            errs.append(invalid(f"{path}.canaryService", canary_service, INVALID_TRAFFIC_ROUTING))
    errs += _routing_options(canary, path)
    steps = canary.get("steps")
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        errs += validate_step(rollout, canary, as_dict(step), f"{path}.steps[{i}]", path)
    return errs + validate_anti_affinity(canary.get("antiAffinity"), f"{path}.antiAffinity")


def _max_surge(strategy: Mapping[str, Any], canary: Mapping[str, Any], path: str) -> list[FieldError]:
    surge = canary.get("maxSurge")
    unavailable = as_dict(strategy.get("blueGreen")).get("maxUnavailable")
    if unavailable is None:
        unavailable = canary.get("maxUnavailable")
    surge_value = int_or_percent(DEFAULT_MAX_SURGE if surge is None else surge)
    unavailable_value = int_or_percent(DEFAULT_MAX_UNAVAILABLE if unavailable is None else unavailable)
    if surge_value == 0 and unavailable_value == 0:
        return [invalid(path, surge, INVALID_MAX_SURGE_MAX_UNAVAILABLE)]
    return []


def _ping_pong(canary: Mapping[str, Any], path: str) -> list[FieldError]:
    routing, ping_pong = canary.get("trafficRouting"), as_dict(canary.get("pingPong"))
    errs: list[FieldError] = []
    if routing is not None:
        routing = as_dict(routing)
        if (
            routing.get("alb") is None
            and routing.get("istio") is None
            and not as_dict(routing.get("plugins"))
        ):
            errs.append(invalid(f"{path}.trafficRouting.alb", None, PING_PONG_WITH_ROUTER_ONLY))
    ping, pong = ping_pong.get("pingService") or "", ping_pong.get("pongService") or ""
    if not ping:
        errs.append(invalid(f"{path}.pingPong.pingService", ping, INVALID_PING_PONG_PROVIDED))
    if not pong:
        errs.append(invalid(f"{path}.pingPong.pongService", pong, INVALID_PING_PONG_PROVIDED))
    if ping == pong:
        errs.append(invalid(f"{path}.pingPong.pingService", ping, DUPLICATED_PING_PONG_SERVICES))
    alb = as_dict(routing).get("alb")
    if alb is not None and not as_dict(alb).get("rootService"):
        errs.append(invalid(f"{path}.trafficRouting.alb.rootService", "", MISSED_ALB_ROOT_SERVICE))
    return errs


def _routing_options(canary: Mapping[str, Any], path: str) -> list[FieldError]:
    routing = canary.get("trafficRouting")
    delay, dynamic = canary.get("scaleDownDelaySeconds"), canary.get("dynamicStableScale") is True
    errs: list[FieldError] = []
    if routing is None:
        if delay is not None:
            errs.append(invalid(f"{path}.scaleDownDelaySeconds", delay, INVALID_CANARY_SCALE_DOWN_DELAY))
        if dynamic:
            errs.append(invalid(f"{path}.dynamicStableScale", True, INVALID_CANARY_DYNAMIC_STABLE_SCALE))
        return errs
    routing = as_dict(routing)
    if delay is not None and dynamic:
        errs.append(invalid(f"{path}.dynamicStableScale", True, INVALID_DYNAMIC_STABLE_SCALE_WITH_DELAY))
    weight = routing.get("maxTrafficWeight")
    if weight is not None and routing.get("nginx") is None and not as_dict(routing.get("plugins")):
        errs.append(
            invalid(f"{path}.trafficRouting.maxTrafficWeight", weight, MAX_WEIGHT_ONLY_NGINX_AND_PLUGINS)
        )
    return errs
