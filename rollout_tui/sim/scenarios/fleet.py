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
      trafficRouting: true      # adds stable/canary Services and a (simulated) nginx routing
      blueGreen: {...}          # extra blue-green fields (autoPromotionEnabled, pre/postPromotionAnalysis...)
      annotations: {...}        # e.g. sim.rollout-tui.dev/analysis: fail
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
    }
    template: dict[str, Any] = {"metadata": {"labels": dict(labels)}, "spec": {"containers": [container]}}
    if entry.get("podAnnotations"):
        template["metadata"]["annotations"] = dict(entry["podAnnotations"])
    services: list[str] = []
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
        if entry.get("trafficRouting"):
            canary.update(
                canaryService=f"{name}-canary",
                stableService=f"{name}-stable",
                trafficRouting={"nginx": {"stableIngress": f"{name}-ingress"}},
            )
            services = [f"{name}-canary", f"{name}-stable"]
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
    out.append(rollout)
    return out


def in_cluster(entry: dict[str, Any], cluster: str | None) -> bool:
    wanted = entry.get("clusters")
    return not wanted or cluster is None or cluster in wanted
