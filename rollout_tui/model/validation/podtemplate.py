"""The pod template rules a Rollout's template must pass: ValidatePodTemplateSpecForReplicaSet of
k8s.io/kubernetes/pkg/apis/apps/validation, after the defaults the controller applies first
(pkg/apis/rollouts/validation/validation.go). Fields the defaults fill (restartPolicy, dnsPolicy,
imagePullPolicy, port protocol, probe thresholds) are checked only when the manifest sets them.

Covered: selector vs. template labels, labels and annotations, volumes (name, exactly one source),
containers and init containers (name, image, ports, env names, volume mounts, pull and termination
message policies, probe handlers and counters), restart and DNS policies, node selector, service
account, hostname, subdomain and priority class names, activeDeadlineSeconds. Not covered: security
contexts, affinity, tolerations, topology spread, resource quantities, DNS config.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rollout_tui.model.fields import as_dict, as_list
from rollout_tui.model.validation.errors import (
    FieldError,
    child,
    duplicate,
    forbidden,
    index,
    invalid,
    not_found,
    not_supported,
    required,
)
from rollout_tui.model.validation.names import (
    inclusive_range_error,
    is_dns1123_subdomain,
    is_valid_port_name,
    is_valid_port_num,
    selector_matches,
    validate_annotations,
    validate_dns_label,
    validate_labels,
)

VOLUME_SOURCES = (
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
)
HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
PROBE_COUNTERS = (
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
)
IS_NEGATIVE = "must be greater than or equal to 0"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def validate_template_for_replicaset(template: Any, selector: Any, path: str) -> list[FieldError]:
    template = as_dict(template)
    meta, spec = as_dict(template.get("metadata")), as_dict(template.get("spec"))
    errs: list[FieldError] = []
    if selector_matches(selector, meta.get("labels")) is False:
        errs.append(
            invalid(
                child(path, "metadata", "labels"),
                meta.get("labels"),
                "`selector` does not match template `labels`",
            )
        )
    errs += validate_labels(meta.get("labels"), child(path, "labels"))
    errs += validate_annotations(meta.get("annotations"), child(path, "annotations"))
    errs += validate_pod_spec(spec, child(path, "spec"))
    restart = spec.get("restartPolicy")
    if restart not in (None, "", "Always"):
        errs.append(not_supported(child(path, "spec", "restartPolicy"), restart, ["Always"]))
    if spec.get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden(
                child(path, "spec", "activeDeadlineSeconds"),
                "activeDeadlineSeconds in ReplicaSet is not Supported",
            )
        )
    return errs


def validate_pod_spec(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    volumes, errs = _volumes(as_list(spec.get("volumes")), child(path, "volumes"))
    errs += _containers(as_list(spec.get("containers")), volumes, child(path, "containers"))
    errs += _init_containers(spec, volumes, child(path, "initContainers"))
    errs += _enum(spec.get("restartPolicy"), ["Always", "OnFailure", "Never"], child(path, "restartPolicy"))
    errs += _enum(
        spec.get("dnsPolicy"),
        ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        child(path, "dnsPolicy"),
    )
    errs += validate_labels(spec.get("nodeSelector"), child(path, "nodeSelector"))
    for name in ("serviceAccountName", "nodeName"):
        value = _text(spec.get(name))
        errs += [invalid(child(path, name), value, m) for m in (is_dns1123_subdomain(value) if value else [])]
    deadline = spec.get("activeDeadlineSeconds")
    if isinstance(deadline, int) and not 1 <= deadline <= 2**31 - 1:
        errs.append(
            invalid(child(path, "activeDeadlineSeconds"), deadline, inclusive_range_error(1, 2**31 - 1))
        )
    for name in ("hostname", "subdomain"):
        if _text(spec.get(name)):
            errs += validate_dns_label(spec[name], child(path, name))
    priority = _text(spec.get("priorityClassName"))
    errs += [
        invalid(child(path, "priorityClassName"), priority, m)
        for m in (is_dns1123_subdomain(priority) if priority else [])
    ]
    return errs


def _enum(value: Any, allowed: list[str], path: str) -> list[FieldError]:
    if value in (None, "") or value in allowed:
        return []
    return [not_supported(path, value, allowed)]


def _volumes(volumes: list[Any], path: str) -> tuple[set[str], list[FieldError]]:
    names: set[str] = set()
    errs: list[FieldError] = []
    for i, volume in enumerate(volumes):
        volume, vpath = as_dict(volume), index(path, i)
        sources = [s for s in VOLUME_SOURCES if volume.get(s) is not None]
        if not sources:
            errs.append(required(vpath, "must specify a volume type"))
        for extra in sources[1:]:
            errs.append(forbidden(child(vpath, extra), "may not specify more than 1 volume type"))
        name = _text(volume.get("name"))
        if not name:
            errs.append(required(child(vpath, "name")))
        else:
            errs += validate_dns_label(name, child(vpath, "name"))
        if name in names:
            errs.append(duplicate(child(vpath, "name"), name))
        names.add(name)
    return names, errs


def _containers(containers: list[Any], volumes: set[str], path: str) -> list[FieldError]:
    if not containers:
        return [required(path)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, container in enumerate(containers):
        container, cpath = as_dict(container), index(path, i)
        errs += _container_common(container, volumes, cpath)
        name = _text(container.get("name"))
        if name in names:
            errs.append(duplicate(child(cpath, "name"), name))
        names.add(name)
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            if isinstance(container.get(probe), Mapping):
                errs += _probe(container[probe], child(cpath, probe), probe != "readinessProbe")
        if container.get("restartPolicy") is not None:
            errs.append(forbidden(child(cpath, "restartPolicy"), "may not be set for non-init containers"))
    return errs


def _init_containers(spec: Mapping[str, Any], volumes: set[str], path: str) -> list[FieldError]:
    names = {_text(as_dict(c).get("name")) for c in as_list(spec.get("containers"))}
    errs: list[FieldError] = []
    for i, container in enumerate(as_list(spec.get("initContainers"))):
        container, cpath = as_dict(container), index(path, i)
        errs += _container_common(container, volumes, cpath)
        name = _text(container.get("name"))
        if name in names:
            errs.append(duplicate(child(cpath, "name"), name))
        elif name:
            names.add(name)
        if container.get("restartPolicy") != "Always":
            for field in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if container.get(field) is not None:
                    errs.append(
                        forbidden(
                            child(cpath, field),
                            "may not be set for init containers without restartPolicy=Always",
                        )
                    )
    return errs


def _container_common(container: Mapping[str, Any], volumes: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = _text(container.get("name"))
    if not name:
        errs.append(required(child(path, "name")))
    else:
        errs += validate_dns_label(name, child(path, "name"))
    if not _text(container.get("image")):
        errs.append(required(child(path, "image")))
    errs += _enum(
        container.get("terminationMessagePolicy"),
        ["File", "FallbackToLogsOnError"],
        child(path, "terminationMessagePolicy"),
    )
    errs += _ports(as_list(container.get("ports")), child(path, "ports"))
    errs += _env(as_list(container.get("env")), child(path, "env"))
    errs += _mounts(as_list(container.get("volumeMounts")), volumes, child(path, "volumeMounts"))
    errs += _enum(
        container.get("imagePullPolicy"), ["Always", "IfNotPresent", "Never"], child(path, "imagePullPolicy")
    )
    return errs


def _ports(ports: list[Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        port, ppath = as_dict(port), index(path, i)
        name = _text(port.get("name"))
        if name:
            messages = is_valid_port_name(name)
            errs += [invalid(child(ppath, "name"), name, m) for m in messages]
            if not messages and name in names:
                errs.append(duplicate(child(ppath, "name"), name))
            names.add(name)
        number = port.get("containerPort")
        if not number:
            errs.append(required(child(ppath, "containerPort")))
        elif isinstance(number, int):
            errs += [invalid(child(ppath, "containerPort"), number, m) for m in is_valid_port_num(number)]
        host = port.get("hostPort")
        if isinstance(host, int) and host:
            errs += [invalid(child(ppath, "hostPort"), host, m) for m in is_valid_port_num(host)]
        errs += _enum(port.get("protocol"), ["SCTP", "TCP", "UDP"], child(ppath, "protocol"))
    return errs


def _env(env: list[Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, var in enumerate(env):
        name = _text(as_dict(var).get("name"))
        if not name:
            errs.append(required(child(index(path, i), "name")))
        elif "=" in name or not all(" " <= ch <= "~" for ch in name):
            message = "a valid environment variable name must consist only of printable ASCII characters other than '='"
            errs.append(invalid(child(index(path, i), "name"), name, message))
    return errs


def _mounts(mounts: list[Any], volumes: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, mount in enumerate(mounts):
        mount, mpath = as_dict(mount), index(path, i)
        name, target = _text(mount.get("name")), _text(mount.get("mountPath"))
        if not name:
            errs.append(required(child(mpath, "name")))
        if name not in volumes:
            errs.append(not_found(child(mpath, "name"), name))
        if not target:
            errs.append(required(child(mpath, "mountPath")))
        if target in seen:
            errs.append(invalid(child(mpath, "mountPath"), target, "must be unique"))
        seen.add(target)
    return errs


def _probe(probe: Mapping[str, Any], path: str, success_must_be_one: bool) -> list[FieldError]:
    handlers = [h for h in HANDLERS if probe.get(h) is not None]
    errs = [required(path, "must specify a handler type")] if not handlers else []
    errs += [forbidden(child(path, h), "may not specify more than 1 handler type") for h in handlers[1:]]
    if handlers == ["exec"] and not as_list(as_dict(probe["exec"]).get("command")):
        errs.append(required(child(path, "exec", "command")))
    if handlers == ["httpGet"]:
        errs += _port_num_or_name(as_dict(probe["httpGet"]).get("port"), child(path, "httpGet", "port"))
    if handlers == ["tcpSocket"]:
        errs += _port_num_or_name(as_dict(probe["tcpSocket"]).get("port"), child(path, "tcpSocket", "port"))
    for counter in PROBE_COUNTERS:
        value = probe.get(counter)
        if isinstance(value, int) and value < 0:
            errs.append(invalid(child(path, counter), value, IS_NEGATIVE))
    success = probe.get("successThreshold")
    if success_must_be_one and isinstance(success, int) and success not in (0, 1):
        errs.append(invalid(child(path, "successThreshold"), success, "must be 1"))
    return errs


def _port_num_or_name(port: Any, path: str) -> list[FieldError]:
    if isinstance(port, bool) or port is None:
        return [invalid(path, 0, m) for m in is_valid_port_num(0)]
    if isinstance(port, int):
        return [invalid(path, port, m) for m in is_valid_port_num(port)]
    return [invalid(path, str(port), m) for m in is_valid_port_name(str(port))]
