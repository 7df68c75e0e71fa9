"""ValidateRolloutReferencedResources of pkg/apis/rollouts/validation/validation_references.go for
what a manifest can carry beside a rollout: its Services and Ingresses (VirtualServices: istio.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rollout_tui.model.fields import as_dict, as_list
from rollout_tui.model.validation.errors import FieldError, go_quote, invalid

MANAGED_BY_ROLLOUTS = "argo-rollouts.argoproj.io/managed-by-rollouts"
POD_TEMPLATE_HASH = "rollouts-pod-template-hash"
SERVICE_MANAGED_BY_ANOTHER = "Service {} is managed by another Rollout"  # utils/conditions/conditions.go
SERVICE_FIELDS = {
    "ActiveService": "spec.strategy.blueGreen.activeService",
    "PreviewService": "spec.strategy.blueGreen.previewService",
    "CanaryService": "spec.strategy.canary.canaryService",
    "StableService": "spec.strategy.canary.stableService",
    "PingService": "spec.strategy.canary.pingPong.pingService",
    "PongService": "spec.strategy.canary.pingPong.pongService",
}


@dataclass
class ServiceWithType:
    service: dict[str, Any]
    type: str = ""  # a key of SERVICE_FIELDS, or "" when no rollout references it


def name_of(obj: Any) -> str:
    name = as_dict(as_dict(obj).get("metadata")).get("name")
    return name if isinstance(name, str) else ""


def annotations_of(obj: Any) -> Mapping[str, Any]:
    return as_dict(as_dict(as_dict(obj).get("metadata")).get("annotations"))


def validate_service(service: ServiceWithType, rollout: Any) -> list[FieldError]:
    path = SERVICE_FIELDS.get(service.type)
    if path is None:
        return []
    name = name_of(service.service)
    labels = as_dict(as_dict(as_dict(as_dict(rollout).get("spec")).get("template")).get("metadata")).get(
        "labels"
    )
    labels = as_dict(labels)
    errs: list[FieldError] = []
    for label, value in sorted(as_dict(as_dict(service.service.get("spec")).get("selector")).items()):
        if label == POD_TEMPLATE_HASH:
            continue
        if label not in labels or labels[label] != value:
            message = f"Service {go_quote(name)} has unmatch label {go_quote(str(label))} in rollout"
            errs.append(invalid(path, name, message))
    manager = annotations_of(service.service).get(MANAGED_BY_ROLLOUTS)
    if manager is not None and manager != name_of(rollout):
        errs.append(invalid(path, name, SERVICE_MANAGED_BY_ANOTHER.format(go_quote(name))))
    return errs


def ingress_has_rule_with_service(ingress: Any, service: str) -> bool:
    """utils/ingress HasRuleWithService, for networking.k8s.io/v1 and extensions/v1beta1 Ingresses."""
    legacy = str(as_dict(ingress).get("apiVersion") or "").startswith("extensions/")
    for rule in as_list(as_dict(as_dict(ingress).get("spec")).get("rules")):
        http = as_dict(rule).get("http")
        for path in as_list(as_dict(http).get("paths")):
            backend = as_dict(as_dict(path).get("backend"))
            found = backend.get("serviceName") if legacy else as_dict(backend.get("service")).get("name")
            if found == service:
                return True
    return False


def validate_ingress(rollout: Any, ingress: Any) -> list[FieldError]:
    canary = as_dict(as_dict(as_dict(as_dict(rollout).get("spec")).get("strategy")).get("canary"))
    routing = as_dict(canary.get("trafficRouting"))
    name, base = name_of(ingress), "spec.strategy.canary.trafficRouting"
    stable = canary.get("stableService") or ""
    nginx, alb = routing.get("nginx"), routing.get("alb")
    if nginx is not None:
        nginx = as_dict(nginx)
        many = [str(i) for i in as_list(nginx.get("stableIngresses"))]
        if nginx.get("stableIngress") == name or name in many:
            if name in many:
                return _report(ingress, stable, name, f"{base}.nginx.stableIngresses")
            return _report(
                ingress, stable, str(nginx.get("stableIngress") or ""), f"{base}.nginx.stableIngress"
            )
    if alb is not None:
        alb = as_dict(alb)
        many = [str(i) for i in as_list(alb.get("ingresses"))]
        service = alb.get("rootService") or stable
        if alb.get("ingress") == name or name in many:
            if name in many:
                return _report(ingress, service, name, f"{base}.alb.ingresses")
            return _report(ingress, service, str(alb.get("ingress") or ""), f"{base}.alb.ingress")
    return []


def _report(ingress: Any, service: str, ingress_name: str, path: str) -> list[FieldError]:
    if ingress_has_rule_with_service(ingress, service):
        return []
    message = f"ingress `{name_of(ingress)}` has no rules using service {service} backend"
    return [invalid(path, ingress_name, message)]
