"""ValidateVirtualService (pkg/apis/rollouts/validation/validation_references.go) and the route
checks it uses from rollout/trafficrouting/istio/istio.go: the VirtualService a rollout names must
route to both its stable and canary services (or DestinationRule subsets)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rollout_tui.model.fields import as_dict, as_list
from rollout_tui.model.validation.decode import DecodeError, Decoder
from rollout_tui.model.validation.errors import FieldError, invalid
from rollout_tui.model.validation.references import name_of

VSVC_PATH = "spec.strategy.canary.trafficRouting.istio"


class RouteError(Exception):
    pass


def stable_and_canary_services(rollout: Any) -> tuple[str, str]:
    """trafficrouting.GetStableAndCanaryServices(rollout, false)."""
    canary = as_dict(as_dict(as_dict(as_dict(rollout).get("spec")).get("strategy")).get("canary"))
    stable, canary_service = canary.get("stableService") or "", canary.get("canaryService") or ""
    ping_pong = canary.get("pingPong")
    if ping_pong is not None and not stable and not canary_service:
        ping, pong = as_dict(ping_pong).get("pingService") or "", as_dict(ping_pong).get("pongService") or ""
        status = as_dict(as_dict(as_dict(rollout).get("status")).get("canary"))
        return (ping, pong) if status.get("stablePingPong") == "ping" else (pong, ping)
    return stable, canary_service


def virtual_service_name(reference: str) -> str:
    """GetVirtualServiceNamespaceName's name: "name.namespace[.svc.cluster.local]" -> "name"."""
    parts = reference.removesuffix(".cluster.local").split(".")
    return ".".join(parts[:-1]) if len(parts) >= 2 else parts[0]


def _host(destination: Mapping[str, Any]) -> str:
    host = str(as_dict(destination.get("destination")).get("host") or "")
    dot = host.find(".")
    return host if dot < 0 else host[:dot] if dot > 0 else ""


def _check_destinations(routes: list[Any], rollout: Any, rule: Any) -> None:
    stable, canary = stable_and_canary_services(rollout)
    hosts = [_host(as_dict(r)) for r in routes]
    subsets = [as_dict(as_dict(r).get("destination")).get("subset") or "" for r in routes]
    if rule is not None:
        rule = as_dict(rule)
        canary_subset, stable_subset = rule.get("canarySubsetName") or "", rule.get("stableSubsetName") or ""
        if not canary_subset or canary_subset not in subsets:
            raise RouteError(f"Canary DestinationRule subset '{canary_subset}' not found in route")
        if not stable_subset or stable_subset not in subsets:
            raise RouteError(f"Stable DestinationRule subset '{stable_subset}' not found in route")
        return
    if not canary or canary not in hosts:
        raise RouteError(f"Canary Service '{canary}' not found in route")
    if not stable or stable not in hosts:
        raise RouteError(f"Stable Service '{stable}' not found in route")


def _http_indexes(names: list[str], routes: list[Any]) -> list[int]:
    if not names:
        if len(routes) == 1:
            return [0]
        unnamed = [i for i, r in enumerate(routes) if not as_dict(r).get("name")]
        return unnamed[:1]
    found = []
    for name in names:
        index = next((i for i, r in enumerate(routes) if as_dict(r).get("name") == name), -1)
        if index < 0:
            raise RouteError(f"HTTP Route '{name}' is not found in the defined Virtual Service.")
        found.append(index)
    return found


def validate_http_routes(
    rollout: Any, names: list[str], routes: list[Any], rule: Any, managed: list[str]
) -> None:
    for index in _http_indexes(names, routes):
        _check_destinations(as_list(as_dict(routes[index]).get("route")), rollout, rule)
    route_names = [as_dict(r).get("name") for r in routes]
    unmanaged = [n for n in route_names if (n if isinstance(n, str) else "") not in managed]
    if not names and len(unmanaged) > 1:
        raise RouteError(
            "spec.http[] should be set in VirtualService and it must have exactly one route when omitting "
            "spec.strategy.canary.trafficRouting.istio.virtualService.routes"
        )


def _l4_indexes(wanted: list[Any], routes: list[Any], kind: str) -> list[int]:
    if not wanted:
        return [0] if routes else []
    found: list[int] = []
    for want in wanted:
        want = as_dict(want)
        hits = [i for i, route in enumerate(routes) if _l4_matches(want, as_dict(route), kind)]
        if not hits:
            raise RouteError(f"No matching {kind.upper()} routes found in the defined Virtual Service.")
        found += hits
    return found


