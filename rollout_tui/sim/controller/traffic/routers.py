"""What the traffic routers' reconcilers write, one function per router (argo-rollouts
rollout/trafficrouting/{istio,smi,nginx,alb}/*.go and the Gateway API plugin's
pkg/plugin/httproute.go). Each brings the router objects to ``weight`` percent on the canary and
returns nothing; events are the controller's ("Updated VirtualService", "CreatingCanaryIngress",
"PatchingALBIngress"...), and only when an object changed.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from rollout_tui.sim.objects import MANAGED_BY_ANNOTATION, owner_reference

if TYPE_CHECKING:  # the context imports the analysis package, which imports the controller's
    from rollout_tui.sim.controller.context import RolloutContext

HASH_LABEL = "rollouts-pod-template-hash"
NGINX_PREFIX = "nginx.ingress.kubernetes.io"
ALB_PREFIX = "alb.ingress.kubernetes.io"
ALB_MANAGED = "rollouts.argoproj.io/managed-alb-annotations"
GATEWAY_PLUGIN = "argoproj-labs/gatewayAPI"


def _get(ctx: RolloutContext, plural: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = ctx.c.store.get(plural, namespace or ctx.namespace, name)
    except Exception as exc:
        if getattr(exc, "code", None) == 404:
            return None
        raise
    return found


def _replace(ctx: RolloutContext, plural: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Write ``new`` over ``old`` when they differ; True when something was written."""
    if new == old:
        return False
    meta = old["metadata"]
    ctx.c.store.mutate(plural, meta.get("namespace"), meta["name"], lambda _obj: copy.deepcopy(new))
    return True


def _services(canary: dict[str, Any]) -> tuple[str, str]:
    return str(canary.get("canaryService") or ""), str(canary.get("stableService") or "")


# ---------------------------------------------------------------------- Istio
def _split_name(value: str, namespace: str) -> tuple[str, str]:
    """istioutil.GetVirtualServiceNamespaceName: "name" or "name.namespace"."""
    name, _, ns = value.partition(".")
    return name, ns or namespace


def istio(
    ctx: RolloutContext, canary: dict[str, Any], weight: int, canary_hash: str, stable_hash: str
) -> None:
    config = (canary.get("trafficRouting") or {}).get("istio") or {}
    rule = config.get("destinationRule") if isinstance(config.get("destinationRule"), dict) else None
    if rule is not None:
        _destination_rule(ctx, rule, canary_hash, stable_hash)
    services = config.get("virtualServices") or (
        [config["virtualService"]] if config.get("virtualService") else []
    )
    for service in services:
        if isinstance(service, dict) and service.get("name"):
            _virtual_service(ctx, canary, service, rule, weight)


def _destination_rule(ctx: RolloutContext, rule: dict[str, Any], canary_hash: str, stable_hash: str) -> None:
    found = _get(ctx, "destinationrules", str(rule.get("name", "")))
    if found is None:
        return
    new = copy.deepcopy(found)
    new["metadata"].setdefault("annotations", {})[MANAGED_BY_ANNOTATION] = ctx.name
    wanted = {rule.get("canarySubsetName"): canary_hash, rule.get("stableSubsetName"): stable_hash}
    for subset in (new.get("spec") or {}).get("subsets") or []:
        if isinstance(subset, dict) and subset.get("name") in wanted:
            labels = subset.setdefault("labels", {})
            digest = wanted[subset["name"]]
            if digest:
                labels[HASH_LABEL] = digest
            else:
                labels.pop(HASH_LABEL, None)
    if _replace(ctx, "destinationrules", found, new):
        ctx.c.events.normal(
            ctx.ro,
            "UpdatedDestinationRule",
            f"DestinationRule {rule.get('name')} subset updated ({rule.get('canarySubsetName')}: {canary_hash}, "
            f"{rule.get('stableSubsetName')}: {stable_hash})",
        )


