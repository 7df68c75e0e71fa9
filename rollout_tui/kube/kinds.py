"""The kinds the detail reads besides a rollout's own children: the objects spec.workloadRef
names (rollout/templateref.go) and the traffic routers a canary names (model.traffic)."""

from __future__ import annotations

from rollout_tui.kube.resources import REPLICA_SET, Kind

DEPLOYMENT = Kind("Deployment", "apps", "v1", "deployments")
POD_TEMPLATE = Kind("PodTemplate", "", "v1", "podtemplates")
JOB = Kind("Job", "batch", "v1", "jobs")
WORKLOAD_KINDS: dict[str, Kind] = {
    "Deployment": DEPLOYMENT,
    "ReplicaSet": REPLICA_SET,
    "PodTemplate": POD_TEMPLATE,
}

ROUTER_KINDS: dict[str, Kind] = {
    "VirtualService": Kind("VirtualService", "networking.istio.io", "v1beta1", "virtualservices"),
    "DestinationRule": Kind("DestinationRule", "networking.istio.io", "v1beta1", "destinationrules"),
    "TrafficSplit": Kind("TrafficSplit", "split.smi-spec.io", "v1alpha1", "trafficsplits"),
    "Ingress": Kind("Ingress", "networking.k8s.io", "v1", "ingresses"),
    "HTTPRoute": Kind("HTTPRoute", "gateway.networking.k8s.io", "v1", "httproutes"),
}
