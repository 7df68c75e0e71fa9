"""The store's objects: stored versions by type, namespace and name, plus the owner index.

The owner index (owner uid -> dependents) is what lets a delete cascade to dependents as the
garbage collector would, without scanning every object.
"""

from __future__ import annotations

from collections.abc import Iterator

from rollout_tui.sim.records import Entry
from rollout_tui.sim.resources import RESOURCES
from rollout_tui.sim.selection import Selection

Key = tuple[str, str, str]  # (plural, namespace, name)


class Buckets:
    """Not thread-safe: the store calls it under its lock."""

    def __init__(self) -> None:
        self._by_type: dict[str, dict[str, dict[str, Entry]]] = {p: {} for p in RESOURCES}
        self._owned: dict[str, set[Key]] = {}

    def get(self, plural: str, namespace: str, name: str) -> Entry | None:
        return self._by_type[plural].get(namespace, {}).get(name)

    def has(self, plural: str, namespace: str, name: str) -> bool:
        return name in self._by_type[plural].get(namespace, {})

    def put(self, plural: str, entry: Entry, prev: Entry | None) -> None:
        self._by_type[plural].setdefault(entry.namespace, {})[entry.name] = entry
        self._reindex(plural, entry, prev)

    def remove(self, plural: str, entry: Entry, prev: Entry | None) -> None:
        bucket = self._by_type[plural]
        del bucket[entry.namespace][entry.name]
        if not bucket[entry.namespace]:
            del bucket[entry.namespace]
        self._reindex(plural, None, prev)

    def _reindex(self, plural: str, entry: Entry | None, prev: Entry | None) -> None:
        if prev is not None:
            key = (plural, prev.namespace, prev.name)
            for uid in prev.owners:
                self._owned.get(uid, set()).discard(key)
        if entry is not None:
            key = (plural, entry.namespace, entry.name)
            for uid in entry.owners:
                self._owned.setdefault(uid, set()).add(key)

    def take_dependents(self, owner_uid: str) -> list[Key]:
        """The objects an owner's ownerReferences point from, in key order; forgets the owner."""
        return sorted(self._owned.pop(owner_uid, set()))

    def in_namespace(self, namespace: str) -> Iterator[tuple[str, Entry]]:
        """(plural, entry) for everything in a namespace, by type then name; safe to delete from."""
        for plural, bucket in self._by_type.items():
            for entry in sorted(bucket.get(namespace, {}).values(), key=lambda e: e.name):
                if bucket.get(namespace, {}).get(entry.name) is entry:
                    yield plural, entry

    def select(self, selection: Selection, start_after: tuple[str, str] | None = None) -> Iterator[Entry]:
        """Entries in (namespace, name) order, after ``start_after`` (a continue token's place)."""
        bucket = self._by_type[selection.rt.plural]
        scope = selection.scope
        for ns in [scope] if scope else sorted(bucket):
            if start_after and ns < start_after[0]:
                continue
            names = bucket.get(ns, {})
            for name in sorted(names):
                if start_after and (ns, name) <= start_after:
                    continue
                entry = names[name]
                if selection.matches(entry):
                    yield entry

    def count(self, plural: str) -> int:
        return sum(len(names) for names in self._by_type[plural].values())
