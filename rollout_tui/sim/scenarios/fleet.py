"""Expand a scenario's compact rollout entries into real Kubernetes manifests.

A scenario YAML lists `namespaces`, raw `manifests` (any objects, e.g. AnalysisTemplates) and
`rollouts`, each a compact entry:

    - name: checkout            # Rollout name (also the app label and container name)
      namespace: shop
      clusters: [east]          # optional: only in these clusters (default: all)
      strategy: canary          # canary | blueGreen
      replicas: 4
      image: argoproj/rollouts-demo:blue
      steps: [...]              # canary steps, verbatim
      analysis: {...}           # canary background analysis, verbatim
      trafficRouting: nginx     # stable/canary Services and the router the canary names, created
                                # with it: nginx (true) | istio | smi | alb | gatewayapi
      blueGreen: {...}          # extra blue-green fields (autoPromotionEnabled, pre/postPromotionAnalysis...)
      annotations: {...}        # e.g. sim.rollout-tui.dev/analysis: fail
      podAnnotations: {...}     # on the pod template, e.g. sim.rollout-tui.dev/pod: probefail
      containerSpec: {...}      # merged into the container (probes, terminationMessagePolicy...)
      progressDeadlineSeconds: 120
      drive: {...}              # what the scenario driver does with it (see driver.py)

Services referenced by the strategy are created too, so `get rollout` and the UI show real
selectors switching.
"""

from __future__ import annotations

import copy
from typing import Any


def rollout_manifests(entry: dict[str, Any]) -> list[dict[str, Any]]:
    name = str(entry["name"])
    namespace = str(entry.get("namespace") or "default")
    strategy_kind = entry.get("strategy", "canary")
    labels = {"app": name, **(entry.get("labels") or {})}
    container: dict[str, Any] = {
        "name": entry.get("container", name),
        "image": entry.get("image", "argoproj/rollouts-demo:blue"),
        "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
        "resources": {"requests": {"cpu": "5m", "memory": "32Mi"}},
        **copy.deepcopy(entry.get("containerSpec") or {}),
    }
    template: dict[str, Any] = {"metadata": {"labels": dict(labels)}, "spec": {"containers": [container]}}
    if entry.get("podAnnotations"):
        template["metadata"]["annotations"] = dict(entry["podAnnotations"])
    services: list[str] = []
    routers: list[dict[str, Any]] = []
    if strategy_kind == "blueGreen":
        strategy = {
            "blueGreen": {
                "activeService": f"{name}-active",
                "previewService": f"{name}-preview",
                **copy.deepcopy(entry.get("blueGreen") or {}),
            }
        }
        services = [f"{name}-active", f"{name}-preview"]
    else:
        canary: dict[str, Any] = {"steps": copy.deepcopy(entry.get("steps") or [])}
        if entry.get("analysis"):
            canary["analysis"] = copy.deepcopy(entry["analysis"])
        router = entry.get("trafficRouting")
        if router:
            kind = "nginx" if router is True else str(router)
            canary.update(
                canaryService=f"{name}-canary",
                stableService=f"{name}-stable",
                trafficRouting=routing_spec(kind, name, namespace),
            )
            services = [f"{name}-canary", f"{name}-stable"]
            if kind in ("istio", "smi"):
                services.append(name)  # the root Service the mesh routes for
            routers = router_manifests(kind, name, namespace)
        for key in ("maxSurge", "maxUnavailable", "scaleDownDelaySeconds"):
            if key in entry:
                canary[key] = entry[key]
        strategy = {"canary": canary}
    metadata: dict[str, Any] = {"name": name, "namespace": namespace, "labels": dict(labels)}
    if entry.get("annotations"):
        metadata["annotations"] = {str(k): str(v) for k, v in entry["annotations"].items()}
    spec: dict[str, Any] = {
        "replicas": int(entry.get("replicas", 3)),
        "revisionHistoryLimit": int(entry.get("revisionHistoryLimit", 3)),
        "selector": {"matchLabels": dict(labels)},
        "template": template,
        "strategy": strategy,
    }
    if entry.get("progressDeadlineSeconds") is not None:
        spec["progressDeadlineSeconds"] = int(entry["progressDeadlineSeconds"])
    rollout = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": metadata, "spec": spec}
    out: list[dict[str, Any]] = [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": svc, "namespace": namespace, "labels": {"app": name}},
            "spec": {
                "selector": dict(labels),
                "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
            },
        }
        for svc in services
    ]
    out += routers
    out.append(rollout)
    return out


