"""Analysis arguments as the plugin's ``create analysisrun`` handles them (ParseArgFlags in
pkg/kubectl-argo-rollouts/cmd/create/create.go; MergeArgs, ResolveArgs and
NewAnalysisRunFromUnstructured in utils/analysis/helpers.go)."""

from __future__ import annotations

import copy
from typing import Any


class ArgumentError(ValueError):
    """The plugin's message, e.g. ``args.foo was not resolved``."""


def parse_arguments(flags: list[str]) -> list[dict[str, Any]]:
    """``-a NAME=VALUE`` flags -> Argument objects."""
    arguments = []
    for flag in flags:
        name, sep, value = flag.partition("=")
        if not sep:
            raise ArgumentError("arguments must be in the form NAME=VALUE")
        arguments.append({"name": name, "value": value})
    return arguments


def merge_arguments(incoming: list[dict[str, Any]], template: list[Any]) -> list[dict[str, Any]]:
    """MergeArgs: the template's arguments, given values by name; every one must end up resolved.
    Incoming arguments the template does not declare are dropped."""
    merged = [dict(a) for a in template if isinstance(a, dict)]
    for arg in incoming:
        for existing in merged:
            if existing.get("name") == arg.get("name"):
                if arg.get("value") is not None:
                    existing["value"] = arg["value"]
                elif arg.get("valueFrom") is not None:
                    existing["valueFrom"] = arg["valueFrom"]
                break
    for arg in merged:
        if arg.get("value") is None and arg.get("valueFrom") is None:
            raise ArgumentError(f"args.{arg.get('name', '')} was not resolved")
    return merged


def analysisrun_from_template(
    template: dict[str, Any], arguments: list[dict[str, Any]], name: str, generate_name: str, namespace: str
) -> dict[str, Any]:
    """NewAnalysisRunFromUnstructured: the template itself, turned into an AnalysisRun."""
    run = copy.deepcopy(template)
    spec: dict[str, Any] = run["spec"] if isinstance(run.get("spec"), dict) else {}
    declared = spec.get("args")
    if declared is None:  # the template declares none: the given ones are used as they are
        merged = arguments
    else:
        merged = merge_arguments(arguments, declared if isinstance(declared, list) else [])
    meta: dict[str, Any] = run["metadata"] if isinstance(run.get("metadata"), dict) else {}
    meta.update({"name": name, "generateName": generate_name, "namespace": namespace})
    meta.pop("resourceVersion", None)
    run.update({"kind": "AnalysisRun", "metadata": meta})
    if merged:
        spec["args"] = merged
        run["spec"] = spec
    return run