def _virtual_service(
    ctx: RolloutContext,
    canary: dict[str, Any],
    service: dict[str, Any],
    rule: dict[str, Any] | None,
    weight: int,
) -> None:
    name, namespace = _split_name(str(service["name"]), ctx.namespace)
    found = _get(ctx, "virtualservices", name, namespace)
    if found is None:
        ctx.c.events.warning(ctx.ro, "VirtualServiceNotFound", f"VirtualService `{name}` not found")
        return
    new = copy.deepcopy(found)
    spec = new.get("spec") or {}
    canary_svc, stable_svc = _services(canary)
    canary_subset = (rule or {}).get("canarySubsetName")
    stable_subset = (rule or {}).get("stableSubsetName")
    http = [r for r in spec.get("http") or [] if isinstance(r, dict)]
    names = [str(n) for n in service.get("routes") or []]
    chosen = [r for r in http if r.get("name") in names] if names else (http if len(http) == 1 else [])
    if service.get("tlsRoutes"):
        chosen += [r for r in spec.get("tls") or [] if isinstance(r, dict)]
    if service.get("tcpRoutes"):
        chosen += [r for r in spec.get("tcp") or [] if isinstance(r, dict)]
    for route in chosen:
        for destination in route.get("route") or []:
            target = destination.get("destination") or {}
            host = str(target.get("host", "")).split(".", 1)[0]
            subset = target.get("subset")
            if host == canary_svc or (subset and subset == canary_subset):
                destination["weight"] = weight
            elif host == stable_svc or (subset and subset == stable_subset):
                destination["weight"] = 100 - weight
    if _replace(ctx, "virtualservices", found, new):
        ctx.c.events.normal(
            ctx.ro, "Updated VirtualService", f"VirtualService `{name}` set to desiredWeight '{weight}'"
        )


# ---------------------------------------------------------------------- SMI
def smi(
    ctx: RolloutContext, canary: dict[str, Any], weight: int, _canary_hash: str, _stable_hash: str
) -> None:
    config = (canary.get("trafficRouting") or {}).get("smi") or {}
    name = str(config.get("trafficSplitName") or ctx.name)
    canary_svc, stable_svc = _services(canary)
    spec = {
        "service": str(config.get("rootService") or stable_svc),
        # v1alpha1 weights are resource.Quantity values, which serialize as strings.
        "backends": [
            {"service": canary_svc, "weight": str(weight)},
            {"service": stable_svc, "weight": str(100 - weight)},
        ],
    }
    found = _get(ctx, "trafficsplits", name)
    if found is None:
        split = {
            "apiVersion": "split.smi-spec.io/v1alpha1",
            "kind": "TrafficSplit",
            "metadata": {
                "name": name,
                "namespace": ctx.namespace,
                "ownerReferences": [owner_reference(ctx.ro)],
            },
            "spec": spec,
        }
        ctx.c.store.create("trafficsplits", split)
        ctx.c.events.normal(ctx.ro, "TrafficSplitCreated", f"TrafficSplit `{name}` created")
        return
    owners = [r.get("uid") for r in (found["metadata"].get("ownerReferences") or []) if r.get("controller")]
    if owners != [ctx.ro["metadata"].get("uid")]:
        ctx.c.events.warning(ctx.ro, "TrafficRoutingError", f"Rollout does not own TrafficSplit `{name}`")
        return
    _replace(ctx, "trafficsplits", found, {**found, "spec": spec})


# ---------------------------------------------------------------------- NGINX
def nginx(
    ctx: RolloutContext, canary: dict[str, Any], weight: int, _canary_hash: str, _stable_hash: str
) -> None:
    config = (canary.get("trafficRouting") or {}).get("nginx") or {}
    stables = config.get("stableIngresses") or (
        [config["stableIngress"]] if config.get("stableIngress") else []
    )
    for stable_name in stables:
        stable = _get(ctx, "ingresses", str(stable_name))
        if stable is None:
            ctx.c.events.warning(
                ctx.ro,
                "TrafficRoutingError",
                f'error retrieving stableIngress `{stable_name}` from cache: ingress.networking.k8s.io "{stable_name}" not found',
            )
            continue
        _canary_ingress(ctx, canary, config, stable, weight)


