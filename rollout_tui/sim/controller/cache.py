"""The controller's informer: an in-memory copy of the objects it watches, fed by store events.

Reconcilers read from here instead of listing the store, so a reconcile costs O(own children)
however large the fleet is. Objects are the store's event copies and are treated as read-only;
writes go through the store, whose listener brings the result back here.
"""

from __future__ import annotations

import json
import threading
from typing import Any

Key = tuple[str, str, str]  # (plural, namespace, name)

WATCHED = (
    "rollouts",
    "deployments",
    "replicasets",
    "pods",
    "analysisruns",
    "experiments",
    "services",
    "analysistemplates",
    "clusteranalysistemplates",
)


def _rv(obj: dict[str, Any]) -> int:
    try:
        return int(obj.get("metadata", {}).get("resourceVersion") or 0)
    except (TypeError, ValueError):
        return 0


def key_of(plural: str, obj: dict[str, Any]) -> Key:
    meta = obj.get("metadata", {})
    return (plural, meta.get("namespace") or "", meta.get("name") or "")


class ObjectCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._objects: dict[str, dict[tuple[str, str], dict[str, Any]]] = {p: {} for p in WATCHED}
        self._children: dict[str, set[Key]] = {}  # owner uid -> dependents

    def apply(self, event_type: str, plural: str, obj: dict[str, Any]) -> bool:
        """Record a store event; False when it is older than what is cached (out-of-order listener)."""
        bucket = self._objects.get(plural)
        if bucket is None:
            return False
        if plural == "pods":
            obj = slim_pod(obj)
        key = key_of(plural, obj)
        with self._lock:
            old = bucket.get(key[1:])
            if old is not None and _rv(old) > _rv(obj):
                return False
            if old is not None:
                for uid in _owner_uids(old):
                    self._children.get(uid, set()).discard(key)
            if event_type == "DELETED":
                bucket.pop(key[1:], None)
            else:
                bucket[key[1:]] = obj
                for uid in _owner_uids(obj):
                    self._children.setdefault(uid, set()).add(key)
        return True

    def get(self, plural: str, namespace: str, name: str) -> dict[str, Any] | None:
        return self._objects[plural].get((namespace, name))

    def all(self, plural: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._objects[plural].values())

    def keys(self, plural: str) -> list[Key]:
        with self._lock:
            return [(plural, ns, name) for ns, name in self._objects[plural]]

    def children(self, owner_uid: str, plural: str) -> list[dict[str, Any]]:
        with self._lock:
            keys = [k for k in self._children.get(owner_uid, ()) if k[0] == plural]
            found = [self._objects[plural].get(k[1:]) for k in keys]
        return [obj for obj in found if obj is not None]

    def owned(self, owner: dict[str, Any], plural: str) -> list[dict[str, Any]]:
        """Children whose ownerReference names this owner by uid *and* name: seeded fixtures can
        repeat a uid across objects, and two owners must never fight over one child."""
        meta = owner.get("metadata", {})
        uid, name, kind = meta.get("uid", ""), meta.get("name"), owner.get("kind")
        out = []
        for child in self.children(uid, plural):
            for ref in child.get("metadata", {}).get("ownerReferences") or []:
                if (
                    isinstance(ref, dict)
                    and ref.get("uid") == uid
                    and ref.get("name") == name
                    and (not kind or ref.get("kind") == kind)
                ):
                    out.append(child)
                    break
        return out

    def count(self, plural: str) -> int:
        return len(self._objects[plural])


def _owner_uids(obj: dict[str, Any]) -> list[str]:
    refs = obj.get("metadata", {}).get("ownerReferences") or []
    return [r["uid"] for r in refs if isinstance(r, dict) and isinstance(r.get("uid"), str)]


def controller_owner(obj: dict[str, Any]) -> dict[str, Any] | None:
    for ref in obj.get("metadata", {}).get("ownerReferences") or []:
        if isinstance(ref, dict) and ref.get("controller"):
            return ref
    return None


POD_FINGERPRINT = "_fingerprint"
POD_READY = "_ready"


def status_fingerprint(status: Any) -> int:
    return hash(json.dumps(status, sort_keys=True, separators=(",", ":")))


_KUBELET_FIELDS = (
    "name",
    "image",
    "ports",
    "readinessProbe",
    "livenessProbe",
    "resources",
    "terminationMessagePolicy",
)


def slim_pod(pod: dict[str, Any]) -> dict[str, Any]:
    """What the controller and its kubelet need of a pod. Pods are most of a fleet's objects;
    keeping their full status would double the simulator's memory, so the cache keeps a
    fingerprint and readiness, and of the spec what the kubelet's plan reads."""
    meta = pod.get("metadata", {})
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    ready = any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in status.get("conditions") or []
        if isinstance(c, dict)
    )
    slim_spec: dict[str, Any] = {
        "containers": [
            {k: c[k] for k in _KUBELET_FIELDS if k in c}
            for c in spec.get("containers") or []
            if isinstance(c, dict)
        ]
    }
    if spec.get("nodeName"):
        slim_spec["nodeName"] = spec["nodeName"]
    return {
        "metadata": {
            k: meta[k]
            for k in (
                "name",
                "namespace",
                "uid",
                "creationTimestamp",
                "resourceVersion",
                "ownerReferences",
                "labels",
                "annotations",
            )
            if k in meta
        },
        "spec": slim_spec,
        "status": {POD_FINGERPRINT: status_fingerprint(pod.get("status")), POD_READY: ready},
    }


def had_status(slim: dict[str, Any]) -> bool:
    """Whether a cached pod had any status when it was stored (seeded pods do, new ones not)."""
    return (slim.get("status") or {}).get(POD_FINGERPRINT) != status_fingerprint(None)