def _l4_matches(want: Mapping[str, Any], route: Mapping[str, Any], kind: str) -> bool:
    matches = [as_dict(m) for m in as_list(route.get("match"))]
    ports = {m.get("port") or 0 for m in matches}
    if len(ports) > 1:
        return False
    port = next(iter(ports), 0)
    if kind == "tcp":
        return port == (want.get("port") or 0)
    hosts = {h for m in matches for h in as_list(m.get("sniHosts"))}
    wanted_hosts = as_list(want.get("sniHosts"))
    same_hosts = len(wanted_hosts) == len(hosts) and all(h in set(wanted_hosts) for h in hosts)
    return port == (want.get("port") or 0) and same_hosts


def validate_l4_routes(rollout: Any, wanted: list[Any], routes: list[Any], rule: Any, kind: str) -> None:
    for index in _l4_indexes(wanted, routes, kind):
        _check_destinations(as_list(as_dict(routes[index]).get("route")), rollout, rule)
    if not wanted and len(routes) > 1:
        field = "tlsRoutes" if kind == "tls" else "tcpRoutes"
        raise RouteError(
            f"spec.{kind}[] should be set in VirtualService and it must have exactly one route when omitting "
            f"spec.strategy.canary.trafficRouting.istio.virtualService.{field}"
        )


def validate_virtual_service(rollout: Any, vsvc: Any) -> list[FieldError]:
    canary = as_dict(as_dict(as_dict(as_dict(rollout).get("spec")).get("strategy")).get("canary"))
    istio = as_dict(canary.get("trafficRouting")).get("istio")
    if istio is None:
        message = "Rollout object is not configured with Istio traffic routing"
        return [invalid(VSVC_PATH, name_of(rollout), message)]
    istio = as_dict(istio)
    if istio.get("virtualServices") is not None:
        path, references = f"{VSVC_PATH}.virtualServices.name", as_list(istio.get("virtualServices"))
    else:
        path, references = f"{VSVC_PATH}.virtualService.name", [istio.get("virtualService")]
    record = name_of(vsvc)
    for reference in map(as_dict, references):
        name = virtual_service_name(str(reference.get("name") or ""))
        if name == record:
            managed = [
                str(as_dict(r).get("name"))
                for r in as_list(as_dict(canary.get("trafficRouting")).get("managedRoutes"))
            ]
            return [invalid(path, name, m) for m in _route_errors(rollout, reference, vsvc, istio, managed)]
    return []


_ROUTE_TYPES = {
    "http": "VirtualServiceHTTPRoute",
    "tls": "VirtualServiceTLSRoute",
    "tcp": "VirtualServiceTCPRoute",
}


def _check_routes(
    kind: str,
    rollout: Any,
    reference: Mapping[str, Any],
    routes: list[Any],
    istio: Mapping[str, Any],
    managed: list[str],
) -> None:
    rule = istio.get("destinationRule")
    if kind == "http":
        names = [str(n) for n in as_list(reference.get("routes"))]
        validate_http_routes(rollout, names, routes, rule, managed)
    else:
        wanted = as_list(reference.get("tlsRoutes" if kind == "tls" else "tcpRoutes"))
        validate_l4_routes(rollout, wanted, routes, rule, kind)


def _route_errors(
    rollout: Any, reference: Mapping[str, Any], vsvc: Any, istio: Mapping[str, Any], managed: list[str]
) -> list[str]:
    spec = as_dict(as_dict(vsvc).get("spec"))
    present = [kind for kind in _ROUTE_TYPES if isinstance(spec.get(kind), list)]
    messages = (
        [] if present else ["Unable to get any of the HTTP, TCP or TLS routes for the Istio VirtualService"]
    )
    for kind in present:
        label = kind.upper()
        try:
            routes = Decoder(strict=False).decode(spec[kind], f"[]istio:{_ROUTE_TYPES[kind]}")
        except DecodeError:
            messages.append(f"Unable to get {label} routes for Istio VirtualService")
            continue
        try:
            _check_routes(kind, rollout, reference, routes, istio, managed)
        except RouteError as exc:
            messages.append(f"Istio VirtualService has invalid {label} routes. Error: {exc}")
    return messages
