"""The router kinds are served like any other: discovery, apply, get (server-side columns), watch,
and the kubernetes client's dynamic access. A frozen simulator (no controller)."""

from __future__ import annotations

from pathlib import Path

import yaml
from kubernetes import config, dynamic

from rollout_tui.sim import Simulator

from .conftest import Kubectl

NS = "routers"
MANIFESTS = [
    {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "VirtualService",
        "metadata": {"name": "shop-vsvc", "namespace": NS},
        "spec": {
            "hosts": ["shop"],
            "http": [{"route": [{"destination": {"host": "shop-stable"}, "weight": 100}]}],
        },
    },
    {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "DestinationRule",
        "metadata": {"name": "shop-destrule", "namespace": NS},
        "spec": {"host": "shop", "subsets": [{"name": "stable"}, {"name": "canary"}]},
    },
    {
        "apiVersion": "split.smi-spec.io/v1alpha1",
        "kind": "TrafficSplit",
        "metadata": {"name": "shop", "namespace": NS},
        "spec": {"service": "shop", "backends": [{"service": "shop-stable", "weight": "100"}]},
    },
    {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": "shop-route", "namespace": NS},
        "spec": {
            "hostnames": ["shop.example.com"],
            "rules": [{"backendRefs": [{"name": "shop-stable", "port": 80}]}],
        },
    },
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "shop-ingress", "namespace": NS},
        "spec": {"ingressClassName": "nginx", "rules": [{"host": "shop.example.com"}]},
    },
]


def test_discovery_lists_the_router_kinds(kubectl: Kubectl) -> None:
    rows = {line.split()[0]: line.split()[1:] for line in kubectl.ok("api-resources").splitlines()[1:]}
    assert rows["virtualservices"] == ["vs", "networking.istio.io/v1beta1", "true", "VirtualService"]
    assert rows["destinationrules"] == ["dr", "networking.istio.io/v1beta1", "true", "DestinationRule"]
    assert rows["trafficsplits"] == ["ts", "split.smi-spec.io/v1alpha1", "true", "TrafficSplit"]
    assert rows["httproutes"] == ["gateway.networking.k8s.io/v1", "true", "HTTPRoute"]
    assert rows["ingresses"] == ["ing", "networking.k8s.io/v1", "true", "Ingress"]


def test_apply_get_and_watch(sim: Simulator, kubectl: Kubectl, tmp_path: Path) -> None:
    manifest = tmp_path / "routers.yaml"
    manifest.write_text(yaml.safe_dump_all(MANIFESTS))
    kubectl.ok("create", "namespace", NS)
    applied = kubectl.ok("apply", "-f", str(manifest))
    assert "virtualservice.networking.istio.io/shop-vsvc created" in applied
    assert "httproute.gateway.networking.k8s.io/shop-route created" in applied
    table = kubectl.ok("get", "vs", "-n", NS).splitlines()
    assert table[0].split() == ["NAME", "GATEWAYS", "HOSTS", "AGE"] and table[1].split()[:2] == [
        "shop-vsvc",
        '["shop"]',
    ]
    assert kubectl.ok("get", "ingress", "-n", NS).splitlines()[1].split()[:3] == [
        "shop-ingress",
        "nginx",
        "shop.example.com",
    ]
    assert kubectl.ok("get", "dr", "-n", NS, "-o", "jsonpath={.items[0].spec.subsets[1].name}") == "canary"
    assert (
        kubectl.ok("get", "httproutes", "-n", NS, "-o", "name")
        == "httproute.gateway.networking.k8s.io/shop-route\n"
    )
    stream = kubectl.stream(
        "get", "ts", "shop", "-n", NS, "-w", "-o", 'jsonpath={.spec.backends[0].weight}{"\\n"}'
    )
    try:
        stream.wait_for(lambda line: line == "100")
        kubectl.ok(
            "patch",
            "ts",
            "shop",
            "-n",
            NS,
            "--type",
            "merge",
            "-p",
            '{"spec":{"backends":[{"service":"shop-canary","weight":"20"},{"service":"shop-stable","weight":"80"}]}}',
        )
        stream.wait_for(lambda line: line == "20")
    finally:
        stream.close()


def test_the_dynamic_client_reads_them(kubeconfig: Path, sim: Simulator) -> None:
    sim.store.create("virtualservices", {**MANIFESTS[0], "metadata": {"name": "dyn", "namespace": "dyn"}})
    client = dynamic.DynamicClient(config.new_client_from_config(str(kubeconfig)))
    api = client.resources.get(api_version="networking.istio.io/v1beta1", kind="VirtualService")
    [item] = api.get(namespace="dyn").items
    assert item.metadata.name == "dyn" and item.spec.http[0].route[0].weight == 100
