"""Scoped watches for the one rollout being looked at, released when the operator looks elsewhere.

Started by `Fleet.open_detail`. Scopes, so a namespace with 10,000 unrelated objects costs nothing:
  Rollout      fieldSelector metadata.name=<name> (the overview may not cover this namespace)
  ReplicaSet   labelSelector = the rollout's spec.selector (what the plugin lists; experiment
               ReplicaSets built from the rollout's templates carry the same labels)
  Pod          labelSelector = spec.selector
  AnalysisRun  the namespace (custom resources, few; runs of older controllers and of experiments
               do not carry the rollout's selector labels)
  Experiment   the namespace, kept only when owned by the rollout
  Event        fieldSelector involvedObject.name=<name>
Once an owned Experiment appears (its reflector reports it on its own thread), its ReplicaSets (by
template selector, by the `experiment.argoproj.io/name` label, and by name
`<experiment>-<template>`) and pods (by template selector) are watched too: their labels are the
templates', not the rollout's. Ownership (`ownerReferences[].uid`) is applied by `objects()`, which
only reads.

Changes of these objects reach the UI as batches on the fleet's one queue (`Fleet.batches`), for
the kinds in `DETAIL_KINDS` (the Rollout among them: the overview's store keeps only its state).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from rollout_tui.kube.hub import ContextHub
from rollout_tui.kube.live import EXPERIMENT_NAME_LABEL, experiment_replicaset_names, experiment_selectors
from rollout_tui.kube.reflector import Reflector, Scope
from rollout_tui.kube.resources import (
    ANALYSIS_RUN,
    EVENT,
    EXPERIMENT,
    POD,
    REPLICA_SET,
    ROLLOUT,
    Kind,
    label_selector,
)
from rollout_tui.model.fields import as_dict
from rollout_tui.model.objects import ObjectSet

DETAIL_KINDS = frozenset({"Rollout", "ReplicaSet", "Pod", "AnalysisRun", "Experiment", "Event"})


def _meta(obj: dict[str, Any] | None) -> dict[str, Any]:
    meta = obj.get("metadata") if obj else None
    return meta if isinstance(meta, dict) else {}


def _owners(obj: dict[str, Any]) -> set[str]:
    refs = _meta(obj).get("ownerReferences") or []
    return {str(r.get("uid")) for r in refs if isinstance(r, dict)}


class DetailWatch:
    def __init__(self, hub: ContextHub, namespace: str, rollout: dict[str, Any]) -> None:
        self.hub = hub
        self.context = hub.context.name
        self.namespace = namespace
        self.name = str(_meta(rollout).get("name") or "")
        self.uid = str(_meta(rollout).get("uid") or "")
        self.selector = label_selector(as_dict(rollout.get("spec")).get("selector"))
        self._opened = rollout  # as read when the detail opened: shown until its own watch has listed
        self._scopes: set[tuple[str, Scope]] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.reflectors: list[Reflector] = []
        with self._lock:  # the Experiment reflector may report one before we are done here
            self._add(ROLLOUT, Scope(namespace, field_selector=f"metadata.name={self.name}"))
            if self.selector:  # an empty selector would mean "everything in the namespace"
                self._add(REPLICA_SET, Scope(namespace, label_selector=self.selector))
                self._add(POD, Scope(namespace, label_selector=self.selector))
            self._add(ANALYSIS_RUN, Scope(namespace))
            self._add(EVENT, Scope(namespace, field_selector=f"involvedObject.name={self.name}"))
            experiments = hub.add(
                EXPERIMENT,
                Scope(namespace),
                accept=self._owned_by_rollout,
                tag="detail",
                on_object=lambda experiment: self._watch_experiments([experiment]),
            )
            self.reflectors.append(experiments)

    def _owned_by_rollout(self, obj: dict[str, Any]) -> bool:
        return not self.uid or self.uid in _owners(obj)

    def _add(self, kind: Kind, scope: Scope) -> None:
        """Watch `kind` in `scope` (the caller holds the lock)."""
        self._scopes.add((kind.kind, scope))
        self.reflectors.append(self.hub.add(kind, scope, tag="detail"))

    @property
    def closed(self) -> bool:
        return self._closed

    def wait_synced(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            reflectors = list(self.reflectors)
        return all(r.synced.wait(max(0.0, deadline - time.monotonic())) for r in reflectors)

    @property
    def synced(self) -> bool:
        """Every scoped watch has listed once (until then the detail is still loading)."""
        with self._lock:
            return all(r.synced.is_set() for r in self.reflectors)

    def rollout(self) -> dict[str, Any] | None:
        """The Rollout from the detail's own watch; until that has listed (a slow server), the
        object read when the detail opened, so the pane can say what is still loading."""
        held = self.hub.cache.get("Rollout", self.namespace, self.name)
        if held is not None or self.reflectors[0].synced.is_set():  # reflectors[0]: the Rollout's
            return held
        return self._opened

    def raw_objects(self) -> list[dict[str, Any]]:
        """The rollout and everything that belongs to it (by owner uid), from the scoped watches."""
        rollout = self.rollout()
        uid = str(_meta(rollout).get("uid") or self.uid)
        held: dict[str, list[dict[str, Any]]] = {}
        with self._lock:
            reflectors = list(self.reflectors)
        for reflector in reflectors:
            held.setdefault(reflector.kind.kind, []).extend(self.hub.cache.held_by(reflector.name))
        experiments = [e for e in held.get("Experiment", []) if uid in _owners(e)]
        owners = {uid} | {str(_meta(e).get("uid")) for e in experiments}
        replicasets = [rs for rs in held.get("ReplicaSet", []) if _owners(rs) & owners]
        rs_uids = {str(_meta(rs).get("uid")) for rs in replicasets}
        pods = [p for p in held.get("Pod", []) if _owners(p) & rs_uids]
        runs = [r for r in held.get("AnalysisRun", []) if _owners(r) & owners]
        events = [
            e
            for e in held.get("Event", [])
            if not uid or (e.get("involvedObject") or {}).get("uid") in (None, "", uid)
        ]
        out: list[dict[str, Any]] = [rollout] if rollout else []
        return out + replicasets + pods + experiments + runs + events

    def objects(self) -> ObjectSet:
        """An `ObjectSet` for `model.rollout.rollout_info`."""
        return ObjectSet.from_objects(self.raw_objects())

    def _watch_experiments(self, experiments: list[dict[str, Any]]) -> None:
        wanted: list[tuple[Kind, Scope]] = []
        for sel in experiment_selectors(experiments):
            if sel != self.selector:
                wanted += [
                    (REPLICA_SET, Scope(self.namespace, label_selector=sel)),
                    (POD, Scope(self.namespace, label_selector=sel)),
                ]
        for exp in experiments:
            selector = f"{EXPERIMENT_NAME_LABEL}={_meta(exp).get('name')}"
            wanted.append((REPLICA_SET, Scope(self.namespace, label_selector=selector)))
        for name in experiment_replicaset_names(experiments):
            wanted.append((REPLICA_SET, Scope(self.namespace, field_selector=f"metadata.name={name}")))
        with self._lock:
            if self._closed:
                return
            for kind, scope in wanted:
                if (kind.kind, scope) not in self._scopes:
                    self._add(kind, scope)

    def close(self) -> None:
        """Stop every scoped watch (the server sees the connections closed) and drop their objects."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            reflectors = list(self.reflectors)
        for reflector in reflectors:
            self.hub.remove(reflector)

    def __enter__(self) -> DetailWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