def in_cluster(entry: dict[str, Any], cluster: str | None) -> bool:
    wanted = entry.get("clusters")
    return not wanted or cluster is None or cluster in wanted


ROUTER_KINDS = ("nginx", "istio", "smi", "alb", "gatewayapi")


def routing_spec(kind: str, name: str, namespace: str) -> dict[str, Any]:
    """spec.strategy.canary.trafficRouting for one router kind."""
    if kind == "istio":
        return {
            "istio": {
                "virtualService": {"name": f"{name}-vsvc", "routes": ["primary"]},
                "destinationRule": {
                    "name": f"{name}-destrule",
                    "canarySubsetName": "canary",
                    "stableSubsetName": "stable",
                },
            }
        }
    if kind == "smi":
        return {"smi": {"rootService": name}}
    if kind == "alb":
        return {"alb": {"ingress": f"{name}-ingress", "servicePort": 80}}
    if kind == "gatewayapi":
        return {
            "plugins": {"argoproj-labs/gatewayAPI": {"httpRoute": f"{name}-route", "namespace": namespace}}
        }
    if kind == "nginx":
        return {"nginx": {"stableIngress": f"{name}-ingress"}}
    raise ValueError(f"trafficRouting must be one of {', '.join(ROUTER_KINDS)} (or true), not {kind!r}")


def _ingress(name: str, namespace: str, kind: str) -> dict[str, Any]:
    backend = {
        "name": f"{name}-stable",
        "port": {"name": "use-annotation"} if kind == "alb" else {"number": 80},
    }
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": f"{name}-ingress", "namespace": namespace, "labels": {"app": name}},
        "spec": {
            "ingressClassName": "alb" if kind == "alb" else "nginx",
            "rules": [
                {
                    "host": f"{name}.{namespace}.example.com",
                    "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": backend}}]},
                }
            ],
        },
    }


def router_manifests(kind: str, name: str, namespace: str) -> list[dict[str, Any]]:
    """The objects a team creates beside a traffic-routed canary (the controller writes the
    weights into them; SMI's TrafficSplit and NGINX's canary Ingress it creates itself)."""
    meta = {"namespace": namespace, "labels": {"app": name}}
    if kind in ("nginx", "alb"):
        return [_ingress(name, namespace, kind)]
    if kind == "istio":
        destination = [
            {"destination": {"host": name, "subset": "stable"}, "weight": 100},
            {"destination": {"host": name, "subset": "canary"}, "weight": 0},
        ]
        return [
            {
                "apiVersion": "networking.istio.io/v1beta1",
                "kind": "VirtualService",
                "metadata": {"name": f"{name}-vsvc", **meta},
                "spec": {"hosts": [name], "http": [{"name": "primary", "route": destination}]},
            },
            {
                "apiVersion": "networking.istio.io/v1beta1",
                "kind": "DestinationRule",
                "metadata": {"name": f"{name}-destrule", **meta},
                "spec": {"host": name, "subsets": [{"name": "canary"}, {"name": "stable"}]},
            },
        ]
    if kind == "gatewayapi":
        refs = [
            {"name": f"{name}-stable", "port": 80, "weight": 100},
            {"name": f"{name}-canary", "port": 80, "weight": 0},
        ]
        return [
            {
                "apiVersion": "gateway.networking.k8s.io/v1",
                "kind": "HTTPRoute",
                "metadata": {"name": f"{name}-route", **meta},
                "spec": {
                    "parentRefs": [{"name": "public-gateway", "namespace": "platform"}],
                    "rules": [{"backendRefs": refs}],
                },
            }
        ]
    return []
