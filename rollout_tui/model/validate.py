"""Shape checks that turn malformed objects into warnings the UI and CLI can show.

The model never trusts types (see fields.py); this module only explains what it had to ignore,
e.g. `ReplicaSet "web-abc": status.replicas: expected integer, got str`.
"""

from __future__ import annotations

from typing import Any

from rollout_tui.model.fields import as_str, check_type, dig, parse_time

_COMMON: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("metadata", dict),
    ("metadata.name", str),
    ("metadata.namespace", str),
    ("metadata.uid", str),
    ("metadata.labels", dict),
    ("metadata.annotations", dict),
    ("metadata.ownerReferences", list),
    ("spec", dict),
    ("status", dict),
)
_BY_KIND: dict[str, tuple[tuple[str, type | tuple[type, ...]], ...]] = {
    "Rollout": (
        ("metadata.generation", int),
        ("spec.replicas", int),
        ("spec.paused", bool),
        ("spec.strategy", dict),
        ("spec.strategy.canary", dict),
        ("spec.strategy.blueGreen", dict),
        ("spec.strategy.canary.steps", list),
        ("status.currentStepIndex", int),
        ("status.replicas", int),
        ("status.updatedReplicas", int),
        ("status.readyReplicas", int),
        ("status.availableReplicas", int),
        ("status.conditions", list),
        ("status.pauseConditions", list),
        ("status.observedGeneration", (str, int)),
        ("status.stableRS", str),
        ("status.currentPodHash", str),
        ("status.abort", bool),
        ("status.phase", str),
        ("status.message", str),
        ("status.canary", dict),
        ("status.blueGreen", dict),
    ),
    "ReplicaSet": (
        ("metadata.generation", int),
        ("spec.replicas", int),
        ("spec.template", dict),
        ("status.replicas", int),
        ("status.readyReplicas", int),
        ("status.availableReplicas", int),
        ("status.observedGeneration", int),
        ("status.conditions", list),
    ),
    "Pod": (
        ("spec.containers", list),
        ("spec.initContainers", list),
        ("status.phase", str),
        ("status.reason", str),
        ("status.containerStatuses", list),
        ("status.initContainerStatuses", list),
    ),
    "AnalysisRun": (
        ("spec.metrics", list),
        ("spec.args", list),
        ("status.phase", str),
        ("status.metricResults", list),
    ),
    "Experiment": (("status.phase", str), ("status.message", str)),
}


def object_warnings(obj: Any, kind: str) -> list[str]:
    """What is wrong with the shape of one object, each message naming the object."""
    if not isinstance(obj, dict):
        return [f"{kind}: not an object ({type(obj).__name__})"]
    name = as_str(dig(obj, "metadata", "name")) or "<unnamed>"
    found: list[str] = []
    for path, expected in (*_COMMON, *_BY_KIND.get(kind, ())):
        check_type(found, path, dig(obj, *path.split(".")), expected)
    if not dig(obj, "metadata", "name"):
        found.append("metadata.name is missing")
    created = dig(obj, "metadata", "creationTimestamp")
    if created is not None and parse_time(created) is None:
        found.append("metadata.creationTimestamp is not a timestamp")
    return [f'{kind} "{name[:80]}": {message}' for message in found]
