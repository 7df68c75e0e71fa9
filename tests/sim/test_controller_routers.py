"""The traffic routers a canary names get the controller's weights written into them, as the real
controller (and the Gateway API plugin) write them; a router can be made to lag or stick."""

from __future__ import annotations

import json
from typing import Any

from rollout_tui.sim.controller.harness import Harness

NAME = "web"
LABELS = {"app": NAME}


def services() -> list[dict[str, Any]]:
    return [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": f"{NAME}-{role}"},
            "spec": {"selector": dict(LABELS), "ports": [{"port": 80}]},
        }
        for role in ("stable", "canary")
    ]


def rollout(
    traffic: dict[str, Any], steps: list[dict] | None = None, annotations: dict | None = None
) -> dict:
    meta: dict[str, Any] = {"name": NAME}
    if annotations:
        meta["annotations"] = annotations
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": meta,
        "spec": {
            "replicas": 4,
            "selector": {"matchLabels": LABELS},
            "template": {
                "metadata": {"labels": LABELS},
                "spec": {"containers": [{"name": "app", "image": "demo:blue"}]},
            },
            "strategy": {
                "canary": {
                    "canaryService": f"{NAME}-canary",
                    "stableService": f"{NAME}-stable",
                    "trafficRouting": traffic,
                    "steps": steps or [{"setWeight": 30}, {"pause": {}}],
                }
            },
        },
    }


def ingress(name: str, service: str, annotations: dict | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, "annotations": annotations or {}},
        "spec": {
            "ingressClassName": "nginx",
            "rules": [
                {
                    "host": "web.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": service, "port": {"name": "use-annotation"}}},
                            }
                        ]
                    },
                }
            ],
        },
    }


