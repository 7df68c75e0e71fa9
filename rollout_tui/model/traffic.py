"""Traffic truth: the split the router objects a canary names actually carry, beside the weight
the rollout asks for and the one the controller reports.

The objects are the ones the controller writes (argo-rollouts rollout/trafficrouting/istio,
smi, nginx, alb and the Gateway API plugin's pkg/plugin/httproute.go): an Istio VirtualService's
route weights (and its DestinationRule's subset hashes), an SMI TrafficSplit's backends, NGINX's
`<rollout>-<stableIngress>-canary` Ingress `canary-weight`, the ALB Ingress's
`actions.<service>` forward config, an HTTPRoute's backendRefs weights. `router_refs` says which
objects to read; `traffic_info` what they say. Pure.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rollout_tui.model.fields import annotations_of, as_dict, as_int, as_list, as_str, dig, parse_go_int
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.state import RolloutState

HASH_LABEL = "rollouts-pod-template-hash"
NGINX_PREFIX = "nginx.ingress.kubernetes.io"
ALB_PREFIX = "alb.ingress.kubernetes.io"
GATEWAY_PLUGIN = "argoproj-labs/gatewayAPI"
ROUTER_KINDS = ("VirtualService", "DestinationRule", "TrafficSplit", "Ingress", "HTTPRoute")


@dataclass(frozen=True, slots=True)
class RouterRef:
    kind: str  # one of ROUTER_KINDS
    namespace: str
    name: str


@dataclass(frozen=True, slots=True)
class RouterSplit:
    kind: str
    name: str
    canary: int | None  # percent of traffic to the canary; None when it cannot be read
    note: str = ""  # why not, or what else it says ("canary subset → 6f9b8d")


@dataclass(frozen=True, slots=True)
class TrafficInfo:
    routers: tuple[RouterSplit, ...]
    set_weight: int | None  # what the current step asks for
    controller_weight: int | None  # status.canary.weights.canary.weight (None: not reported)
    verified: bool | None  # status.canary.weights.verified
    mismatch: str  # "" when every router carries the weight the controller reports

    @property
    def expected(self) -> int | None:
        return self.controller_weight if self.controller_weight is not None else self.set_weight


def _canary(rollout: Any) -> Mapping[str, Any]:
    return as_dict(dig(rollout, "spec", "strategy", "canary"))


def _split_name(value: str, namespace: str) -> tuple[str, str]:
    """istioutil.GetVirtualServiceNamespaceName: "name" or "name.namespace"."""
    name, _, ns = value.partition(".")
    return name, ns or namespace


def _names(config: Mapping[str, Any], one: str, many: str) -> list[str]:
    found = [
        as_str(as_dict(v).get("name")) if isinstance(v, dict) else as_str(v)
        for v in as_list(config.get(many))
    ]
    if not found and config.get(one):
        value = config.get(one)
        found = [as_str(as_dict(value).get("name")) if isinstance(value, dict) else as_str(value)]
    return [n for n in found if n]


def canary_ingress_name(rollout_name: str, stable: str) -> str:
    """ingressutil.GetCanaryIngressName."""
    return f"{rollout_name}-{stable}"[: 253 - len("-canary")] + "-canary"


def router_refs(rollout: Any) -> tuple[RouterRef, ...]:
    """The router objects a canary's trafficRouting names (what the controller writes)."""
    namespace = as_str(dig(rollout, "metadata", "namespace"))
    name = as_str(dig(rollout, "metadata", "name"))
    routing = as_dict(_canary(rollout).get("trafficRouting"))
    refs: list[RouterRef] = []
    istio = as_dict(routing.get("istio"))
    for service in _names(istio, "virtualService", "virtualServices"):
        refs.append(RouterRef("VirtualService", *reversed(_split_name(service, namespace))))
    rule = as_dict(istio.get("destinationRule"))
    if rule.get("name"):
        refs.append(RouterRef("DestinationRule", namespace, as_str(rule.get("name"))))
    if "smi" in routing:
        refs.append(
            RouterRef(
                "TrafficSplit", namespace, as_str(as_dict(routing["smi"]).get("trafficSplitName")) or name
            )
        )
    for stable in _names(as_dict(routing.get("nginx")), "stableIngress", "stableIngresses"):
        refs.append(RouterRef("Ingress", namespace, canary_ingress_name(name, stable)))
    for ingress in _names(as_dict(routing.get("alb")), "ingress", "ingresses"):
        refs.append(RouterRef("Ingress", namespace, ingress))
    gateway = as_dict(as_dict(routing.get("plugins")).get(GATEWAY_PLUGIN))
    route_ns = as_str(gateway.get("namespace")) or namespace
    for route in _names(gateway, "httpRoute", "httpRoutes"):
        refs.append(RouterRef("HTTPRoute", route_ns, route))
    return tuple(dict.fromkeys(refs))


