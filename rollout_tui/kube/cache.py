"""Per-context object store fed by reflectors, with indexes by namespace and by owner uid.

Several reflectors may cover overlapping scopes of one kind (two detail views in one namespace),
so every object records which reflectors ("holders") currently see it; it leaves the store only
when the last holder drops it. A list arrives page by page (`upsert_page`), then `retain` drops
what the holder no longer sees, so consumers get exact add/update/delete changes, never a "clear
and reload".

A holder may keep a projection of each object instead of the object (`project`): the overview
keeps one RolloutState per Rollout, not the Rollout (a tenth of the memory). The projection is
computed at most once per object version, and with `defer` only when first read (`Deferred`):
under a flood of watch events most versions are superseded before anyone reads them.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, cast

Key = tuple[str, str, str]  # (kind, namespace, name)
Projection = Callable[[dict[str, Any]], Any]


class Deferred:
    """`project(obj)`, computed when first read (`value()`, from any thread) and then kept; the
    object is let go once its projection exists. Racing readers may both compute it: the
    projection is pure, so they get equal values."""

    __slots__ = ("_obj", "_project", "_value", "resource_version")

    def __init__(self, obj: dict[str, Any], project: Projection, resource_version: Any) -> None:
        self._obj: dict[str, Any] | None = obj
        self._project: Projection | None = project
        self._value: Any = None
        self.resource_version = resource_version  # what the store's version check reads (`_rv`)

    def value(self) -> Any:
        obj, project = self._obj, self._project
        if obj is not None and project is not None:
            self._value = project(obj)  # set before the object is dropped: a reader seeing no
            self._obj = self._project = None  # object always finds the value
        return self._value


def resolved(value: Any) -> Any:
    """What a stored value stands for: the projection of a `Deferred`, else the value itself."""
    return value.value() if type(value) is Deferred else value


def object_key(kind: str, obj: dict[str, Any]) -> Key:
    meta = obj.get("metadata") or {}
    return (kind, str(meta.get("namespace") or ""), str(meta.get("name") or ""))


def _rv(value: Any) -> Any:
    """The resourceVersion of a stored object, or of a projection (its `resource_version`)."""
    if isinstance(value, dict):
        return (value.get("metadata") or {}).get("resourceVersion")
    return getattr(value, "resource_version", None)


def _owner_uids(value: Any) -> set[str]:
    if not isinstance(value, dict):
        return set()  # projections are not indexed by owner
    refs = (value.get("metadata") or {}).get("ownerReferences") or []
    return {str(r["uid"]) for r in refs if isinstance(r, dict) and r.get("uid")}


class ObjectCache:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._objects: dict[Key, Any] = {}
        self._holders: dict[Key, set[str]] = defaultdict(set)
        self._by_holder: dict[str, set[Key]] = defaultdict(set)
        self._by_namespace: dict[tuple[str, str], set[Key]] = defaultdict(set)
        self._by_owner: dict[str, set[Key]] = defaultdict(set)

    # -- writes (reflector threads) -------------------------------------------------------------
    def _index(self, key: Key, value: Any) -> None:
        old = self._objects.get(key)
        if old is not None:
            for uid in _owner_uids(old):
                self._by_owner[uid].discard(key)
                if not self._by_owner[uid]:
                    del self._by_owner[uid]
        if value is None:
            self._objects.pop(key, None)
            ns_key = (key[0], key[1])
            self._by_namespace[ns_key].discard(key)
            if not self._by_namespace[ns_key]:
                del self._by_namespace[ns_key]
            return
        self._objects[key] = value
        self._by_namespace[(key[0], key[1])].add(key)
        for uid in _owner_uids(value):
            self._by_owner[uid].add(key)

    def upsert(
        self,
        holder: str,
        kind: str,
        obj: dict[str, Any],
        project: Projection | None = None,
        defer: bool = False,
    ) -> Any:
        """Store `obj` (or `project(obj)`, with `defer` a `Deferred` of it). Returns what was stored
        when consumers should hear about it (a new object or a new version), else None."""
        key = object_key(kind, obj)
        rv = (obj.get("metadata") or {}).get("resourceVersion")
        with self._lock:
            self._holders[key].add(holder)
            self._by_holder[holder].add(key)
            old = self._objects.get(key)
            if old is not None and rv is not None and _rv(old) == rv:
                return None
            if project is None:
                value: Any = obj
            else:
                value = Deferred(obj, project, rv) if defer else project(obj)
            self._index(key, value)
            return value

    def upsert_page(
        self,
        holder: str,
        kind: str,
        items: Iterable[dict[str, Any]],
        project: Projection | None = None,
        defer: bool = False,
    ) -> list[tuple[Key, Any, dict[str, Any]]]:
        """One page of a list: (key, stored value, object) of each new or changed object."""
        changed = []
        with self._lock:
            for obj in items:
                value = self.upsert(holder, kind, obj, project, defer)
                if value is not None:
                    changed.append((object_key(kind, obj), value, obj))
        return changed

    def retain(self, holder: str, keys: set[Key]) -> list[Key]:
        """The end of a list: `holder` sees only `keys` now. Returns the keys that left the store."""
        with self._lock:
            gone = [k for k in self._by_holder.get(holder, ()) if k not in keys]
            return [key for key in gone if self.drop(holder, key)]

    def drop(self, holder: str, key: Key) -> bool:
        """The holder no longer sees ``key``. Returns True when the object left the store."""
        with self._lock:
            holders = self._holders.get(key)
            self._by_holder[holder].discard(key)
            if holders is None or holder not in holders:
                return False
            holders.discard(holder)
            if holders:
                return False
            del self._holders[key]
            self._index(key, None)
            return True

    def replace(
        self, holder: str, kind: str, items: list[dict[str, Any]], project: Projection | None = None
    ) -> tuple[list[Any], list[Key]]:
        """A whole list at once: (changed or new values, keys that left the store)."""
        with self._lock:
            changed = self.upsert_page(holder, kind, items, project)
            deleted = self.retain(holder, {object_key(kind, obj) for obj in items})
        return [value for _, value, _ in changed], deleted

    def release(self, holder: str) -> list[Key]:
        """Forget everything ``holder`` held (its watch was closed)."""
        with self._lock:
            keys = list(self._by_holder.pop(holder, ()))
            deleted = []
            for key in keys:
                self._by_holder[holder].add(key)
                if self.drop(holder, key):
                    deleted.append(key)
            self._by_holder.pop(holder, None)
            return deleted

    # -- reads (any thread); returned values must be treated as immutable -------------------------
    def get(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        """An object of a kind stored whole (not a projection)."""
        return cast("dict[str, Any] | None", self.find(kind, namespace, name))

    def find(self, kind: str, namespace: str, name: str) -> Any:
        """What is stored under that key, whole object or projection (None when nothing is)."""
        with self._lock:
            return resolved(self._objects.get((kind, namespace, name)))

    def objects_of(self, kind: str, namespace: str | None = None) -> list[Any]:
        with self._lock:
            if namespace is not None:
                return [resolved(self._objects[k]) for k in self._by_namespace.get((kind, namespace), ())]
            return [resolved(obj) for key, obj in self._objects.items() if key[0] == kind]

    def owned_by(self, uid: str, kind: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [self._objects[k] for k in self._by_owner.get(uid, ()) if kind is None or k[0] == kind]

    def held_by(self, holder: str) -> list[Any]:
        with self._lock:
            return [resolved(self._objects[k]) for k in self._by_holder.get(holder, ()) if k in self._objects]

    def __len__(self) -> int:
        with self._lock:
            return len(self._objects)
