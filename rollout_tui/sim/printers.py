"""The columns a real cluster prints for each kind: the Argo Rollouts CRDs'
additionalPrinterColumns and kube-apiserver's built-in printers
(k8s.io/kubernetes/pkg/printers/internalversion/printers.go), simplified where they depend on
nodes or networking the simulator does not have. Ages are computed on the simulator's clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from rollout_tui.model.durations import human_duration

Cells = Callable[[dict[str, Any], datetime], list[Any]]

_NAME_DOC = (
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name automatically."
)
_AGE_DOC = "CreationTimestamp is a timestamp representing the server time when this object was created."


def _col(
    name: str, kind: str = "string", description: str = "", priority: int = 0, fmt: str = ""
) -> dict[str, Any]:
    return {"name": name, "type": kind, "format": fmt, "description": description, "priority": priority}


def _get(obj: Any, *path: str, default: Any = None) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return default
        obj = obj.get(key)
    return default if obj is None else obj


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return _parse_timestamp(value)


@lru_cache(maxsize=65536)  # a fleet shares few distinct timestamps; parsing is 10% of a table
def _parse_timestamp(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def age(value: Any, now: datetime) -> str:
    when = _parse_time(value)
    return "<unknown>" if when is None else human_duration((now - when).total_seconds())


def _created(obj: dict[str, Any], now: datetime) -> str:
    return age(_get(obj, "metadata", "creationTimestamp"), now)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- Argo Rollouts CRDs (additionalPrinterColumns) -----------------------------------------
def _rollout(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [
        _int(_get(obj, "spec", "replicas")),
        _int(_get(obj, "status", "replicas")),
        _int(_get(obj, "status", "updatedReplicas")),
        _int(_get(obj, "status", "availableReplicas")),
        _created(obj, now),
    ]


def _phase_and_age(obj: dict[str, Any], now: datetime) -> list[Any]:
    phase = _get(obj, "status", "phase")
    return [phase if isinstance(phase, str) else None, _created(obj, now)]


def _age_only(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [_created(obj, now)]


# --- built-in kinds (kube-apiserver's printers, simplified) ---------------------------------
def _pod(obj: dict[str, Any], now: datetime) -> list[Any]:
    status = _get(obj, "status", default={})
    containers = _get(obj, "spec", "containers", default=[])
    statuses = [c for c in _get(status, "containerStatuses", default=[]) if isinstance(c, dict)]
    reason = _get(status, "reason") or _get(status, "phase") or "Unknown"
    restarts, last_restart = 0, None
    ready = 0
    for cs in reversed(statuses):
        restarts += _int(cs.get("restartCount")) or 0
        finished = _parse_time(_get(cs, "lastState", "terminated", "finishedAt"))
        if finished and (last_restart is None or finished > last_restart):
            last_restart = finished
        waiting = _get(cs, "state", "waiting", "reason")
        terminated = _get(cs, "state", "terminated")
        if waiting:
            reason = waiting
        elif isinstance(terminated, dict):
            reason = terminated.get("reason") or f"ExitCode:{terminated.get('exitCode', 0)}"
        if cs.get("ready"):
            ready += 1
    if _get(obj, "metadata", "deletionTimestamp"):
        reason = "Terminating"
    restart_cell = str(restarts)
    if restarts and last_restart is not None:
        restart_cell = f"{restarts} ({human_duration((now - last_restart).total_seconds())} ago)"
    return [
        f"{ready}/{len(containers) if isinstance(containers, list) else 0}",
        reason,
        restart_cell,
        _created(obj, now),
        _get(status, "podIP", default="<none>"),
        _get(obj, "spec", "nodeName", default="<none>"),
        "<none>",
        "<none>",
    ]


def _selector(obj: dict[str, Any]) -> str:
    labels = _get(obj, "spec", "selector", "matchLabels", default={})
    return (
        ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
        if isinstance(labels, dict) and labels
        else "<none>"
    )


def _template_containers(obj: dict[str, Any]) -> tuple[str, str]:
    containers = [
        c for c in _get(obj, "spec", "template", "spec", "containers", default=[]) if isinstance(c, dict)
    ]
    return (
        ",".join(str(c.get("name", "")) for c in containers) or "<none>",
        ",".join(str(c.get("image", "")) for c in containers) or "<none>",
    )


def _replicaset(obj: dict[str, Any], now: datetime) -> list[Any]:
    names, images = _template_containers(obj)
    return [
        _int(_get(obj, "spec", "replicas", default=1)),
        _int(_get(obj, "status", "replicas", default=0)),
        _int(_get(obj, "status", "readyReplicas", default=0)),
        _created(obj, now),
        names,
        images,
        _selector(obj),
    ]


def _deployment(obj: dict[str, Any], now: datetime) -> list[Any]:
    names, images = _template_containers(obj)
    desired = _int(_get(obj, "spec", "replicas", default=1)) or 0
    return [
        f"{_int(_get(obj, 'status', 'readyReplicas', default=0)) or 0}/{desired}",
        _int(_get(obj, "status", "updatedReplicas", default=0)),
        _int(_get(obj, "status", "availableReplicas", default=0)),
        _created(obj, now),
        names,
        images,
        _selector(obj),
    ]


def _service(obj: dict[str, Any], now: datetime) -> list[Any]:
    ports = []
    for port in _get(obj, "spec", "ports", default=[]):
        if isinstance(port, dict):
            node = f":{port['nodePort']}" if port.get("nodePort") else ""
            ports.append(f"{port.get('port')}{node}/{port.get('protocol') or 'TCP'}")
    selector = _get(obj, "spec", "selector", default={})
    return [
        _get(obj, "spec", "type", default="ClusterIP"),
        _get(obj, "spec", "clusterIP", default="<none>"),
        "<none>",
        ",".join(ports) or "<none>",
        _created(obj, now),
        ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
        if isinstance(selector, dict) and selector
        else "<none>",
    ]


def _event(obj: dict[str, Any], now: datetime) -> list[Any]:
    last = (
        obj.get("lastTimestamp")
        or obj.get("eventTime")
        or obj.get("firstTimestamp")
        or _get(obj, "metadata", "creationTimestamp")
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
    return [_get(obj, "status", "phase", default="Active"), _created(obj, now)]


def _secret(obj: dict[str, Any], now: datetime) -> list[Any]:
    data = obj.get("data")
    return [obj.get("type", "Opaque"), len(data) if isinstance(data, dict) else 0, _created(obj, now)]


def _configmap(obj: dict[str, Any], now: datetime) -> list[Any]:
    count = sum(len(obj[k]) for k in ("data", "binaryData") if isinstance(obj.get(k), dict))
    return [count, _created(obj, now)]


def _job(obj: dict[str, Any], now: datetime) -> list[Any]:
    conditions = {
        c.get("type"): c.get("status")
        for c in _get(obj, "status", "conditions", default=[])
        if isinstance(c, dict)
    }
    state = (
        "Complete"
        if conditions.get("Complete") == "True"
        else "Failed"
        if conditions.get("Failed") == "True"
        else "Suspended"
        if _get(obj, "spec", "suspend")
        else "Running"
    )
    completions = _int(_get(obj, "spec", "completions", default=1)) or 1
    start = _parse_time(_get(obj, "status", "startTime"))
    end = _parse_time(_get(obj, "status", "completionTime")) or now
    duration = human_duration((end - start).total_seconds()) if start else ""
    return [
        state,
        f"{_int(_get(obj, 'status', 'succeeded', default=0)) or 0}/{completions}",
        duration,
        _created(obj, now),
    ]


_AGE = _col("Age", "date", _AGE_DOC)
_AGE_STR = _col("Age", "string", _AGE_DOC)
PRINTERS: dict[str, tuple[list[dict[str, Any]], Cells]] = {
    "rollouts": (
        [
            _col("Desired", "integer", "Number of desired pods"),
            _col("Current", "integer", "Total number of non-terminated pods targeted by this rollout"),
            _col(
                "Up-to-date",
                "integer",
                "Total number of non-terminated pods targeted by this rollout "
                "that have the desired template spec",
            ),
            _col(
                "Available",
                "integer",
                "Total number of available pods (ready for at least "
                "minReadySeconds) targeted by this rollout",
            ),
            _col("Age", "date", "Time since resource was created"),
        ],
        _rollout,
    ),
    "analysisruns": (
        [
            _col("Status", "string", "AnalysisRun status"),
            _col("Age", "date", "Time since resource was created"),
        ],
        _phase_and_age,
    ),
    "experiments": (
        [
            _col("Status", "string", "Experiment status"),
            _col("Age", "date", "Time since resource was created"),
        ],
        _phase_and_age,
    ),
    "analysistemplates": ([_col("Age", "date", "Time since resource was created")], _age_only),
    "clusteranalysistemplates": ([_col("Age", "date", "Time since resource was created")], _age_only),
    "pods": (
        [
            _col("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
            _col("Status", description="The aggregate status of the containers in this pod."),
            _col(
                "Restarts",
                description="The number of times the containers in this pod have been restarted "
                "and when the last container in this pod has restarted.",
            ),
            _AGE_STR,
            _col("IP", description="IP address allocated to the pod.", priority=1),
            _col("Node", description="Name of the node the pod is scheduled on.", priority=1),
            _col("Nominated Node", priority=1),
            _col("Readiness Gates", priority=1),
        ],
        _pod,
    ),
    "replicasets": (
        [
            _col("Desired", "integer", "Number of desired pods."),
            _col("Current", "integer", "Number of actual pods."),
            _col("Ready", "integer", "Number of ready pods."),
            _AGE_STR,
            _col("Containers", priority=1),
            _col("Images", priority=1),
            _col("Selector", priority=1),
        ],
        _replicaset,
    ),
    "deployments": (
        [
            _col("Ready", description="Number of the pod with ready state"),
            _col("Up-to-date", "integer"),
            _col("Available", "integer"),
            _AGE_STR,
            _col("Containers", priority=1),
            _col("Images", priority=1),
            _col("Selector", priority=1),
        ],
        _deployment,
    ),
    "services": (
        [
            _col("Type"),
            _col("Cluster-IP"),
            _col("External-IP"),
            _col("Port(s)"),
            _AGE_STR,
            _col("Selector", priority=1),
        ],
        _service,
    ),
    "events": ([_col("Last Seen"), _col("Type"), _col("Reason"), _col("Object"), _col("Message")], _event),
    "namespaces": ([_col("Status"), _AGE_STR], _namespace),
    "secrets": ([_col("Type"), _col("Data", "integer"), _AGE_STR], _secret),
    "configmaps": ([_col("Data", "integer"), _AGE_STR], _configmap),
    "jobs": ([_col("Status"), _col("Completions"), _col("Duration"), _AGE_STR], _job),
}
# Events print no Name column by default (it is a hash-suffixed name nobody reads).
_NAME_PRIORITY = {"events": 1}


def columns(plural: str) -> list[dict[str, Any]]:
    extra, _ = PRINTERS.get(plural, ([_AGE_STR], _age_only))
    return [_col("Name", "string", _NAME_DOC, _NAME_PRIORITY.get(plural, 0), "name"), *extra]


def cells(plural: str, obj: dict[str, Any], now: datetime) -> list[Any]:
    _, row_cells = PRINTERS.get(plural, ([], _age_only))
    return [_get(obj, "metadata", "name", default=""), *row_cells(obj, now)]