# ---------------------------------------------------------------- reading each kind


def _services(rollout: Any) -> tuple[str, str]:
    canary = _canary(rollout)
    return as_str(canary.get("canaryService")), as_str(canary.get("stableService"))


def _percent(canary: float, stable: float) -> int | None:
    total = canary + stable
    return round(canary * 100 / total) if total > 0 else None


def _virtual_service(rollout: Any, obj: Mapping[str, Any]) -> RouterSplit:
    name = as_str(dig(obj, "metadata", "name"))
    canary_svc, stable_svc = _services(rollout)
    istio = as_dict(dig(_canary(rollout), "trafficRouting", "istio"))
    rule = as_dict(istio.get("destinationRule"))
    wanted = next(
        (
            as_dict(v)
            for v in as_list(istio.get("virtualServices")) or [istio.get("virtualService")]
            if _split_name(as_str(as_dict(v).get("name")), "")[0] == name
        ),
        {},
    )
    routes = [as_dict(r) for r in as_list(dig(obj, "spec", "http"))]
    named = [as_str(r) for r in as_list(wanted.get("routes"))]
    chosen = [r for r in routes if as_str(r.get("name")) in named] if named else routes[:1]
    chosen += [as_dict(r) for key in ("tls", "tcp") for r in as_list(dig(obj, "spec", key))]
    splits = set()
    for route in chosen:
        canary = stable = 0
        for destination in as_list(route.get("route")):
            destination = as_dict(destination)
            host = as_str(dig(destination, "destination", "host")).split(".", 1)[0]
            subset = as_str(dig(destination, "destination", "subset"))
            weight = as_int(destination.get("weight"))
            if host == canary_svc or (subset and subset == rule.get("canarySubsetName")):
                canary += weight
            elif host == stable_svc or (subset and subset == rule.get("stableSubsetName")):
                stable += weight
        splits.add(_percent(canary, stable))
    splits.discard(None)
    if not splits:
        return RouterSplit("VirtualService", name, None, "no route to the canary or stable service")
    if len(splits) > 1:
        return RouterSplit("VirtualService", name, min(splits), f"routes disagree: {sorted(splits)}")  # type: ignore[type-var]
    return RouterSplit("VirtualService", name, splits.pop())


def _destination_rule(rollout: Any, obj: Mapping[str, Any], state: RolloutState) -> RouterSplit:
    name = as_str(dig(obj, "metadata", "name"))
    rule = as_dict(dig(_canary(rollout), "trafficRouting", "istio", "destinationRule"))
    subsets = {
        as_str(as_dict(s).get("name")): as_dict(as_dict(s).get("labels"))
        for s in as_list(dig(obj, "spec", "subsets"))
    }
    canary = as_str(subsets.get(as_str(rule.get("canarySubsetName")), {}).get(HASH_LABEL))
    stable = as_str(subsets.get(as_str(rule.get("stableSubsetName")), {}).get(HASH_LABEL))
    note = f"subsets canary → {canary or '?'}, stable → {stable or '?'}"
    if state.current_pod_hash and canary and canary != state.current_pod_hash:
        note += f" (canary revision is {state.current_pod_hash})"
    return RouterSplit("DestinationRule", name, None, note)


def _quantity(value: Any) -> float:
    text = as_str(value).strip()
    try:
        return float(text[:-1]) / 1000 if text.endswith("m") else float(text or 0)
    except ValueError:
        return 0.0


def _traffic_split(rollout: Any, obj: Mapping[str, Any]) -> RouterSplit:
    canary_svc, stable_svc = _services(rollout)
    weights = {
        as_str(as_dict(b).get("service")): _quantity(as_dict(b).get("weight"))
        for b in as_list(dig(obj, "spec", "backends"))
    }
    name = as_str(dig(obj, "metadata", "name"))
    if canary_svc not in weights and stable_svc not in weights:
        return RouterSplit("TrafficSplit", name, None, "no backend for the canary or stable service")
    return RouterSplit(
        "TrafficSplit", name, _percent(weights.get(canary_svc, 0.0), weights.get(stable_svc, 0.0))
    )