def _canary_ingress(
    ctx: RolloutContext, canary: dict[str, Any], config: dict[str, Any], stable: dict[str, Any], weight: int
) -> None:
    stable_name = stable["metadata"]["name"]
    name = f"{ctx.name}-{stable_name}"[: 253 - len("-canary")] + "-canary"  # ingressutil.GetCanaryIngressName
    prefix = str(config.get("annotationPrefix") or NGINX_PREFIX)
    canary_svc, stable_svc = _services(canary)
    rules = []
    for rule in (stable.get("spec") or {}).get("rules") or []:
        rule = copy.deepcopy(rule)
        uses_stable = False
        for path in ((rule.get("http") or {}).get("paths")) or []:
            backend = ((path.get("backend") or {}).get("service")) or {}
            if backend.get("name") == stable_svc:
                backend["name"], uses_stable = canary_svc, True
        if uses_stable:
            rules.append(rule)
    if not rules:
        ctx.c.events.warning(
            ctx.ro,
            "TrafficRoutingError",
            f"ingress `{stable_name}` has no rules using service {stable_svc} backend",
        )
        return
    notes: dict[str, str] = {}
    klass = ((stable["metadata"].get("annotations")) or {}).get("kubernetes.io/ingress.class")
    if klass:
        notes["kubernetes.io/ingress.class"] = klass
    for key, value in (config.get("additionalIngressAnnotations") or {}).items():
        notes[key if str(key).startswith(prefix) else f"{prefix}/{key}"] = str(value)
    notes.update({str(k): str(v) for k, v in (config.get("canaryIngressAnnotations") or {}).items()})
    notes[f"{prefix}/canary"] = "true"
    notes[f"{prefix}/canary-weight"] = str(weight)
    spec: dict[str, Any] = {"rules": rules}
    for key in ("tls", "ingressClassName"):
        if (stable.get("spec") or {}).get(key) is not None:
            spec[key] = copy.deepcopy(stable["spec"][key])
    found = _get(ctx, "ingresses", name)
    if found is None:
        ctx.c.events.normal(
            ctx.ro, "CreatingCanaryIngress", f"Creating canary ingress `{name}` with weight `{weight}`"
        )
        meta = {
            "name": name,
            "namespace": ctx.namespace,
            "annotations": notes,
            "ownerReferences": [owner_reference(ctx.ro)],
        }
        ctx.c.store.create(
            "ingresses",
            {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec},
        )
        return
    new = copy.deepcopy(found)
    new["metadata"]["annotations"] = {**(found["metadata"].get("annotations") or {}), **notes}
    new["spec"] = {**(found.get("spec") or {}), **spec}
    if _replace(ctx, "ingresses", found, new):
        ctx.c.events.normal(
            ctx.ro, "PatchingCanaryIngress", f"Updating Ingress `{name}` to desiredWeight '{weight}'"
        )


# ---------------------------------------------------------------------- ALB
def alb_action(ctx: RolloutContext, canary: dict[str, Any], weight: int) -> tuple[str, str]:
    """(annotation key, forward action JSON) as ingressutil marshals them."""
    config = (canary.get("trafficRouting") or {}).get("alb") or {}
    canary_svc, stable_svc = _services(canary)
    ping_pong = canary.get("pingPong") or {}
    if ping_pong.get("pingService"):
        ping, pong = str(ping_pong["pingService"]), str(ping_pong.get("pongService", ""))
        stable_ping = (ctx.status.get("canary") or {}).get("stablePingPong") == "ping"
        stable_svc, canary_svc = (ping, pong) if stable_ping else (pong, ping)
    port = str(config.get("servicePort", ""))
    groups = [
        {"ServiceName": canary_svc, "ServicePort": port, "Weight": weight},
        {"ServiceName": stable_svc, "ServicePort": port, "Weight": 100 - weight},
    ]
    key = f"{config.get('annotationPrefix') or ALB_PREFIX}/actions.{config.get('rootService') or stable_svc}"
    action = {"Type": "forward", "ForwardConfig": {"TargetGroups": groups}}
    return key, json.dumps(action, separators=(",", ":"))


