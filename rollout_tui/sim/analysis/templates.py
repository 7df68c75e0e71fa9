"""Building AnalysisRuns from (Cluster)AnalysisTemplates, as the rollout and experiment controllers do.

Templates' metrics are merged in order, arguments resolved (template defaults < caller values;
`valueFrom.podTemplateHashValue` and simple `fieldRef`s), and `{{args.NAME}}` substituted in every
string of the metrics. A missing template or unresolved argument is reported, never guessed.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from rollout_tui.sim.analysis.providers import MODE_ANNOTATION

_PLACEHOLDER = re.compile(r"\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}")


class TemplateError(Exception):
    """A referenced template is missing or its arguments cannot be resolved."""


@dataclass
class RunRequest:
    name: str
    namespace: str
    owner: dict[str, Any]
    template_refs: list[dict[str, Any]]
    args: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    pod_hashes: dict[str, str] = field(default_factory=dict)  # "Stable"/"Latest" -> hash


def find_template(cache: Any, namespace: str, ref: dict[str, Any]) -> dict[str, Any]:
    name = str(ref.get("templateName") or "")
    if ref.get("clusterScope"):
        found = cache.get("clusteranalysistemplates", "", name)
        if found is None:
            raise TemplateError(f"ClusterAnalysisTemplate '{name}' not found")
        return found
    found = cache.get("analysistemplates", namespace, name)
    if found is None:
        raise TemplateError(f"AnalysisTemplate '{name}' not found")
    return found


def build_run(cache: Any, request: RunRequest, owner_ref: dict[str, Any]) -> dict[str, Any]:
    metrics: list[dict[str, Any]] = []
    template_args: list[dict[str, Any]] = []
    dry_run: list[dict[str, Any]] = []
    retention: list[dict[str, Any]] = []
    mode = None
    per_metric: dict[str, str] = {}
    for ref in request.template_refs:
        template = find_template(cache, request.namespace, ref)
        spec = template.get("spec") or {}
        metrics += copy.deepcopy([m for m in spec.get("metrics") or [] if isinstance(m, dict)])
        template_args += [a for a in spec.get("args") or [] if isinstance(a, dict)]
        dry_run += spec.get("dryRun") or []
        retention += spec.get("measurementRetention") or []
        notes = (template.get("metadata") or {}).get("annotations") or {}
        mode = mode or notes.get(MODE_ANNOTATION)
        per_metric.update({k: str(v) for k, v in notes.items() if k.startswith(MODE_ANNOTATION + ".")})
    args = resolve_args(template_args, request.args, request)
    values = {a["name"]: a.get("value") for a in args if "value" in a}
    metrics = [_interpolate(m, values) for m in metrics]
    annotations = dict(request.annotations)
    if mode and MODE_ANNOTATION not in annotations:
        annotations[MODE_ANNOTATION] = str(mode)
    for key, value in per_metric.items():
        annotations.setdefault(key, value)
    run: dict[str, Any] = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AnalysisRun",
        "metadata": {
            "name": request.name,
            "namespace": request.namespace,
            "labels": dict(request.labels),
            "ownerReferences": [owner_ref],
        },
        "spec": {"metrics": metrics},
    }
    if annotations:
        run["metadata"]["annotations"] = annotations
    if args:
        run["spec"]["args"] = args
    if dry_run:
        run["spec"]["dryRun"] = dry_run
    if retention:
        run["spec"]["measurementRetention"] = retention
    return run


def resolve_args(
    template_args: list[dict[str, Any]], given: list[dict[str, Any]], request: RunRequest
) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for arg in template_args:
        if arg.get("name"):
            merged[str(arg["name"])] = dict(arg)
    for arg in given or []:
        if isinstance(arg, dict) and arg.get("name"):
            merged[str(arg["name"])] = {**merged.get(str(arg["name"]), {}), **arg}
    out = []
    for name, arg in merged.items():
        resolved: dict[str, Any] = {"name": name}
        if "value" in arg and arg["value"] is not None:
            resolved["value"] = str(arg["value"])
        elif isinstance(arg.get("valueFrom"), dict):
            resolved["value"] = _value_from(arg["valueFrom"], request)
        else:
            raise TemplateError(f"args.{name} was not resolved")
        out.append(resolved)
    return out


def _value_from(source: dict[str, Any], request: RunRequest) -> str:
    if source.get("podTemplateHashValue"):
        return request.pod_hashes.get(str(source["podTemplateHashValue"]), "")
    path = str((source.get("fieldRef") or {}).get("fieldPath") or "")
    if path:
        return _field(request.owner, path)
    return ""


def _field(obj: dict[str, Any], path: str) -> str:
    """The fieldRef subset rollouts use: metadata.name, metadata.labels['x'], spec.a.b..."""
    current: Any = obj
    for part in re.findall(r"[^.\[\]]+|\['[^']*'\]|\[\"[^\"]*\"\]", path):
        key = part.strip("[]'\"")
        if isinstance(current, dict):
            current = current.get(key)
        elif isinstance(current, list) and key.isdigit() and int(key) < len(current):
            current = current[int(key)]
        else:
            return ""
    if current is None:
        return ""
    return str(current)


def _interpolate(value: Any, args: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: str(args.get(m[1], m[0])), value)
    if isinstance(value, list):
        return [_interpolate(v, args) for v in value]
    if isinstance(value, dict):
        return {k: _interpolate(v, args) for k, v in value.items()}
    return value
