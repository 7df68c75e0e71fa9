"""What a revision changes: the pod-template diff between two revisions (images, command, args,
env, resources, probes, ports, containers added or removed), and its one-line summary for the
confirmations ("image red → blue, env LOG_LEVEL added").

Templates are read from the ReplicaSets (`spec.template`), the same ones `undo` rolls back to
(pkg/kubectl-argo-rollouts/cmd/undo/undo.go). Pure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rollout_tui.model.fields import as_dict, as_list, as_str

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


@dataclass(frozen=True, slots=True)
class ContainerFacts:
    name: str
    init: bool
    fields: tuple[tuple[str, str], ...]  # (field, value): "image", "env LOG_LEVEL", "limits.cpu"...


@dataclass(frozen=True, slots=True)
class TemplateFacts:
    containers: tuple[ContainerFacts, ...]
    pod: tuple[tuple[str, str], ...]  # pod-level fields: "serviceAccountName", "label app"...


@dataclass(frozen=True, slots=True)
class Change:
    container: str  # "" for a pod-level field
    field: str  # "image", "env LOG_LEVEL", "args", "readinessProbe", "container" (added/removed)
    op: str  # ADDED, REMOVED or CHANGED
    old: str
    new: str


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _env(container: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for var in as_list(container.get("env")):
        var = as_dict(var)
        name = as_str(var.get("name"))
        if "valueFrom" in var:
            source = as_dict(var.get("valueFrom"))
            kind = next(iter(source), "")
            ref = as_dict(source.get(kind))
            value = (
                f"<from {kind} {as_str(ref.get('name'))} {as_str(ref.get('key') or ref.get('fieldPath'))}>"
            )
        else:
            value = as_str(var.get("value"))
        out.append((f"env {name}", value.strip()))
    for source in as_list(container.get("envFrom")):
        source = as_dict(source)
        for kind in ("configMapRef", "secretRef"):
            if kind in source:
                out.append((f"envFrom {kind} {as_str(as_dict(source[kind]).get('name'))}", "*"))
    return out


def _container_facts(container: Mapping[str, Any], init: bool) -> ContainerFacts:
    fields: list[tuple[str, str]] = [("image", as_str(container.get("image")))]
    for key in ("command", "args"):
        if container.get(key):
            fields.append((key, " ".join(as_str(a) for a in as_list(container.get(key)))))
    fields += _env(container)
    resources = as_dict(container.get("resources"))
    for group in ("requests", "limits"):
        for name, value in sorted(as_dict(resources.get(group)).items()):
            fields.append((f"{group}.{name}", as_str(value)))
    for probe in PROBES:
        if container.get(probe):
            fields.append((probe, _text(container.get(probe))))
    for port in as_list(container.get("ports")):
        port = as_dict(port)
        label = as_str(port.get("name")) or as_str(port.get("containerPort"))
        fields.append(
            (f"port {label}", f"{as_str(port.get('containerPort'))}/{as_str(port.get('protocol')) or 'TCP'}")
        )
    for key in ("imagePullPolicy", "workingDir", "securityContext", "volumeMounts", "lifecycle"):
        if container.get(key):
            fields.append((key, _text(container.get(key))))
    return ContainerFacts(as_str(container.get("name")), init, tuple(fields))


def template_facts(template: Any) -> TemplateFacts:
    """The comparable parts of a pod template (a ReplicaSet's or a Rollout's spec.template)."""
    spec = as_dict(as_dict(template).get("spec"))
    containers = [_container_facts(as_dict(c), True) for c in as_list(spec.get("initContainers"))]
    containers += [_container_facts(as_dict(c), False) for c in as_list(spec.get("containers"))]
    pod: list[tuple[str, str]] = []
    for key in (
        "serviceAccountName",
        "nodeSelector",
        "tolerations",
        "affinity",
        "volumes",
        "securityContext",
    ):
        if spec.get(key):
            pod.append((key, _text(spec.get(key))))
    labels = as_dict(as_dict(as_dict(template).get("metadata")).get("labels"))
    for name, value in sorted(labels.items()):
        if name != "rollouts-pod-template-hash":  # the controller's own label differs by design
            pod.append((f"label {name}", as_str(value)))
    return TemplateFacts(tuple(containers), tuple(pod))


def _field_changes(container: str, old: Any, new: Any) -> list[Change]:
    before, after = dict(old), dict(new)
    changes = []
    for key in dict.fromkeys([*before, *after]):
        if key not in after:
            changes.append(Change(container, key, REMOVED, before[key], ""))
        elif key not in before:
            changes.append(Change(container, key, ADDED, "", after[key]))
        elif before[key] != after[key]:
            changes.append(Change(container, key, CHANGED, before[key], after[key]))
    return changes


def template_diff(old: TemplateFacts, new: TemplateFacts) -> tuple[Change, ...]:
    """What `new` changes relative to `old`, container by container, then the pod's own fields."""
    changes: list[Change] = []
    before = {c.name: c for c in old.containers}
    after = {c.name: c for c in new.containers}
    for name in dict.fromkeys([*before, *after]):
        if name not in after:
            changes.append(Change(name, "container", REMOVED, before[name].fields[0][1], ""))
        elif name not in before:
            changes.append(Change(name, "container", ADDED, "", after[name].fields[0][1]))
        else:
            changes += _field_changes(name, before[name].fields, after[name].fields)
    changes += _field_changes("", old.pod, new.pod)
    return tuple(changes)


def _short_images(old: str, new: str) -> tuple[str, str]:
    """Only the tags when the repository is the same: "red → blue" reads faster than two paths."""
    old_repo, _, old_tag = old.rpartition(":")
    new_repo, _, new_tag = new.rpartition(":")
    if old_repo and old_repo == new_repo and "/" not in old_tag and "/" not in new_tag:
        return old_tag, new_tag
    return old, new


def _phrase(change: Change, arrow: str, several: bool) -> str:
    who = f"{change.container}: " if several and change.container else ""
    if change.field == "container":
        return f"{who}container {change.op}"
    if change.op == CHANGED and change.field == "image":
        old, new = _short_images(change.old, change.new)
        return f"{who}image {old} {arrow} {new}"
    if change.op == CHANGED and len(change.old) <= 16 and len(change.new) <= 16:
        return f"{who}{change.field} {change.old} {arrow} {change.new}"
    return f"{who}{change.field} {change.op}"


def summary(changes: tuple[Change, ...], arrow: str = "→", limit: int = 4) -> str:
    """One line: the first `limit` changes, images first, then "and N more"."""
    if not changes:
        return "no change to the pod template"
    ordered = sorted(changes, key=lambda c: (c.field != "image", c.field == "container"))
    several = len({c.container for c in changes if c.container}) > 1
    phrases = [_phrase(c, arrow, several) for c in ordered[:limit]]
    if len(changes) > limit:
        phrases.append(f"and {len(changes) - limit} more")
    return ", ".join(phrases)