def alb(
    ctx: RolloutContext, canary: dict[str, Any], weight: int, _canary_hash: str, _stable_hash: str
) -> None:
    config = (canary.get("trafficRouting") or {}).get("alb") or {}
    key, value = alb_action(ctx, canary, weight)
    for ingress_name in config.get("ingresses") or ([config["ingress"]] if config.get("ingress") else []):
        found = _get(ctx, "ingresses", str(ingress_name))
        if found is None:
            ctx.c.events.warning(
                ctx.ro, "TrafficRoutingError", f'ingress.networking.k8s.io "{ingress_name}" not found'
            )
            continue
        new = copy.deepcopy(found)
        notes = new["metadata"].setdefault("annotations", {})
        notes[key] = value
        managed = json.loads(notes.get(ALB_MANAGED) or "{}")
        keys = managed.setdefault(ctx.name, [])
        if key not in keys:
            keys.append(key)
        notes[ALB_MANAGED] = json.dumps(managed, separators=(",", ":"))
        if _replace(ctx, "ingresses", found, new):
            ctx.c.events.normal(
                ctx.ro, "PatchingALBIngress", f"Updating Ingress `{ingress_name}` to desiredWeight '{weight}'"
            )


def alb_weight(ctx: RolloutContext, canary: dict[str, Any]) -> int | None:
    """The canary weight the first ALB Ingress carries now (None: not there)."""
    config = (canary.get("trafficRouting") or {}).get("alb") or {}
    names = config.get("ingresses") or ([config["ingress"]] if config.get("ingress") else [])
    found = _get(ctx, "ingresses", str(names[0])) if names else None
    key, _value = alb_action(ctx, canary, 0)
    raw = ((found or {}).get("metadata", {}).get("annotations") or {}).get(key)
    try:
        groups = json.loads(raw)["ForwardConfig"]["TargetGroups"] if raw else []
    except (ValueError, KeyError, TypeError):
        return None
    return next(
        (int(g.get("Weight", 0)) for g in groups if g.get("ServiceName") == _services(canary)[0]), None
    )


# ---------------------------------------------------------------------- Gateway API (plugin)
def gateway_api(
    ctx: RolloutContext, canary: dict[str, Any], weight: int, _canary_hash: str, _stable_hash: str
) -> None:
    config = ((canary.get("trafficRouting") or {}).get("plugins") or {}).get(GATEWAY_PLUGIN) or {}
    namespace = str(config.get("namespace") or ctx.namespace)
    names = [
        str(r.get("name")) for r in config.get("httpRoutes") or [] if isinstance(r, dict) and r.get("name")
    ]
    if config.get("httpRoute"):
        names.insert(0, str(config["httpRoute"]))
    canary_svc, stable_svc = _services(canary)
    for name in names:
        found = _get(ctx, "httproutes", name, namespace)
        if found is None:
            ctx.c.events.warning(
                ctx.ro,
                "TrafficRoutingError",
                f'failed to set weight via plugin: httproutes.gateway.networking.k8s.io "{name}" not found',
            )
            continue
        new = copy.deepcopy(found)
        for rule in (new.get("spec") or {}).get("rules") or []:
            for ref in rule.get("backendRefs") or []:
                if ref.get("name") == canary_svc:
                    ref["weight"] = weight
                elif ref.get("name") == stable_svc:
                    ref["weight"] = 100 - weight
        _replace(ctx, "httproutes", found, new)


ROUTERS = {"istio": istio, "smi": smi, "nginx": nginx, "alb": alb}
