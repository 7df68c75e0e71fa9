"""One context's reflectors, object cache and connection state (the glue Fleet is made of).

Implements ``ReflectorSink``: reflector threads apply their changes to the context's ObjectCache
and pass the *effective* changes (what actually entered or left the store) to the Coalescer. A
reflector added with a `Keep` stores a projection of each object under the Keep's kind (the
overview: RolloutStates, not Rollouts).
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rollout_tui.kube.cache import ObjectCache, Projection, object_key
from rollout_tui.kube.coalesce import Coalescer
from rollout_tui.kube.config import ClusterContext
from rollout_tui.kube.reflector import Reflector, ReflectorParams, Scope
from rollout_tui.kube.resources import Kind, ResourceClient
from rollout_tui.kube.state import ConnectionState, Phase, worst


@dataclass(frozen=True, slots=True)
class Keep:
    """What the store keeps of each object a reflector sees: `project(obj)`, under `kind`;
    `defer`: projected when first read (cache.Deferred), so only for the versions someone reads
    (the coalescer bounds how many wait unprojected)."""

    kind: str
    project: Projection
    defer: bool = False


class ContextHub:
    def __init__(self, context: ClusterContext, coalescer: Coalescer, params: ReflectorParams) -> None:
        self.context = context
        self.cache = ObjectCache()
        self.coalescer = coalescer
        self.params = params
        self._lock = threading.Lock()
        self._reflectors: dict[str, Reflector] = {}
        self._ids = itertools.count(1)
        self._clients: dict[str, ResourceClient] = {}
        self._listeners: dict[str, Callable[[dict[str, Any]], None]] = {}
        self._keeps: dict[str, Keep] = {}

    def client(self, kind: Kind) -> ResourceClient:
        with self._lock:
            if kind.kind not in self._clients:
                self._clients[kind.kind] = ResourceClient(self.context.api_client, kind)
            return self._clients[kind.kind]

    def add(
        self,
        kind: Kind,
        scope: Scope,
        accept: Callable[[dict[str, Any]], bool] | None = None,
        tag: str = "",
        on_object: Callable[[dict[str, Any]], None] | None = None,
        keep: Keep | None = None,
    ) -> Reflector:
        """Start a reflector; `on_object` hears (on its thread) every new or changed object it
        stores; with `keep`, the store holds `keep.project(obj)` under `keep.kind` instead."""
        name = f"{self.context.name}/{kind.kind}#{next(self._ids)}{'/' + tag if tag else ''}"
        reflector = Reflector(
            name,
            self.client(kind),
            scope,
            self,
            self.params,
            accept=accept,
            reload_credentials=self.context.reload_credentials,
            pace=self.coalescer.pace,
        )
        with self._lock:
            self._reflectors[name] = reflector
            if on_object is not None:
                self._listeners[name] = on_object
            if keep is not None:
                self._keeps[name] = keep
        reflector.start()  # after registration, so its first list is accepted
        self.coalescer.state_changed(self.context.name)
        return reflector

    def remove(self, reflector: Reflector) -> None:
        reflector.stop()
        with self._lock:  # together: a late event from the stopping thread cannot re-add objects
            self._reflectors.pop(reflector.name, None)
            self._listeners.pop(reflector.name, None)
            kind = self._store_kind(reflector)
            self._keeps.pop(reflector.name, None)
            deleted = self.cache.release(reflector.name)
        self.coalescer.add(self.context.name, kind, [], deleted)
        self.coalescer.state_changed(self.context.name)

    def reflectors(self) -> list[Reflector]:
        with self._lock:
            return list(self._reflectors.values())

    def stop(self) -> None:
        for reflector in self.reflectors():
            reflector.stop()

    def connection_state(self) -> ConnectionState:
        """The worst of the reflectors' states; while lists are loading, how far they got together."""
        states = [r.state for r in self.reflectors()]
        state = worst(states)
        loading = [s for s in states if s.phase is Phase.SYNCING and s.loaded]
        if state.phase is Phase.SYNCING and loading:
            expected = [s.expected for s in loading]
            total = None if None in expected else sum(e for e in expected if e is not None)
            state = dataclasses.replace(state, loaded=sum(s.loaded for s in loading), expected=total)
        return state

    def _store_kind(self, reflector: Reflector) -> str:
        keep = self._keeps.get(reflector.name)
        return keep.kind if keep is not None else reflector.kind.kind

    # -- ReflectorSink --------------------------------------------------------------------------------
    # Changes from a reflector that was removed meanwhile are dropped (it may deliver one last
    # event while stopping).
    def page(self, reflector: Reflector, items: list[dict[str, Any]]) -> None:
        with self._lock:
            if reflector.name not in self._reflectors:
                return
            kind, keep = self._store_kind(reflector), self._keeps.get(reflector.name)
            changed = self.cache.upsert_page(
                reflector.name, kind, items, keep.project if keep else None, bool(keep and keep.defer)
            )
            listener = self._listeners.get(reflector.name)
        self.coalescer.add(self.context.name, kind, ((key, value) for key, value, _ in changed), [])
        if listener is not None:
            for _, _, obj in changed:
                listener(obj)

    def listed(self, reflector: Reflector, seen: set[tuple[str, str]]) -> None:
        with self._lock:
            if reflector.name not in self._reflectors:
                return
            kind = self._store_kind(reflector)
            deleted = self.cache.retain(reflector.name, {(kind, ns, name) for ns, name in seen})
        self.coalescer.add(self.context.name, kind, [], deleted)

    def upsert(self, reflector: Reflector, obj: dict[str, Any]) -> None:
        with self._lock:
            if reflector.name not in self._reflectors:
                return
            kind, keep = self._store_kind(reflector), self._keeps.get(reflector.name)
            value = self.cache.upsert(
                reflector.name, kind, obj, keep.project if keep else None, bool(keep and keep.defer)
            )
            listener = self._listeners.get(reflector.name) if value is not None else None
        if value is not None:
            self.coalescer.add(self.context.name, kind, [(object_key(kind, obj), value)], [])
        if listener is not None:
            listener(obj)

    def delete(self, reflector: Reflector, obj: dict[str, Any]) -> None:
        with self._lock:
            kind = self._store_kind(reflector)
            key = object_key(kind, obj)
            gone = reflector.name in self._reflectors and self.cache.drop(reflector.name, key)
        if gone:
            self.coalescer.add(self.context.name, kind, [], [key])

    def state(self, reflector: Reflector, state: ConnectionState) -> None:
        self.coalescer.state_changed(self.context.name)
