"""One context's reflectors, object cache and connection state (the glue Fleet is made of).

Implements ``ReflectorSink``: reflector threads apply their changes to the context's ObjectCache
and pass the *effective* changes (what actually entered or left the store) to the Coalescer.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable

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

    def client(self, kind: Kind) -> ResourceClient:
        with self._lock:
            if kind.kind not in self._clients:
                self._clients[kind.kind] = ResourceClient(self.context.api_client, kind)
            return self._clients[kind.kind]

    def add(
        self, kind: Kind, scope: Scope, accept: Callable[[dict], bool] | None = None, tag: str = ""
    ) -> Reflector:
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
        reflector.start()  # after registration, so its first list is accepted
        self.coalescer.state_changed(self.context.name)
        return reflector

    def remove(self, reflector: Reflector) -> None:
        reflector.stop()
        with self._lock:  # together: a late event from the stopping thread cannot re-add objects
            self._reflectors.pop(reflector.name, None)
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
    def replace(self, reflector: Reflector, items: list[dict]) -> None:
        with self._lock:
            if reflector.name not in self._reflectors:
                return
            upserted, deleted = self.cache.replace(reflector.name, reflector.kind.kind, items)
        self.coalescer.add(self.context.name, reflector.kind.kind, upserted, deleted)

    def upsert(self, reflector: Reflector, obj: dict) -> None:
        with self._lock:
            changed = reflector.name in self._reflectors and self.cache.upsert(
                reflector.name, reflector.kind.kind, obj
            )
        if changed:
            self.coalescer.add(self.context.name, reflector.kind.kind, [obj], [])

    def delete(self, reflector: Reflector, obj: dict) -> None:
        key = object_key(reflector.kind.kind, obj)
        with self._lock:
            gone = reflector.name in self._reflectors and self.cache.drop(reflector.name, key)
        if gone:
            self.coalescer.add(self.context.name, reflector.kind.kind, [], [key])

    def state(self, reflector: Reflector, state: ConnectionState) -> None:
        self.coalescer.state_changed(self.context.name)
