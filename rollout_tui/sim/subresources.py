"""The ``scale`` subresource: a Scale view of Rollouts, ReplicaSets and Deployments."""

from __future__ import annotations

from typing import Any

from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.patch import apply_patch
from rollout_tui.sim.resources import ResourceType
from rollout_tui.sim.store import Store


def scale_of(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj["metadata"]
    status = obj.get("status") or {}
    selector = status.get("selector")
    if not isinstance(selector, str):
        labels = ((obj.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
        selector = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            k: meta[k]
            for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if k in meta
        },
        "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 1)},
        # Rollouts declare statusReplicasPath .status.HPAReplicas in their CRD.
        "status": {
            "replicas": status.get("HPAReplicas", status.get("replicas", 0))
            if obj.get("kind") == "Rollout"
            else status.get("replicas", 0),
            "selector": selector,
        },
    }


def set_scale(
    store: Store, rt: ResourceType, namespace: str | None, name: str, scale: dict[str, Any], rv: Any = None
) -> dict[str, Any]:
    """Write ``scale.spec.replicas`` to the object (409 if ``rv`` is given and stale)."""
    replicas = (scale.get("spec") or {}).get("replicas")
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        raise ApiError(
            422,
            "Invalid",
            f'Scale.autoscaling "{name}" is invalid: spec.replicas: Invalid '
            f"value: {replicas!r}: must be a non-negative integer",
        )

    def set_replicas(obj: dict[str, Any]) -> None:
        if rv and str(rv) != obj["metadata"]["resourceVersion"]:
            raise store.conflict(rt, name)
        obj.setdefault("spec", {})["replicas"] = replicas

    return scale_of(store.mutate(rt.plural, namespace, name, set_replicas))


def patch_scale(
    store: Store, rt: ResourceType, namespace: str | None, name: str, patch: Any, content_type: str
) -> dict[str, Any]:
    current = scale_of(store.get(rt.plural, namespace, name))
    patched = apply_patch(current, patch, content_type, strategic=True)  # Scale is a built-in kind
    if not isinstance(patched, dict):
        raise bad_request("the patched object is not a Scale")
    rv = (patched.get("metadata") or {}).get("resourceVersion")
    return set_scale(
        store, rt, namespace, name, patched, rv if rv != current["metadata"].get("resourceVersion") else None
    )
