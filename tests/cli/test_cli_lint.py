"""``lint -f`` on manifests this project writes: one case per rule family, each expected message
taken from the rule's source (pkg/apis/rollouts/validation/*.go, k8s.io/apimachinery, the pod
template rules of k8s.io/kubernetes), plus the file-level errors (decoding, kind, YAML, no file)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.conftest import Run


def base_rollout(name: str = "web") -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {"duration": "1m"}}]}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "containers": [{"name": "web", "image": "web:1", "ports": [{"containerPort": 8080}]}]
                },
            },
        },
    }


def service(name: str, selector: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"selector": selector, "ports": [{"port": 80, "targetPort": 8080}]},
    }


def routed(rollout: dict[str, Any], routing: dict[str, Any]) -> dict[str, Any]:
    canary = rollout["spec"]["strategy"]["canary"]
    canary.update({"stableService": "web-stable", "canaryService": "web-canary", "trafficRouting": routing})
    return rollout


def lint(
    run: Run, tmp_path: Path, *docs: Any, text: str | None = None, suffix: str = ".yaml"
) -> tuple[int, str, str]:
    path = tmp_path / f"manifest{suffix}"
    path.write_text(text if text is not None else yaml.safe_dump_all(docs))
    return run("lint", "-f", str(path))


Mutation = Callable[[dict[str, Any]], Any]


def spec(path: str, value: Any) -> Mutation:
    def apply(rollout: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = rollout
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return apply


CASES: dict[str, tuple[Mutation, str]] = {
    "setWeight above 100": (
        spec("spec.strategy.canary.steps.0.setWeight", 120),
        "spec.strategy.steps[0].setWeight: Invalid value: 120: SetWeight needs to be between 0 and 100",
    ),
    "negative pause": (
        spec("spec.strategy.canary.steps.1.pause.duration", "-5"),
        "spec.strategy.steps[1].pause.duration: Invalid value: -5: Duration needs to be greater than 0",
    ),
    "unparsable pause": (
        spec("spec.strategy.canary.steps.1.pause.duration", "soon"),
        "spec.strategy.steps[1].pause.duration: Invalid value: -1: Duration needs to be greater than 0",
    ),
    "empty step": (
        spec("spec.strategy.canary.steps.0", {}),
        'spec.strategy.steps[0]: Invalid value: "step.Experiment: true step.Pause: true step.SetWeight: true '
        "step.Analysis: true step.SetCanaryScale: true step.SetHeaderRoute: true step.SetMirrorRoute: true "
        'step.Plugin: true": Step must have one of the following set: experiment, setWeight, setCanaryScale, '
        "plugin or pause",
    ),
    "two step types": (
        spec("spec.strategy.canary.steps.0", {"setWeight": 10, "pause": {}}),
        'spec.strategy.steps[0]: Invalid value: "step.Experiment: false step.Pause: true step.SetWeight: true '
        'step.Analysis: false": Step must have one of the following set: experiment, setWeight, '
        "setCanaryScale, plugin or pause",
    ),
    "two strategies": (
        spec("spec.strategy.blueGreen", {"activeService": "a"}),
        'spec.strategy.strategy: Invalid value: "blueGreen: true canary: true": Multiple Strategies can not be listed',
    ),
    "no strategy": (
        spec("spec.strategy", {}),
        "spec.strategy.strategy: Required value: Rollout has missing field "
        "'.spec.strategy.canary or .spec.strategy.blueGreen'",
    ),
    "selector does not match the template": (
        spec("spec.selector.matchLabels", {"app": "other"}),
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ),
    "empty selector": (
        spec("spec.selector", {}),
        "spec.selector: Invalid value: {}: empty selector is invalid for deployment",
    ),
    "bad selector operator": (
        spec("spec.selector", {"matchExpressions": [{"key": "app", "operator": "Is", "values": ["web"]}]}),
        'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
    ),
    "negative replicas": (
        spec("spec.replicas", -1),
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    ),
    "deadline not above minReadySeconds": (
        spec("spec.minReadySeconds", 600),
        "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds",
    ),
    "no containers": (
        spec("spec.template.spec.containers", []),
        "spec.template.spec.containers: Required value",
    ),
    "container without image": (
        spec("spec.template.spec.containers.0.image", ""),
        "spec.template.spec.containers[0].image: Required value",
    ),
    "container name not a DNS label": (
        spec("spec.template.spec.containers.0.name", "Web_1"),
        'spec.template.spec.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must '
        "consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
        "character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ),
    "port out of range": (
        spec("spec.template.spec.containers.0.ports.0.containerPort", 70000),
        "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and "
        "65535, inclusive",
    ),
    "mount of an undeclared volume": (
        spec("spec.template.spec.containers.0.volumeMounts", [{"name": "data", "mountPath": "/data"}]),
        'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ),
    "restartPolicy other than Always": (
        spec("spec.template.spec.restartPolicy", "Never"),
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ),
    "zero maxSurge and maxUnavailable as percentages": (
        lambda ro: ro["spec"]["strategy"]["canary"].update({"maxSurge": "0%", "maxUnavailable": 0}),
        'spec.strategy.maxSurge: Invalid value: "0%": MaxSurge and MaxUnavailable both can not be zero',
    ),
    "same stable and canary service": (
        lambda ro: ro["spec"]["strategy"]["canary"].update({"stableService": "s", "canaryService": "s"}),
        'spec.strategy.stableService: Invalid value: "s": This rollout uses the same service for the stable '
        "and canary services, but two different services are required.",
    ),
    "traffic routing without services": (
        spec("spec.strategy.canary.trafficRouting", {"nginx": {"stableIngress": "web"}}),
        'spec.strategy.stableService: Invalid value: "": Canary service and Stable service must to be set to '
        "use Traffic Routing",
    ),
    "scaleDownDelaySeconds without routing": (
        spec("spec.strategy.canary.scaleDownDelaySeconds", 30),
        "spec.strategy.scaleDownDelaySeconds: Invalid value: 30: Canary scaleDownDelaySeconds can only be used "
        "with traffic routing",
    ),
    "setCanaryScale without routing": (
        spec("spec.strategy.canary.steps.0", {"setCanaryScale": {"replicas": 1}}),
        "spec.strategy.trafficRouting: Required value: SetCanaryScale requires TrafficRouting to be set",
    ),
    "header route without managed routes": (
        lambda ro: routed(ro, {"istio": {"virtualService": {"name": "vs"}}})["spec"]["strategy"]["canary"][
            "steps"
        ].insert(
            0,
            {"setHeaderRoute": {"name": "h", "match": [{"headerName": "x", "headerValue": {"exact": "y"}}]}},
        ),
        "spec.strategy.trafficRouting.managedRoutes: Required value: Rollout has missing field "
        "'spec.strategy.canary.trafficRouting.managedRoutes'",
    ),
    "header route match with two values": (
        lambda ro: routed(
            ro, {"istio": {"virtualService": {"name": "vs"}}, "managedRoutes": [{"name": "h"}]}
        )["spec"]["strategy"]["canary"]["steps"].insert(
            0,
            {
                "setHeaderRoute": {
                    "name": "h",
                    "match": [{"headerName": "x", "headerValue": {"regex": "a", "exact": "y"}}],
                }
            },
        ),
        'spec.strategy.steps[0].setHeaderRoute.match[0]: Invalid value: {"exact":"y","regex":"a"}: StringMatch '
        "match value must have exactly one of the following: exact, regex, prefix",
    ),
    "analysis argument from unsupported metadata": (
        spec(
            "spec.strategy.canary.steps.0",
            {
                "analysis": {
                    "templates": [{"templateName": "t"}],
                    "args": [{"name": "a", "valueFrom": {"fieldRef": {"fieldPath": "metadata.generation"}}}],
                }
            },
        ),
        'spec.strategy.steps[0].analyses: Invalid value: [{"name":"a","valueFrom":{"fieldRef":{"fieldPath":'
        '"metadata.generation"}}}]: Analyses arguments must refer to valid object metadata supported by downwardAPI',
    ),
    "anti-affinity without a strategy": (
        spec("spec.strategy.canary.antiAffinity", {}),
        'spec.strategy.antiAffinity: Invalid value: "antiAffinity.PreferredDuringSchedulingIgnoredDuringExecution:'
        ' false antiAffinity.RequiredDuringSchedulingIgnoredDuringExecution: false": AntiAffinity must have '
        "exactly one strategy listed",
    ),
    "workloadRef with a template": (
        spec("spec.workloadRef", {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}),
        "spec.template: Internal error: template must be empty for workload reference rollout",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule(case: str, run: Run, tmp_path: Path) -> None:
    mutate, expected = CASES[case]
    rollout = base_rollout()
    mutate(rollout)
    code, out, err = lint(run, tmp_path, rollout)
    assert (code, err) == (1, f"Error: {expected}\n")
    assert out.splitlines()[0] == expected.split(": ", 1)[1]


def test_a_valid_rollout_prints_nothing(run: Run, tmp_path: Path) -> None:
    assert lint(run, tmp_path, base_rollout()) == (0, "", "")


def test_blue_green_rules(run: Run, tmp_path: Path) -> None:
    rollout = base_rollout()
    rollout["spec"]["strategy"] = {"blueGreen": {"activeService": "web", "previewService": "web"}}
    assert lint(run, tmp_path, rollout)[2] == (
        'Error: spec.strategy.activeService: Invalid value: "web": This rollout uses the same service for the '
        "active and preview services, but two different services are required.\n"
    )
    rollout["spec"]["strategy"]["blueGreen"].update(
        {"previewService": "web-preview", "scaleDownDelayRevisionLimit": 20}
    )
    assert lint(run, tmp_path, rollout)[2] == (
        "Error: spec.strategy.scaleDownDelayRevisionLimit: Invalid value: 20: This rollout's revision history "
        "limit can not be smaller than the rollout's scale down limit\n"
    )


def test_every_error_body_is_printed_in_order(run: Run, tmp_path: Path) -> None:
    rollout = base_rollout()
    rollout["spec"]["replicas"] = -1
    rollout["spec"]["strategy"]["canary"]["steps"][0]["setWeight"] = 101
    code, out, err = lint(run, tmp_path, rollout)
    assert code == 1
    assert out.splitlines() == [
        "Invalid value: -1: must be greater than or equal to 0",
        "Invalid value: 101: SetWeight needs to be between 0 and 100",
    ]
    assert err == "Error: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"


def test_services_in_the_file_are_checked_against_the_template(run: Run, tmp_path: Path) -> None:
    rollout = routed(base_rollout(), {"smi": {}})
    good, bad = service("web-stable", {"app": "web"}), service("web-canary", {"app": "web", "tier": "front"})
    code, _, err = lint(run, tmp_path, rollout, good, bad)
    assert code == 1
    assert err == (
        'Error: spec.strategy.canary.canaryService: Invalid value: "web-canary": Service "web-canary" has '
        'unmatch label "tier" in rollout\n'
    )
    bad["spec"]["selector"] = {"app": "web", "rollouts-pod-template-hash": "abc"}
    assert lint(run, tmp_path, rollout, good, bad) == (0, "", "")
    unrelated = service("other", {"app": "nothing-like-it"})
    assert lint(run, tmp_path, rollout, good, unrelated)[0] == 0


def test_an_ingress_must_route_to_the_stable_service(run: Run, tmp_path: Path) -> None:
    rollout = routed(
        base_rollout(), {"alb": {"ingress": "web", "servicePort": 80, "rootService": "web-root"}}
    )
    ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web"},
        "spec": {
            "rules": [
                {
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {
                                    "service": {"name": "web-root", "port": {"name": "use-annotation"}}
                                },
                            }
                        ]
                    }
                }
            ]
        },
    }
    assert lint(run, tmp_path, rollout, ingress) == (0, "", "")
    ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] = "web-stable"
    # lint.go only matches an Ingress to a rollout through the service it routes to
    assert lint(run, tmp_path, rollout, ingress) == (0, "", "")


def test_a_virtual_service_must_route_to_both_services(run: Run, tmp_path: Path) -> None:
    rollout = routed(
        base_rollout(), {"istio": {"virtualService": {"name": "web-vsvc", "routes": ["primary"]}}}
    )
    vsvc = {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "VirtualService",
        "metadata": {"name": "web-vsvc"},
        "spec": {
            "http": [{"name": "primary", "route": [{"destination": {"host": "web-stable"}, "weight": 100}]}]
        },
    }
    assert lint(run, tmp_path, rollout, vsvc)[2] == (
        'Error: spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: "web-vsvc": Istio '
        "VirtualService has invalid HTTP routes. Error: Canary Service 'web-canary' not found in route\n"
    )
    vsvc["spec"]["http"][0]["route"].append({"destination": {"host": "web-canary.default.svc"}, "weight": 0})
    assert lint(run, tmp_path, rollout, vsvc) == (0, "", "")
    vsvc["spec"]["http"][0]["name"] = "secondary"
    assert (
        "HTTP Route 'primary' is not found in the defined Virtual Service."
        in lint(run, tmp_path, rollout, vsvc)[2]
    )


def test_unknown_fields_and_wrong_types_in_core_types(run: Run, tmp_path: Path) -> None:
    rollout = base_rollout()
    rollout["spec"]["template"]["spec"]["containers"][0]["imagePullPolice"] = "Always"
    assert lint(run, tmp_path, rollout)[2] == (
        'Error: error unmarshaling JSON: while decoding JSON: json: unknown field "imagePullPolice"\n'
    )
    rollout = base_rollout()
    rollout["spec"]["replicas"] = "2"
    assert lint(run, tmp_path, rollout)[2] == (
        "Error: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field "
        "RolloutSpec.spec.replicas of type int32\n"
    )
    rollout = base_rollout()
    rollout["spec"]["template"]["metadata"]["labels"]["version"] = 2
    assert (
        "cannot unmarshal number into Go struct field ObjectMeta.spec.template.metadata.labels of type string"
        in (lint(run, tmp_path, rollout)[2])
    )
    svc = service("s", {"app": "web"})
    svc["spec"]["selectr"] = {}
    assert lint(run, tmp_path, base_rollout(), svc)[2].endswith('json: unknown field "selectr"\n')


def test_field_names_match_case_insensitively_like_go(run: Run, tmp_path: Path) -> None:
    rollout = base_rollout()
    rollout["spec"]["Replicas"] = rollout["spec"].pop("replicas")
    assert lint(run, tmp_path, rollout) == (0, "", "")


def test_file_level_errors(run: Run, tmp_path: Path) -> None:
    assert lint(run, tmp_path, {"apiVersion": "v1", "metadata": {"name": "x"}})[2] == (
        "Error: error unmarshaling JSON: while decoding JSON: Object 'Kind' is missing in "
        '\'{"apiVersion":"v1","metadata":{"name":"x"}}\'\n'
    )
    assert lint(run, tmp_path, text="- a\n- b\n")[2] == (
        "Error: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of "
        "type map[string]interface {}\n"
    )
    code, out, err = lint(run, tmp_path, text="kind: Rollout\n  bad: [\n")
    assert (code, out) == (1, "") and err.startswith("Error: yaml: line ")
    missing = tmp_path / "nope.yaml"
    assert run("lint", "-f", str(missing)) == (1, "", f"Error: open {missing}: no such file or directory\n")


def test_json_and_multi_document_files(run: Run, tmp_path: Path) -> None:
    good, bad = base_rollout("a"), copy.deepcopy(base_rollout("b"))
    bad["spec"]["strategy"]["canary"]["steps"][0]["setWeight"] = -1
    assert lint(run, tmp_path, text=json.dumps(good), suffix=".json") == (0, "", "")
    text = "---\n" + yaml.safe_dump(good) + "---\n---\n" + yaml.safe_dump(bad)
    code, _, err = lint(run, tmp_path, text=text)
    assert code == 1 and "Invalid value: -1: SetWeight needs to be between 0 and 100" in err


def test_without_a_file_lint_prints_its_usage_and_fails(run: Run) -> None:
    code, out, err = run("lint")
    assert code == 1 and out == "" and err.startswith("usage: rollout-tui lint")