def _nginx_ingress(rollout: Any, obj: Mapping[str, Any]) -> RouterSplit:
    prefix = as_str(dig(_canary(rollout), "trafficRouting", "nginx", "annotationPrefix")) or NGINX_PREFIX
    notes = annotations_of(obj)
    name = as_str(dig(obj, "metadata", "name"))
    if as_str(notes.get(f"{prefix}/canary")) != "true":
        return RouterSplit("Ingress", name, None, "not marked canary")
    total = parse_go_int(notes.get(f"{prefix}/canary-weight-total")) or 100
    weight = parse_go_int(notes.get(f"{prefix}/canary-weight"))
    if weight is None:
        return RouterSplit("Ingress", name, None, f"no readable {prefix}/canary-weight annotation")
    return RouterSplit("Ingress", name, round(weight * 100 / total))


def _alb_ingress(rollout: Any, obj: Mapping[str, Any], status: Mapping[str, Any]) -> RouterSplit:
    canary = _canary(rollout)
    alb = as_dict(dig(canary, "trafficRouting", "alb"))
    canary_svc, stable_svc = _services(rollout)
    ping_pong = as_dict(canary.get("pingPong"))
    if ping_pong.get("pingService"):
        ping, pong = as_str(ping_pong.get("pingService")), as_str(ping_pong.get("pongService"))
        stable_ping = dig(status, "canary", "stablePingPong") == "ping"
        stable_svc, canary_svc = (ping, pong) if stable_ping else (pong, ping)
    root = as_str(alb.get("rootService")) or stable_svc
    key = f"{as_str(alb.get('annotationPrefix')) or ALB_PREFIX}/actions.{root}"
    name = as_str(dig(obj, "metadata", "name"))
    try:
        groups = json.loads(as_str(annotations_of(obj).get(key)))["ForwardConfig"]["TargetGroups"]
        weights = {
            as_str(g.get("ServiceName")): as_int(g.get("Weight")) for g in groups if isinstance(g, dict)
        }
    except (ValueError, KeyError, TypeError):
        return RouterSplit("Ingress", name, None, f"no readable {key} annotation")
    return RouterSplit("Ingress", name, _percent(weights.get(canary_svc, 0), weights.get(stable_svc, 0)))


def _http_route(rollout: Any, obj: Mapping[str, Any]) -> RouterSplit:
    canary_svc, stable_svc = _services(rollout)
    canary = stable = 0
    for rule in as_list(dig(obj, "spec", "rules")):
        for ref in as_list(as_dict(rule).get("backendRefs")):
            ref = as_dict(ref)
            if ref.get("name") == canary_svc:
                canary += as_int(ref.get("weight"), 1)
            elif ref.get("name") == stable_svc:
                stable += as_int(ref.get("weight"), 1)
    name = as_str(dig(obj, "metadata", "name"))
    percent = _percent(canary, stable)
    return RouterSplit(
        "HTTPRoute", name, percent, "" if percent is not None else "no backendRef to the services"
    )


def _read(rollout: Any, ref: RouterRef, obj: Mapping[str, Any], state: RolloutState) -> RouterSplit:
    status = as_dict(rollout.get("status")) if isinstance(rollout, Mapping) else {}
    readers: dict[str, Callable[[], RouterSplit]] = {
        "VirtualService": lambda: _virtual_service(rollout, obj),
        "DestinationRule": lambda: _destination_rule(rollout, obj, state),
        "TrafficSplit": lambda: _traffic_split(rollout, obj),
        "HTTPRoute": lambda: _http_route(rollout, obj),
        "Ingress": lambda: (
            _nginx_ingress(rollout, obj)
            if ref.name.endswith("-canary") and "nginx" in as_dict(dig(_canary(rollout), "trafficRouting"))
            else _alb_ingress(rollout, obj, status)
        ),
    }
    return readers[ref.kind]()


def traffic_info(rollout: Any, objects: ObjectSet, state: RolloutState) -> TrafficInfo | None:
    """What the routers carry, for a traffic-routed canary (None otherwise)."""
    refs = router_refs(rollout)
    if not state.traffic_routed or not refs:
        return None
    routers = []
    for ref in refs:
        obj = objects.get(ref.kind, ref.namespace, ref.name)
        routers.append(
            _read(rollout, ref, obj, state)
            if obj is not None
            else RouterSplit(ref.kind, ref.name, None, "not found")
        )
    reported = dig(rollout, "status", "canary", "weights", "canary", "weight")
    controller = as_int(reported) if isinstance(reported, int) and not isinstance(reported, bool) else None
    info = TrafficInfo(tuple(routers), state.set_weight, controller, state.weights_verified, "")
    return TrafficInfo(info.routers, info.set_weight, info.controller_weight, info.verified, _mismatch(info))


def _mismatch(info: TrafficInfo) -> str:
    expected = info.expected
    if expected is None:
        return ""
    for router in info.routers:
        if router.canary is not None and router.canary != expected:
            return (
                f"{router.kind} {router.name} sends {router.canary}% to the canary, the rollout {expected}%"
            )
    return ""