def start(h: Harness, objects: list[dict[str, Any]]) -> None:
    h.apply(objects)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    h.set_image(NAME, "demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 60)


def reasons(h: Harness) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for event in h.events(name=NAME):
        out.setdefault(event["reason"], []).append(event["message"])
    return out


def test_istio_virtual_service_and_destination_rule() -> None:
    vs = {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "VirtualService",
        "metadata": {"name": "web-vsvc"},
        "spec": {
            "hosts": ["web.example.com"],
            "http": [
                {
                    "name": "primary",
                    "route": [
                        {"destination": {"host": "web", "subset": "stable"}, "weight": 100},
                        {"destination": {"host": "web", "subset": "canary"}, "weight": 0},
                    ],
                },
                {"name": "other", "route": [{"destination": {"host": "other"}, "weight": 100}]},
            ],
        },
    }
    dr = {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "DestinationRule",
        "metadata": {"name": "web-destrule"},
        "spec": {"host": "web", "subsets": [{"name": "canary"}, {"name": "stable"}]},
    }
    istio = {
        "istio": {
            "virtualService": {"name": "web-vsvc", "routes": ["primary"]},
            "destinationRule": {
                "name": "web-destrule",
                "canarySubsetName": "canary",
                "stableSubsetName": "stable",
            },
        }
    }
    h = Harness()
    start(h, [*services(), vs, dr, rollout(istio)])
    status = h.status(NAME)
    routes = h.store.get("virtualservices", "default", "web-vsvc")["spec"]["http"]
    assert [d["weight"] for d in routes[0]["route"]] == [70, 30]
    assert routes[1]["route"][0]["weight"] == 100  # a route the rollout does not name is left alone
    subsets = {
        s["name"]: s["labels"]
        for s in h.store.get("destinationrules", "default", "web-destrule")["spec"]["subsets"]
    }
    assert subsets == {
        "canary": {"rollouts-pod-template-hash": status["currentPodHash"]},
        "stable": {"rollouts-pod-template-hash": status["stableRS"]},
    }
    assert "VirtualService `web-vsvc` set to desiredWeight '30'" in reasons(h)["Updated VirtualService"]
    assert any(
        m.startswith("DestinationRule web-destrule subset updated (canary: ")
        for m in reasons(h)["UpdatedDestinationRule"]
    )
    assert "verified" not in status["canary"]["weights"]  # Istio verifies nothing
    h.promote(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    routes = h.store.get("virtualservices", "default", "web-vsvc")["spec"]["http"]
    assert [d["weight"] for d in routes[0]["route"]] == [100, 0]


def test_istio_without_its_virtual_service_warns() -> None:
    h = Harness()
    h.apply([*services(), rollout({"istio": {"virtualService": {"name": "missing"}}})])
    h.tick(10)
    assert reasons(h)["VirtualServiceNotFound"] == ["VirtualService `missing` not found"]


def test_smi_traffic_split_is_created_and_owned() -> None:
    h = Harness()
    start(h, [*services(), rollout({"smi": {"rootService": "web"}})])
    split = h.store.get("trafficsplits", "default", NAME)
    assert split["apiVersion"] == "split.smi-spec.io/v1alpha1"
    assert split["metadata"]["ownerReferences"][0]["uid"] == h.rollout(NAME)["metadata"]["uid"]
    assert split["spec"] == {
        "service": "web",
        "backends": [{"service": "web-canary", "weight": "30"}, {"service": "web-stable", "weight": "70"}],
    }
    assert reasons(h)["TrafficSplitCreated"] == [f"TrafficSplit `{NAME}` created"]


def test_nginx_canary_ingress() -> None:
    h = Harness()
    stable = ingress("web-ingress", "web-stable", {"kubernetes.io/ingress.class": "nginx", "other": "x"})
    stable["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "nginx", "other": "x"}
    nginx = {
        "nginx": {
            "stableIngress": "web-ingress",
            "additionalIngressAnnotations": {"canary-by-header": "X-Canary"},
        }
    }
    start(
        h,
        [
            *services(),
            stable,
            rollout(nginx, [{"setWeight": 30}, {"pause": {}}, {"setWeight": 60}, {"pause": {}}]),
        ],
    )
    canary = h.store.get("ingresses", "default", "web-web-ingress-canary")
    assert canary["metadata"]["ownerReferences"][0]["kind"] == "Rollout"
    assert canary["metadata"]["annotations"] == {
        "kubernetes.io/ingress.class": "nginx",
        "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary",
        "nginx.ingress.kubernetes.io/canary": "true",
        "nginx.ingress.kubernetes.io/canary-weight": "30",
    }
    backend = canary["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "web-canary" and canary["spec"]["ingressClassName"] == "nginx"
    h.promote(NAME)
    assert h.run_until(lambda: h.status(NAME).get("currentStepIndex") == 3, 60)
    annotations = h.store.get("ingresses", "default", "web-web-ingress-canary")["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/canary-weight"] == "60"
    events = reasons(h)
    assert events["CreatingCanaryIngress"] == [
        "Creating canary ingress `web-web-ingress-canary` with weight `0`"  # at the first deploy
    ]
    assert (
        "Updating Ingress `web-web-ingress-canary` to desiredWeight '60'" in events["PatchingCanaryIngress"]
    )
    assert (
        h.store.get("ingresses", "default", "web-ingress")["spec"]["rules"][0]["http"]["paths"][0]["backend"][
            "service"
        ]["name"]
        == "web-stable"
    )  # the stable Ingress itself is not touched


def test_alb_actions_annotation_and_verification() -> None:
    alb = {"alb": {"ingress": "web-alb", "servicePort": 80}}
    h = Harness()
    h.controller.aws_verify_target_group = True
    start(h, [*services(), ingress("web-alb", "web-stable"), rollout(alb)])
    notes = h.store.get("ingresses", "default", "web-alb")["metadata"]["annotations"]
    action = json.loads(notes["alb.ingress.kubernetes.io/actions.web-stable"])
    assert action == {
        "Type": "forward",
        "ForwardConfig": {
            "TargetGroups": [
                {"ServiceName": "web-canary", "ServicePort": "80", "Weight": 30},
                {"ServiceName": "web-stable", "ServicePort": "80", "Weight": 70},
            ]
        },
    }
    assert json.loads(notes["rollouts.argoproj.io/managed-alb-annotations"]) == {
        NAME: ["alb.ingress.kubernetes.io/actions.web-stable"]
    }
    assert h.status(NAME)["currentStepIndex"] == 1  # the setWeight step completed once verified
    assert "Updating Ingress `web-alb` to desiredWeight '30'" in reasons(h)["PatchingALBIngress"]


def test_gateway_api_http_route_backend_weights() -> None:
    route = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": "web-route"},
        "spec": {
            "parentRefs": [{"name": "gateway"}],
            "rules": [
                {
                    "backendRefs": [
                        {"name": "web-stable", "port": 80, "weight": 100},
                        {"name": "web-canary", "port": 80, "weight": 0},
                    ]
                }
            ],
        },
    }
    plugin = {"plugins": {"argoproj-labs/gatewayAPI": {"httpRoute": "web-route", "namespace": "default"}}}
    h = Harness()
    start(h, [*services(), route, rollout(plugin)])
    refs = h.store.get("httproutes", "default", "web-route")["spec"]["rules"][0]["backendRefs"]
    assert [(r["name"], r["weight"]) for r in refs] == [("web-stable", 70), ("web-canary", 30)]


def test_a_stuck_router_keeps_its_split_while_the_status_moves_on() -> None:
    h = Harness()
    start(h, [*services(), rollout({"smi": {}}, annotations={"sim.rollout-tui.dev/router": "stuck"})])
    assert h.status(NAME)["canary"]["weights"]["canary"]["weight"] == 30
    assert h.store.list("trafficsplits", "default")[0] == []  # the controller's writes never landed


def test_a_lagging_router_follows_late_and_holds_a_verified_step() -> None:
    alb = {"alb": {"ingress": "web-alb", "servicePort": 80}}
    h = Harness()
    h.controller.aws_verify_target_group = True
    docs = [
        *services(),
        ingress("web-alb", "web-stable"),
        rollout(alb, annotations={"sim.rollout-tui.dev/router": "lag:40s"}),
    ]
    h.apply(docs)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 120)
    h.tick(45)  # the first weight (0) reaches the Ingress 40 s after it was asked for
    h.set_image(NAME, "demo:green")
    h.tick(15)

    def alb_canary_weight() -> int:
        notes = h.store.get("ingresses", "default", "web-alb")["metadata"]["annotations"]
        groups = json.loads(notes["alb.ingress.kubernetes.io/actions.web-stable"])["ForwardConfig"][
            "TargetGroups"
        ]
        return int(groups[0]["Weight"])

    weights = h.status(NAME)["canary"]["weights"]
    assert weights["canary"]["weight"] == 30 and weights["verified"] is False
    assert alb_canary_weight() == 0
    assert h.status(NAME)["currentStepIndex"] == 0  # the setWeight step waits for the load balancer
    assert h.run_until(lambda: h.status(NAME).get("currentStepIndex") == 1, 60)
    assert alb_canary_weight() == 30 and "verified" not in h.status(NAME)["canary"]["weights"]  # a pause step
