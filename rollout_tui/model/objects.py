"""A read-only bag of Kubernetes objects (plain dicts), indexed the way the views need them.

The same ObjectSet is filled from a manifest dump (`-f`), from a live watch cache, or by tests;
nothing downstream knows where the objects came from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rollout_tui.model.fields import as_str, dig, owner_uids


def key_of(obj: Mapping[str, Any]) -> tuple[str, str, str]:
    """(kind, namespace, name): the identity used for de-duplication."""
    return (
        as_str(obj.get("kind")),
        as_str(dig(obj, "metadata", "namespace")),
        as_str(dig(obj, "metadata", "name")),
    )


class ObjectSet:
    """Objects grouped by kind, in insertion order; later duplicates replace earlier ones."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._by_kind: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self._children: dict[str, list[tuple[str, str, str]]] | None = None
        self.warnings: list[str] = []

    @classmethod
    def from_objects(cls, objects: Iterable[Any]) -> ObjectSet:
        result = cls()
        for obj in objects:
            result.add(obj)
        return result

    def add(self, obj: Any) -> None:
        if not isinstance(obj, Mapping):
            self.warnings.append(f"ignored a non-object entry ({type(obj).__name__})")
            return
        kind = obj.get("kind")
        if not isinstance(kind, str) or not kind:
            self.warnings.append("ignored an object without a kind")
            return
        key = key_of(obj)
        if key not in self._by_key:
            self._by_kind[kind].append(key)
        self._by_key[key] = dict(obj)
        self._children = None

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._by_key.values())

    def kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind, keys in self._by_kind.items() if keys)

    def of_kind(self, kind: str, namespace: str | None = None) -> list[dict[str, Any]]:
        """All objects of a kind, optionally only those in one namespace."""
        return [
            self._by_key[key]
            for key in self._by_kind.get(kind, ())
            if namespace is None or key[1] == namespace
        ]

    def get(self, kind: str, namespace: str | None, name: str) -> dict[str, Any] | None:
        """One object; with namespace None, the only one of that name (None if absent or ambiguous)."""
        if namespace is not None:
            return self._by_key.get((kind, namespace, name))
        found = self.find(kind, name)
        return found[0] if len(found) == 1 else None

    def find(self, kind: str, name: str) -> list[dict[str, Any]]:
        """Every object of a kind with this name, across namespaces."""
        return [self._by_key[key] for key in self._by_kind.get(kind, ()) if key[2] == name]

    def rollout(self, namespace: str | None, name: str) -> dict[str, Any] | None:
        return self.get("Rollout", namespace, name)

    def namespaces(self) -> tuple[str, ...]:
        return tuple(sorted({key[1] for key in self._by_key}))

    def children(self, owner_uid: str, kind: str | None = None) -> list[dict[str, Any]]:
        """Objects that list `owner_uid` in their ownerReferences, in insertion order."""
        if not owner_uid:
            return []
        if self._children is None:
            index: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
            for key, obj in self._by_key.items():
                for uid in dict.fromkeys(owner_uids(obj)):
                    index[uid].append(key)
            self._children = index
        return [
            self._by_key[key] for key in self._children.get(owner_uid, ()) if kind is None or key[0] == kind
        ]
