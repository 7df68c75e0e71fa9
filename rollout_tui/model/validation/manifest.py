"""What ``kubectl argo rollouts lint`` checks in one file (pkg/kubectl-argo-rollouts/cmd/lint/lint.go).

Every document is decoded (an Unstructured first, so each needs a ``kind``; then Rollouts,
Services and Ingresses strictly into their types: unknown fields are errors). Services,
Ingresses and Istio VirtualServices of the file are matched to the rollouts that name them the way
lint.go does it, by marking each with the managed-by annotation of the last rollout that
references it, and each rollout is then checked with its own references. lint.go's quirks are kept:
a rollout without canary traffic routing stops the matching of Ingresses (and one without Istio of
VirtualServices) for the rollouts after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rollout_tui.model.fields import as_dict, as_list
from rollout_tui.model.validation.decode import DecodeError, Decoder, K8sResolver
from rollout_tui.model.validation.errors import FieldError, go_json
from rollout_tui.model.validation.istio import validate_virtual_service
from rollout_tui.model.validation.references import (
    MANAGED_BY_ROLLOUTS,
    ServiceWithType,
    annotations_of,
    ingress_has_rule_with_service,
    name_of,
    validate_ingress,
    validate_service,
)
from rollout_tui.model.validation.rollout import validate_rollout


def group_version_kind(obj: dict[str, Any]) -> tuple[str, str, str]:
    api_version = str(obj.get("apiVersion") or "")
    group, _, version = api_version.rpartition("/")
    return group, version, str(obj.get("kind") or "")


@dataclass
class Manifest:
    rollouts: list[dict[str, Any]] = field(default_factory=list)
    services: list[ServiceWithType] = field(default_factory=list)
    ingresses: list[dict[str, Any]] = field(default_factory=list)
    virtual_services: list[dict[str, Any]] = field(default_factory=list)
    managers: dict[int, str] = field(default_factory=dict)  # id(object) -> the rollout it is matched to

    def manager(self, obj: Any) -> str | None:
        if id(obj) in self.managers:
            return self.managers[id(obj)]
        value = annotations_of(obj).get(MANAGED_BY_ROLLOUTS)
        return value if isinstance(value, str) else None


def read_manifest(documents: list[Any], k8s: K8sResolver | None = None) -> Manifest:
    """Decode the documents in file order; DecodeError (Go's message) on the first bad one."""
    manifest = Manifest()
    for doc in documents:
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise DecodeError(
                f"json: cannot unmarshal {_kind(doc)} into Go value of type map[string]interface {{}}"
            )
        group, version, kind = group_version_kind(doc)
        if not kind:
            raise DecodeError(f"Object 'Kind' is missing in '{go_json(doc)}'")
        if group == "argoproj.io" and kind == "Rollout":
            manifest.rollouts.append(Decoder(k8s).decode(doc, "Rollout"))
        elif group == "" and kind == "Service":
            manifest.services.append(ServiceWithType(Decoder(k8s).decode(doc, "k8s:V1Service")))
        elif (
            group in ("networking.k8s.io", "extensions")
            and kind == "Ingress"
            and version in ("v1", "v1beta1")
        ):
            type_ref = "k8s:V1Ingress" if version == "v1" else "legacy:Ingress"
            manifest.ingresses.append(Decoder(k8s).decode(doc, type_ref))
        elif group == "networking.istio.io" and kind == "VirtualService":
            manifest.virtual_services.append(doc)
    return manifest


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    return "string" if isinstance(value, str) else "bool" if isinstance(value, bool) else "number"


def _canary(rollout: Any) -> dict[str, Any]:
    return dict(as_dict(as_dict(as_dict(rollout.get("spec")).get("strategy")).get("canary")))


def _match_services(manifest: Manifest) -> None:
    """setServiceTypeAndManagedAnnotation."""
    for rollout in manifest.rollouts:
        strategy = as_dict(as_dict(rollout.get("spec")).get("strategy"))
        roles: list[tuple[str, Any]] = []
        if strategy.get("canary") is not None:
            canary = _canary(rollout)
            roles += [
                ("CanaryService", canary.get("canaryService")),
                ("StableService", canary.get("stableService")),
            ]
            if canary.get("pingPong") is not None:
                ping_pong = as_dict(canary["pingPong"])
                roles += [
                    ("PingService", ping_pong.get("pingService")),
                    ("PongService", ping_pong.get("pongService")),
                ]
        if strategy.get("blueGreen") is not None:
            blue_green = as_dict(strategy["blueGreen"])
            roles += [
                ("ActiveService", blue_green.get("activeService")),
                ("PreviewService", blue_green.get("previewService")),
            ]
        for service in manifest.services:
            for role, wanted in roles:
                if (wanted or "") == name_of(service.service):
                    service.type = role
                    manifest.managers[id(service.service)] = name_of(rollout)


def _match_routed(
    manifest: Manifest,
    objects: list[dict[str, Any]],
    references: Callable[[dict[str, Any], dict[str, Any]], bool],
    router: str | None,
) -> None:
    """setIngressManagedAnnotation / setVirtualServiceManagedAnnotation, with their early return."""
    for rollout in manifest.rollouts:
        routing = _canary(rollout).get("trafficRouting")
        for obj in objects:
            if routing is None or (router is not None and as_dict(routing).get(router) is None):
                return
            if references(rollout, obj):
                manifest.managers[id(obj)] = name_of(rollout)


def _ingress_service(rollout: dict[str, Any]) -> str:
    canary = _canary(rollout)
    routing = as_dict(canary.get("trafficRouting"))
    if routing.get("nginx") is not None:
        return str(canary.get("stableService") or "")
    if routing.get("alb") is not None:
        return str(as_dict(routing["alb"]).get("rootService") or canary.get("stableService") or "")
    if routing.get("smi") is not None:
        return str(as_dict(routing["smi"]).get("rootService") or "")
    return ""


def _names_virtual_service(rollout: dict[str, Any], vsvc: dict[str, Any]) -> bool:
    istio = as_dict(as_dict(_canary(rollout).get("trafficRouting")).get("istio"))
    names = (
        [as_dict(istio.get("virtualService")).get("name")] if istio.get("virtualService") is not None else []
    )
    names += [as_dict(v).get("name") for v in as_list(istio.get("virtualServices"))]
    return name_of(vsvc) in names


def lint_manifest(manifest: Manifest) -> list[FieldError]:
    """The errors lint prints, in its order: per rollout, its spec, then its references."""
    _match_services(manifest)
    _match_routed(
        manifest,
        manifest.ingresses,
        lambda ro, ing: ingress_has_rule_with_service(ing, _ingress_service(ro)),
        None,
    )
    _match_routed(manifest, manifest.virtual_services, _names_virtual_service, "istio")
    errs: list[FieldError] = []
    for rollout in manifest.rollouts:
        name = name_of(rollout)
        errs += validate_rollout(rollout)
        for service in manifest.services:
            if manifest.manager(service.service) == name:
                errs += validate_service(service, rollout)
        errs += [
            e
            for ing in manifest.ingresses
            if manifest.manager(ing) == name
            for e in validate_ingress(rollout, ing)
        ]
        for vsvc in manifest.virtual_services:
            if manifest.manager(vsvc) == name:
                errs += validate_virtual_service(rollout, vsvc)
    return errs
