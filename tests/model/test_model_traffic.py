"""model.traffic: the split each router object carries (as the controller writes them), and
whether it is the one the rollout reports; provider facts of analysis metrics; the registry's
template-change summaries and workloadRef writes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rollout_tui.model.actions import ActionArgs, ActionRefused, Target, action
from rollout_tui.model.actions.patches import set_image_writes, undo_writes
from rollout_tui.model.metrics import metric_series
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.state import rollout_state
from rollout_tui.model.traffic import RouterRef, router_refs, traffic_info


def canary(routing: dict[str, Any], weight: int = 20, **canary_extra: Any) -> dict[str, Any]:
    return {
        "kind": "Rollout",
        "metadata": {"name": "web", "namespace": "shop", "uid": "u"},
        "spec": {
            "strategy": {
                "canary": {
                    "canaryService": "web-canary",
                    "stableService": "web-stable",
                    "trafficRouting": routing,
                    "steps": [{"setWeight": 20}, {"pause": {}}],
                    **canary_extra,
                }
            }
        },
        "status": {
            "currentStepIndex": 1,
            "availableReplicas": 3,
            "currentPodHash": "new",
            "stableRS": "old",
            "canary": {"weights": {"canary": {"weight": weight}, "stable": {"weight": 100 - weight}}},
        },
    }


def split(rollout: dict[str, Any], *objects: dict[str, Any]) -> Any:
    return traffic_info(rollout, ObjectSet.from_objects([rollout, *objects]), rollout_state(rollout))


def obj(kind: str, name: str, namespace: str = "shop", **fields: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace, **fields.pop("meta", {})},
        **fields,
    }


def test_istio_virtual_service_routes_and_destination_rule_subsets() -> None:
    ro = canary(
        {
            "istio": {
                "virtualService": {"name": "web-vsvc.mesh", "routes": ["primary"]},
                "destinationRule": {
                    "name": "web-dr",
                    "canarySubsetName": "canary",
                    "stableSubsetName": "stable",
                },
            }
        }
    )
    assert router_refs(ro) == (
        RouterRef("VirtualService", "mesh", "web-vsvc"),
        RouterRef("DestinationRule", "shop", "web-dr"),
    )
    vs = obj(
        "VirtualService",
        "web-vsvc",
        "mesh",
        spec={
            "http": [
                {"name": "other", "route": [{"destination": {"host": "web-stable"}, "weight": 100}]},
                {
                    "name": "primary",
                    "route": [
                        {"destination": {"host": "web", "subset": "stable"}, "weight": 80},
                        {"destination": {"host": "web", "subset": "canary"}, "weight": 20},
                    ],
                },
            ]
        },
    )
    dr = obj(
        "DestinationRule",
        "web-dr",
        spec={
            "subsets": [
                {"name": "canary", "labels": {"rollouts-pod-template-hash": "new"}},
                {"name": "stable", "labels": {"rollouts-pod-template-hash": "old"}},
            ]
        },
    )
    info = split(ro, vs, dr)
    assert [(r.kind, r.canary) for r in info.routers] == [("VirtualService", 20), ("DestinationRule", None)]
    assert info.routers[1].note == "subsets canary → new, stable → old" and info.mismatch == ""


def test_smi_nginx_alb_and_gateway_api_splits() -> None:
    smi = canary({"smi": {}})
    trafficsplit = obj(
        "TrafficSplit",
        "web",
        spec={
            "backends": [{"service": "web-canary", "weight": "25"}, {"service": "web-stable", "weight": "75"}]
        },
    )
    assert [r.canary for r in split(smi, trafficsplit).routers] == [25]
    nginx = canary({"nginx": {"stableIngress": "web-ing"}})
    ingress = obj(
        "Ingress",
        "web-web-ing-canary",
        meta={
            "annotations": {
                "nginx.ingress.kubernetes.io/canary": "true",
                "nginx.ingress.kubernetes.io/canary-weight": "20",
            }
        },
    )
    assert [r.canary for r in split(nginx, ingress).routers] == [20]
    alb = canary({"alb": {"ingress": "web-alb", "servicePort": 80}})
    action_json = {
        "Type": "forward",
        "ForwardConfig": {
            "TargetGroups": [
                {"ServiceName": "web-canary", "ServicePort": "80", "Weight": 10},
                {"ServiceName": "web-stable", "ServicePort": "80", "Weight": 90},
            ]
        },
    }
    alb_ingress = obj(
        "Ingress",
        "web-alb",
        meta={"annotations": {"alb.ingress.kubernetes.io/actions.web-stable": json.dumps(action_json)}},
    )
    found = split(alb, alb_ingress)
    assert [r.canary for r in found.routers] == [10]
    assert found.mismatch == "Ingress web-alb sends 10% to the canary, the rollout 20%"
    gateway = canary(
        {"plugins": {"argoproj-labs/gatewayAPI": {"httpRoute": "web-route", "namespace": "edge"}}}
    )
    route = obj(
        "HTTPRoute",
        "web-route",
        "edge",
        spec={
            "rules": [
                {"backendRefs": [{"name": "web-stable", "weight": 80}, {"name": "web-canary", "weight": 20}]}
            ]
        },
    )
    assert [(r.kind, r.canary) for r in split(gateway, route).routers] == [("HTTPRoute", 20)]


def test_a_missing_or_unreadable_router_says_so() -> None:
    ro = canary({"nginx": {"stableIngress": "web-ing"}})
    found = split(ro)
    assert [(r.canary, r.note) for r in found.routers] == [(None, "not found")] and found.mismatch == ""
    plain = canary({"nginx": {"stableIngress": "web-ing"}})
    plain["spec"]["strategy"]["canary"].pop("trafficRouting")
    assert split(plain) is None  # not traffic-routed: nothing to read


def test_provider_fields_resolve_the_runs_arguments() -> None:
    run = {
        "spec": {
            "args": [{"name": "svc", "value": "web-canary"}],
            "metrics": [
                {
                    "name": "rate",
                    "provider": {
                        "prometheus": {
                            "address": "http://prom:9090",
                            "query": 'sum(x{s="{{args.svc}}"})\n / 2',
                        }
                    },
                },
                {
                    "name": "bench",
                    "provider": {"web": {"url": "http://bench/{{args.svc}}", "jsonPath": "{$.p95}"}},
                },
                {
                    "name": "smoke",
                    "provider": {
                        "job": {
                            "spec": {
                                "template": {
                                    "spec": {
                                        "containers": [
                                            {"image": "curl", "command": ["curl", "-f", "{{args.svc}}"]}
                                        ]
                                    }
                                }
                            }
                        }
                    },
                },
            ],
        }
    }
    rate, bench, smoke = metric_series(run)
    assert rate.provider_fields == (("address", "http://prom:9090"), ("query", 'sum(x{s="web-canary"}) / 2'))
    assert bench.provider_fields == (("url", "http://bench/web-canary"), ("jsonPath", "{$.p95}"))
    assert smoke.provider_fields == (("image", "curl"), ("command", "curl -f web-canary"))


def workload_rollout(kind: str = "Deployment") -> dict[str, Any]:
    return {
        "kind": "Rollout",
        "metadata": {"name": "web", "uid": "u", "resourceVersion": "5"},
        "spec": {"workloadRef": {"kind": kind, "name": "web"}, "selector": {"matchLabels": {"app": "web"}}},
    }


def replicaset(revision: str, image: str) -> dict[str, Any]:
    return {
        "metadata": {
            "name": f"web-{revision}",
            "annotations": {"rollout.argoproj.io/revision": revision},
            "ownerReferences": [{"uid": "u", "controller": True}],
        },
        "spec": {
            "template": {
                "metadata": {"labels": {"rollouts-pod-template-hash": revision}},
                "spec": {"containers": [{"name": "app", "image": image}]},
            }
        },
    }


def test_workloadref_writes_go_to_the_workload() -> None:
    rs = (replicaset("1", "web:1"), replicaset("2", "web:2"))
    deployment = {
        "kind": "Deployment",
        "metadata": {"name": "web", "resourceVersion": "9"},
        "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "web:2"}]}}},
    }
    [write] = undo_writes(workload_rollout(), rs, 0, deployment)
    assert (write.resource.plural, write.name, write.body[0]["path"]) == (
        "deployments",
        "web",
        "/spec/template",
    )
    assert Target(workload_rollout(), workload=deployment).version_of(write) == "9"
    template = {
        "kind": "PodTemplate",
        "metadata": {"name": "web"},
        "template": deployment["spec"]["template"],
    }
    [write] = undo_writes(workload_rollout("PodTemplate"), rs, 0, template)
    assert (write.resource.plural, write.body[0]["path"]) == ("podtemplates", "/template")
    [put] = set_image_writes(workload_rollout("PodTemplate"), "app", "web:3", template)
    assert put.method == "PUT" and put.body["template"]["spec"]["containers"][0]["image"] == "web:3"
    with pytest.raises(ActionRefused, match="workload of type StatefulSet is not supported"):
        undo_writes(workload_rollout("StatefulSet"), rs, 0, {})
    with pytest.raises(ActionRefused, match="was not read"):
        set_image_writes(workload_rollout(), "app", "x", None)


def test_confirmations_carry_what_the_template_change_is() -> None:
    state = rollout_state(canary({"nginx": {"stableIngress": "x"}}))
    text = action("promote").describe(state, ActionArgs(change="image red → blue"))
    assert text.endswith("(image red → blue)")
    assert action("promote").describe(state, ActionArgs()) + " (image red → blue)" == text
    undo = action("undo").describe(
        rollout_state(workload_rollout()), ActionArgs(revision=1, change="image b → a")
    )
    assert "of Deployment/web (spec.workloadRef)" in undo and undo.endswith("(image b → a)")
