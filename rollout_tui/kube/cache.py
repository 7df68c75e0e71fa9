"""Per-context object store fed by reflectors, with indexes by namespace and by owner uid.

Several reflectors may cover overlapping scopes of one kind (two detail views in one namespace),
so every object records which reflectors ("holders") currently see it; it leaves the store only
when the last holder drops it. A relist diffs the holder's previous set against the new list so
consumers get exact add/update/delete changes, never a "clear and reload".
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

Key = tuple[str, str, str]  # (kind, namespace, name)


def object_key(kind: str, obj: dict[str, Any]) -> Key:
    meta = obj.get("metadata") or {}
    return (kind, str(meta.get("namespace") or ""), str(meta.get("name") or ""))


def _rv(obj: dict[str, Any]) -> Any:
    return (obj.get("metadata") or {}).get("resourceVersion")


def _owner_uids(obj: dict[str, Any]) -> set[str]:
    refs = (obj.get("metadata") or {}).get("ownerReferences") or []
    return {str(r["uid"]) for r in refs if isinstance(r, dict) and r.get("uid")}


class ObjectCache:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._objects: dict[Key, dict[str, Any]] = {}
        self._holders: dict[Key, set[str]] = defaultdict(set)
        self._by_holder: dict[str, set[Key]] = defaultdict(set)
        self._by_namespace: dict[tuple[str, str], set[Key]] = defaultdict(set)
        self._by_owner: dict[str, set[Key]] = defaultdict(set)

    # -- writes (reflector threads) -------------------------------------------------------------
    def _index(self, key: Key, obj: dict[str, Any] | None) -> None:
        old = self._objects.get(key)
        if old is not None:
            for uid in _owner_uids(old):
                self._by_owner[uid].discard(key)
                if not self._by_owner[uid]:
                    del self._by_owner[uid]
        if obj is None:
            self._objects.pop(key, None)
            ns_key = (key[0], key[1])
            self._by_namespace[ns_key].discard(key)
            if not self._by_namespace[ns_key]:
                del self._by_namespace[ns_key]
            return
        self._objects[key] = obj
        self._by_namespace[(key[0], key[1])].add(key)
        for uid in _owner_uids(obj):
            self._by_owner[uid].add(key)

    def upsert(self, holder: str, kind: str, obj: dict[str, Any]) -> bool:
        """Returns True when consumers should hear about it (new object or new version)."""
        key = object_key(kind, obj)
        with self._lock:
            self._holders[key].add(holder)
            self._by_holder[holder].add(key)
            old = self._objects.get(key)
            if old is not None and _rv(old) == _rv(obj) and _rv(obj) is not None:
                return False
            self._index(key, obj)
            return True

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
        self, holder: str, kind: str, items: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[Key]]:
        """A fresh list for ``holder``: returns (changed or new objects, keys that left the store)."""
        upserted: list[dict[str, Any]] = []
        deleted: list[Key] = []
        with self._lock:
            seen = set()
            for obj in items:
                seen.add(object_key(kind, obj))
                if self.upsert(holder, kind, obj):
                    upserted.append(obj)
            for key in [k for k in self._by_holder.get(holder, ()) if k not in seen]:
                if self.drop(holder, key):
                    deleted.append(key)
        return upserted, deleted

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

    # -- reads (any thread); returned dicts must be treated as immutable --------------------------
    def get(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        with self._lock:
            return self._objects.get((kind, namespace, name))

    def objects_of(self, kind: str, namespace: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            if namespace is not None:
                return [self._objects[k] for k in self._by_namespace.get((kind, namespace), ())]
            return [obj for key, obj in self._objects.items() if key[0] == kind]

    def owned_by(self, uid: str, kind: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [self._objects[k] for k in self._by_owner.get(uid, ()) if kind is None or k[0] == kind]

    def held_by(self, holder: str) -> list[dict[str, Any]]:
        with self._lock:
            return [self._objects[k] for k in self._by_holder.get(holder, ()) if k in self._objects]

    def __len__(self) -> int:
        with self._lock:
            return len(self._objects)
