"""One context's reflectors, object cache and connection state (the glue Fleet is made of).

Implements ``ReflectorSink``: reflector threads apply their changes to the context's ObjectCache
and pass the *effective* changes (what actually entered or left the store) to the Coalescer.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

from rollout_tui.kube.cache import ObjectCache, object_key
from rollout_tui.kube.coalesce import Coalescer
from rollout_tui.kube.config import ClusterContext
from rollout_tui.kube.reflector import Reflector, ReflectorParams, Scope
from rollout_tui.kube.resources import Kind, ResourceClient
from rollout_tui.kube.state import ConnectionState, worst


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
    ) -> Reflector:
        """Start a reflector; `on_object` hears (on its thread) every new or changed object it stores."""
        name = f"{self.context.name}/{kind.kind}#{next(self._ids)}{'/' + tag if tag else ''}"
        reflector = Reflector(
            name,
            self.client(kind),
            scope,
            self,
            self.params,
            accept=accept,
            reload_credentials=self.context.reload_credentials,
        )
        with self._lock:
            self._reflectors[name] = reflector
            if on_object is not None:
                self._listeners[name] = on_object
        reflector.start()  # after registration, so its first list is accepted
        self.coalescer.state_changed(self.context.name)
        return reflector

    def remove(self, reflector: Reflector) -> None:
        reflector.stop()
        with self._lock:  # together: a late event from the stopping thread cannot re-add objects
            self._reflectors.pop(reflector.name, None)
            self._listeners.pop(reflector.name, None)
            deleted = self.cache.release(reflector.name)
        self.coalescer.add(self.context.name, reflector.kind.kind, [], deleted)
        self.coalescer.state_changed(self.context.name)

    def reflectors(self) -> list[Reflector]:
        with self._lock:
            return list(self._reflectors.values())

    def stop(self) -> None:
        for reflector in self.reflectors():
            reflector.stop()

    def connection_state(self) -> ConnectionState:
        return worst([r.state for r in self.reflectors()])

    # -- ReflectorSink --------------------------------------------------------------------------------
    # Changes from a reflector that was removed meanwhile are dropped (it may deliver one last
    # event while stopping).
    def replace(self, reflector: Reflector, items: list[dict[str, Any]]) -> None:
        with self._lock:
            if reflector.name not in self._reflectors:
                return
            upserted, deleted = self.cache.replace(reflector.name, reflector.kind.kind, items)
            listener = self._listeners.get(reflector.name)
        self.coalescer.add(self.context.name, reflector.kind.kind, upserted, deleted)
        if listener is not None:
            for obj in upserted:
                listener(obj)

    def upsert(self, reflector: Reflector, obj: dict[str, Any]) -> None:
        with self._lock:
            changed = reflector.name in self._reflectors and self.cache.upsert(
                reflector.name, reflector.kind.kind, obj
            )
            listener = self._listeners.get(reflector.name) if changed else None
        if changed:
            self.coalescer.add(self.context.name, reflector.kind.kind, [obj], [])
        if listener is not None:
            listener(obj)

    def delete(self, reflector: Reflector, obj: dict[str, Any]) -> None:
        key = object_key(reflector.kind.kind, obj)
        with self._lock:
            gone = reflector.name in self._reflectors and self.cache.drop(reflector.name, key)
        if gone:
            self.coalescer.add(self.context.name, reflector.kind.kind, [], [key])

    def state(self, reflector: Reflector, state: ConnectionState) -> None:
        self.coalescer.state_changed(self.context.name)
