"""The columns a real cluster prints for each kind: the Argo Rollouts CRDs'
additionalPrinterColumns and kube-apiserver's built-in printers
(k8s.io/kubernetes/pkg/printers/internalversion/printers.go), simplified where they depend on
nodes or networking the simulator does not have. Ages are computed on the simulator's clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rollout_tui.model.durations import human_duration
from rollout_tui.sim.columns import (
    AGE_DOC,
    AGE_STR,
    NAME_DOC,
    Cells,
    age,
    col,
    created,
    get,
    int_or_none,
    parse_time,
)
from rollout_tui.sim.printers_routes import ROUTE_PRINTERS


# --- Argo Rollouts CRDs (additionalPrinterColumns) -----------------------------------------
def _rollout(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [
        int_or_none(get(obj, "spec", "replicas")),
        int_or_none(get(obj, "status", "replicas")),
        int_or_none(get(obj, "status", "updatedReplicas")),
        int_or_none(get(obj, "status", "availableReplicas")),
        created(obj, now),
    ]


def _phase_and_age(obj: dict[str, Any], now: datetime) -> list[Any]:
    phase = get(obj, "status", "phase")
    return [phase if isinstance(phase, str) else None, created(obj, now)]


def _age_only(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [created(obj, now)]


# --- built-in kinds (kube-apiserver's printers, simplified) ---------------------------------
def _pod(obj: dict[str, Any], now: datetime) -> list[Any]:
    status = get(obj, "status", default={})
    containers = get(obj, "spec", "containers", default=[])
    statuses = [c for c in get(status, "containerStatuses", default=[]) if isinstance(c, dict)]
    reason = get(status, "reason") or get(status, "phase") or "Unknown"
    restarts, last_restart = 0, None
    ready = 0
    for cs in reversed(statuses):
        restarts += int_or_none(cs.get("restartCount")) or 0
        finished = parse_time(get(cs, "lastState", "terminated", "finishedAt"))
        if finished and (last_restart is None or finished > last_restart):
            last_restart = finished
        waiting = get(cs, "state", "waiting", "reason")
        terminated = get(cs, "state", "terminated")
        if waiting:
            reason = waiting
        elif isinstance(terminated, dict):
            reason = terminated.get("reason") or f"ExitCode:{terminated.get('exitCode', 0)}"
        if cs.get("ready"):
            ready += 1
    if get(obj, "metadata", "deletionTimestamp"):
        reason = "Terminating"
    restart_cell = str(restarts)
    if restarts and last_restart is not None:
        restart_cell = f"{restarts} ({human_duration((now - last_restart).total_seconds())} ago)"
    return [
        f"{ready}/{len(containers) if isinstance(containers, list) else 0}",
        reason,
        restart_cell,
        created(obj, now),
        get(status, "podIP", default="<none>"),
        get(obj, "spec", "nodeName", default="<none>"),
        "<none>",
        "<none>",
    ]


def _selector(obj: dict[str, Any]) -> str:
    labels = get(obj, "spec", "selector", "matchLabels", default={})
    return (
        ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
        if isinstance(labels, dict) and labels
        else "<none>"
    )


_POD_TEMPLATE_COLUMNS = [
    AGE_STR,
    col("Containers", priority=1),
    col("Images", priority=1),
    col("Selector", priority=1),
]


def _pod_template_cells(obj: dict[str, Any], now: datetime) -> list[Any]:
    """AGE, CONTAINERS, IMAGES and SELECTOR: the last columns of ReplicaSets and Deployments."""
    containers = [
        c for c in get(obj, "spec", "template", "spec", "containers", default=[]) if isinstance(c, dict)
    ]
    return [
        created(obj, now),
        ",".join(str(c.get("name", "")) for c in containers) or "<none>",
        ",".join(str(c.get("image", "")) for c in containers) or "<none>",
        _selector(obj),
    ]


def _replicaset(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [
        int_or_none(get(obj, "spec", "replicas", default=1)),
        int_or_none(get(obj, "status", "replicas", default=0)),
        int_or_none(get(obj, "status", "readyReplicas", default=0)),
        *_pod_template_cells(obj, now),
    ]


def _deployment(obj: dict[str, Any], now: datetime) -> list[Any]:
    desired = int_or_none(get(obj, "spec", "replicas", default=1)) or 0
    return [
        f"{int_or_none(get(obj, 'status', 'readyReplicas', default=0)) or 0}/{desired}",
        int_or_none(get(obj, "status", "updatedReplicas", default=0)),
        int_or_none(get(obj, "status", "availableReplicas", default=0)),
        *_pod_template_cells(obj, now),
    ]


def _service(obj: dict[str, Any], now: datetime) -> list[Any]:
    ports = []
    for port in get(obj, "spec", "ports", default=[]):
        if isinstance(port, dict):
            node = f":{port['nodePort']}" if port.get("nodePort") else ""
            ports.append(f"{port.get('port')}{node}/{port.get('protocol') or 'TCP'}")
    selector = get(obj, "spec", "selector", default={})
    return [
        get(obj, "spec", "type", default="ClusterIP"),
        get(obj, "spec", "clusterIP", default="<none>"),
        "<none>",
        ",".join(ports) or "<none>",
        created(obj, now),
        ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
        if isinstance(selector, dict) and selector
        else "<none>",
    ]


def _event(obj: dict[str, Any], now: datetime) -> list[Any]:
    last = (
        obj.get("lastTimestamp")
        or obj.get("eventTime")
        or obj.get("firstTimestamp")
        or get(obj, "metadata", "creationTimestamp")
    )
    involved = obj.get("involvedObject") or {}
    kind = str(involved.get("kind", "")).lower()
    return [
        age(last, now),
        obj.get("type", ""),
        obj.get("reason", ""),
        f"{kind}/{involved.get('name', '')}",
        obj.get("message", ""),
    ]


def _namespace(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [get(obj, "status", "phase", default="Active"), created(obj, now)]


def _secret(obj: dict[str, Any], now: datetime) -> list[Any]:
    data = obj.get("data")
    return [obj.get("type", "Opaque"), len(data) if isinstance(data, dict) else 0, created(obj, now)]


def _configmap(obj: dict[str, Any], now: datetime) -> list[Any]:
    count = sum(len(obj[k]) for k in ("data", "binaryData") if isinstance(obj.get(k), dict))
    return [count, created(obj, now)]


def _job(obj: dict[str, Any], now: datetime) -> list[Any]:
    conditions = {
        c.get("type"): c.get("status")
        for c in get(obj, "status", "conditions", default=[])
        if isinstance(c, dict)
    }
    state = (
        "Complete"
        if conditions.get("Complete") == "True"
        else "Failed"
        if conditions.get("Failed") == "True"
        else "Suspended"
        if get(obj, "spec", "suspend")
        else "Running"
    )
    completions = int_or_none(get(obj, "spec", "completions", default=1)) or 1
    start = parse_time(get(obj, "status", "startTime"))
    end = parse_time(get(obj, "status", "completionTime")) or now
    duration = human_duration((end - start).total_seconds()) if start else ""
    return [
        state,
        f"{int_or_none(get(obj, 'status', 'succeeded', default=0)) or 0}/{completions}",
        duration,
        created(obj, now),
    ]


_AGE = col("Age", "date", AGE_DOC)
PRINTERS: dict[str, tuple[list[dict[str, Any]], Cells]] = {
    "rollouts": (
        [
            col("Desired", "integer", "Number of desired pods"),
            col("Current", "integer", "Total number of non-terminated pods targeted by this rollout"),
            col(
                "Up-to-date",
                "integer",
                "Total number of non-terminated pods targeted by this rollout "
                "that have the desired template spec",
            ),
            col(
                "Available",
                "integer",
                "Total number of available pods (ready for at least "
                "minReadySeconds) targeted by this rollout",
            ),
            col("Age", "date", "Time since resource was created"),
        ],
        _rollout,
    ),
    "analysisruns": (
        [
            col("Status", "string", "AnalysisRun status"),
            col("Age", "date", "Time since resource was created"),
        ],
        _phase_and_age,
    ),
    "experiments": (
        [
            col("Status", "string", "Experiment status"),
            col("Age", "date", "Time since resource was created"),
        ],
        _phase_and_age,
    ),
    "analysistemplates": ([col("Age", "date", "Time since resource was created")], _age_only),
    "clusteranalysistemplates": ([col("Age", "date", "Time since resource was created")], _age_only),
    "pods": (
        [
            col("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
            col("Status", description="The aggregate status of the containers in this pod."),
            col(
                "Restarts",
                description="The number of times the containers in this pod have been restarted "
                "and when the last container in this pod has restarted.",
            ),
            AGE_STR,
            col("IP", description="IP address allocated to the pod.", priority=1),
            col("Node", description="Name of the node the pod is scheduled on.", priority=1),
            col("Nominated Node", priority=1),
            col("Readiness Gates", priority=1),
        ],
        _pod,
    ),
    "replicasets": (
        [
            col("Desired", "integer", "Number of desired pods."),
            col("Current", "integer", "Number of actual pods."),
            col("Ready", "integer", "Number of ready pods."),
            *_POD_TEMPLATE_COLUMNS,
        ],
        _replicaset,
    ),
    "deployments": (
        [
            col("Ready", description="Number of the pod with ready state"),
            col("Up-to-date", "integer"),
            col("Available", "integer"),
            *_POD_TEMPLATE_COLUMNS,
        ],
        _deployment,
    ),
    "services": (
        [
            col("Type"),
            col("Cluster-IP"),
            col("External-IP"),
            col("Port(s)"),
            AGE_STR,
            col("Selector", priority=1),
        ],
        _service,
    ),
    "events": ([col("Last Seen"), col("Type"), col("Reason"), col("Object"), col("Message")], _event),
    "namespaces": ([col("Status"), AGE_STR], _namespace),
    "secrets": ([col("Type"), col("Data", "integer"), AGE_STR], _secret),
    "configmaps": ([col("Data", "integer"), AGE_STR], _configmap),
    "jobs": ([col("Status"), col("Completions"), col("Duration"), AGE_STR], _job),
}
# Events print no Name column by default (it is a hash-suffixed name nobody reads).
PRINTERS.update(ROUTE_PRINTERS)
_NAME_PRIORITY = {"events": 1}


def columns(plural: str) -> list[dict[str, Any]]:
    extra, _ = PRINTERS.get(plural, ([AGE_STR], _age_only))
    return [col("Name", "string", NAME_DOC, _NAME_PRIORITY.get(plural, 0), "name"), *extra]


def cells(plural: str, obj: dict[str, Any], now: datetime) -> list[Any]:
    _, row_cells = PRINTERS.get(plural, ([], _age_only))
    return [get(obj, "metadata", "name", default=""), *row_cells(obj, now)]
