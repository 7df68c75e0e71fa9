"""The resource types the simulator serves, with their discovery metadata.

One table drives discovery, routing, field selectors and the store, so a resource added here is
served consistently everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

_RW_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ResourceType:
    group: str  # "" for the core group
    version: str
    plural: str
    kind: str
    list_kind: str
    namespaced: bool
    has_status: bool
    has_scale: bool = False
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    singular: str = ""
    # Field labels beyond metadata.name/metadata.namespace that the real API server accepts in a
    # fieldSelector for this type (kube's detail views select events by involvedObject).
    field_labels: tuple[str, ...] = ()
    verbs: tuple[str, ...] = _RW_VERBS

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """How Kubernetes names the type in messages: ``rollouts.argoproj.io``, ``pods``."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def base_path(self) -> str:
        return f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"


def _argo(
    plural: str,
    kind: str,
    short: str,
    *,
    namespaced: bool = True,
    has_status: bool = True,
    has_scale: bool = False,
    categories: tuple[str, ...] = ("all",),
) -> ResourceType:
    return ResourceType(
        "argoproj.io",
        "v1alpha1",
        plural,
        kind,
        f"{kind}List",
        namespaced,
        has_status,
        has_scale,
        (short,),
        categories,
        kind.lower(),
    )


_EVENT_FIELDS = (
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
)
_POD_FIELDS = (
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "status.phase",
    "status.podIP",
    "status.nominatedNodeName",
)

RESOURCES: dict[str, ResourceType] = {
    rt.plural: rt
    for rt in (
        _argo("rollouts", "Rollout", "ro", has_scale=True),
        _argo("analysisruns", "AnalysisRun", "ar"),
        # Templates are configuration, not workload: not in `kubectl get all`.
        _argo("analysistemplates", "AnalysisTemplate", "at", has_status=False, categories=()),
        _argo(
            "clusteranalysistemplates",
            "ClusterAnalysisTemplate",
            "cat",
            namespaced=False,
            has_status=False,
            categories=(),
        ),
        _argo("experiments", "Experiment", "exp"),
        ResourceType(
            "apps",
            "v1",
            "replicasets",
            "ReplicaSet",
            "ReplicaSetList",
            True,
            True,
            True,
            ("rs",),
            ("all",),
            "replicaset",
            ("status.replicas",),
        ),
        ResourceType(
            "apps",
            "v1",
            "deployments",
            "Deployment",
            "DeploymentList",
            True,
            True,
            True,
            ("deploy",),
            ("all",),
            "deployment",
        ),
        ResourceType(
            "", "v1", "pods", "Pod", "PodList", True, True, False, ("po",), ("all",), "pod", _POD_FIELDS
        ),
        ResourceType(
            "", "v1", "services", "Service", "ServiceList", True, True, False, ("svc",), ("all",), "service"
        ),
        ResourceType(
            "", "v1", "secrets", "Secret", "SecretList", True, False, False, (), (), "secret", ("type",)
        ),
        ResourceType(
            "", "v1", "configmaps", "ConfigMap", "ConfigMapList", True, False, False, ("cm",), (), "configmap"
        ),
        ResourceType(
            "", "v1", "events", "Event", "EventList", True, False, False, ("ev",), (), "event", _EVENT_FIELDS
        ),
        ResourceType(
            "",
            "v1",
            "namespaces",
            "Namespace",
            "NamespaceList",
            False,
            True,
            False,
            ("ns",),
            (),
            "namespace",
            ("status.phase",),
        ),
        ResourceType(
            "",
            "v1",
            "podtemplates",
            "PodTemplate",
            "PodTemplateList",
            True,
            False,
            False,
            (),
            (),
            "podtemplate",
        ),
        ResourceType("batch", "v1", "jobs", "Job", "JobList", True, True, False, (), ("all",), "job"),
        # The traffic routers a canary's trafficRouting names (the controller writes their weights).
        ResourceType(
            "networking.k8s.io",
            "v1",
            "ingresses",
            "Ingress",
            "IngressList",
            True,
            True,
            False,
            ("ing",),
            (),
            "ingress",
        ),
        ResourceType(
            "networking.istio.io",
            "v1beta1",
            "virtualservices",
            "VirtualService",
            "VirtualServiceList",
            True,
            True,
            False,
            ("vs",),
            ("istio-io", "networking-istio-io"),
            "virtualservice",
        ),
        ResourceType(
            "networking.istio.io",
            "v1beta1",
            "destinationrules",
            "DestinationRule",
            "DestinationRuleList",
            True,
            True,
            False,
            ("dr",),
            ("istio-io", "networking-istio-io"),
            "destinationrule",
        ),
        ResourceType(
            "split.smi-spec.io",
            "v1alpha1",
            "trafficsplits",
            "TrafficSplit",
            "TrafficSplitList",
            True,
            False,
            False,
            ("ts",),
            (),
            "trafficsplit",
        ),
        ResourceType(
            "gateway.networking.k8s.io",
            "v1",
            "httproutes",
            "HTTPRoute",
            "HTTPRouteList",
            True,
            True,
            False,
            (),
            ("gateway-api",),
            "httproute",
        ),
    )
}

_BY_KIND = {rt.kind: rt for rt in RESOURCES.values()}


def by_kind(kind: str) -> ResourceType:
    """The type for a ``kind``; KeyError for a kind the simulator does not serve."""
    return _BY_KIND[kind]


def groups() -> dict[str, list[ResourceType]]:
    """Served types keyed by ``group/version`` (``v1`` for core), in table order."""
    out: dict[str, list[ResourceType]] = {}
    for rt in RESOURCES.values():
        out.setdefault(rt.api_version, []).append(rt)
    return out
