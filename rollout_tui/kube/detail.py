"""Scoped watches for the one rollout being looked at, released when the operator looks elsewhere.

Started by `Fleet.open_detail`. Scopes, so a namespace with 10,000 unrelated objects costs nothing:
  Rollout      fieldSelector metadata.name=<name> (the overview may not cover this namespace)
  ReplicaSet   labelSelector = the rollout's spec.selector (what the plugin lists; experiment
               ReplicaSets built from the rollout's templates carry the same labels)
  Pod          labelSelector = spec.selector
  AnalysisRun  the namespace (custom resources, few; runs of older controllers and of experiments
               do not carry the rollout's selector labels)
  Experiment   the namespace, kept only when owned by the rollout
  Event        fieldSelector involvedObject.name=<object>, one watch per object the rollout
               owns (itself, its ReplicaSets, pods, AnalysisRuns, Experiments and their Jobs),
               added as they appear and removed as they go (`refresh_scopes`); events have no
               label selectors and `in` is not a field-selector operator
  routers      the Istio VirtualService/DestinationRule, SMI TrafficSplit, NGINX canary or ALB
               Ingress, Gateway API HTTPRoute the canary names (model.traffic), each by name
  workload     what spec.workloadRef names, by name
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
from collections.abc import Callable
from typing import Any

from rollout_tui.kube.hub import ContextHub
from rollout_tui.kube.kinds import ROUTER_KINDS, WORKLOAD_KINDS
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
from rollout_tui.model.fields import as_dict, as_list, as_str, dig
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.traffic import router_refs

DETAIL_KINDS = frozenset(
    {"Rollout", "ReplicaSet", "Pod", "AnalysisRun", "Experiment", "Event", *ROUTER_KINDS, *WORKLOAD_KINDS}
)
# Events are watched per object: a rollout scaled to hundreds of pods must not open hundreds of
# watches. The rollout, its ReplicaSets, runs and experiments come first, then the newest pods.
MAX_EVENT_WATCHES = 64
OWNED_EVENT_KINDS = ("ReplicaSet", "AnalysisRun", "Experiment", "Pod")


def _meta(obj: dict[str, Any] | None) -> dict[str, Any]:
    meta = obj.get("metadata") if obj else None
    return meta if isinstance(meta, dict) else {}


def _owners(obj: dict[str, Any]) -> set[str]:
    refs = _meta(obj).get("ownerReferences") or []
    return {str(r.get("uid")) for r in refs if isinstance(r, dict)}


def _involved_uid(event: dict[str, Any]) -> str:
    return as_str(as_dict(event.get("involvedObject") or event.get("regarding")).get("uid"))


def _job_names(run: dict[str, Any]) -> list[str]:
    """The Jobs a run's job metrics started (measurement metadata `job-name`)."""
    return [
        as_str(as_dict(m.get("metadata")).get("job-name"))
        for result in as_list(dig(run, "status", "metricResults"))
        for m in as_list(as_dict(result).get("measurements"))
        if isinstance(m, dict) and as_dict(m.get("metadata")).get("job-name")
    ]


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
        # Watches that come and go with the objects (per-object events, routers, the workload):
        # not part of `synced`, which says whether the tree is complete.
        self._extra: dict[tuple[str, Scope], Reflector] = {}
        with self._lock:  # the Experiment reflector may report one before we are done here
            self._add(ROLLOUT, Scope(namespace, field_selector=f"metadata.name={self.name}"), self._related)
            if self.selector:  # an empty selector would mean "everything in the namespace"
                self._add(REPLICA_SET, Scope(namespace, label_selector=self.selector), self._owned_object)
                self._add(POD, Scope(namespace, label_selector=self.selector), self._owned_object)
            self._add(ANALYSIS_RUN, Scope(namespace), self._owned_object)
            self._add(EVENT, Scope(namespace, field_selector=f"involvedObject.name={self.name}"))
            experiments = hub.add(
                EXPERIMENT,
                Scope(namespace),
                accept=self._owned_by_rollout,
                tag="detail",
                on_object=self._experiment_seen,
            )
            self.reflectors.append(experiments)
        self._related(rollout)

    def _owned_by_rollout(self, obj: dict[str, Any]) -> bool:
        return not self.uid or self.uid in _owners(obj)

    def _add(
        self, kind: Kind, scope: Scope, on_object: Callable[[dict[str, Any]], None] | None = None
    ) -> None:
        """Watch `kind` in `scope` (the caller holds the lock)."""
        self._scopes.add((kind.kind, scope))
        self.reflectors.append(self.hub.add(kind, scope, tag="detail", on_object=on_object))

    # -- the watches that follow the objects ------------------------------------------------------
    def _experiment_seen(self, experiment: dict[str, Any]) -> None:
        self._watch_experiments([experiment])
        self._owned_object(experiment)

    def _owned_object(self, obj: dict[str, Any]) -> None:
        """A ReplicaSet, pod, run or experiment appeared (reflector thread): watch its events
        (and a run's Jobs' events) from now on."""
        name = as_str(_meta(obj).get("name"))
        wanted = [name] if name else []
        if obj.get("kind") == "AnalysisRun":
            wanted += _job_names(obj)
        with self._lock:
            for object_name in wanted:
                self._add_extra(
                    EVENT, Scope(self.namespace, field_selector=f"involvedObject.name={object_name}")
                )

    def _related(self, rollout: dict[str, Any] | None) -> None:
        """The rollout (re)appeared: watch the routers and the workload its spec names."""
        if not rollout:
            return
        wanted = [(ROUTER_KINDS[ref.kind], ref.namespace, ref.name) for ref in router_refs(rollout)]
        ref = as_dict(dig(rollout, "spec", "workloadRef"))
        if as_str(ref.get("kind")) in WORKLOAD_KINDS and ref.get("name"):
            wanted.append((WORKLOAD_KINDS[as_str(ref.get("kind"))], self.namespace, as_str(ref.get("name"))))
        with self._lock:
            for kind, namespace, name in wanted:
                self._add_extra(kind, Scope(namespace, field_selector=f"metadata.name={name}"))

    def _add_extra(self, kind: Kind, scope: Scope) -> None:
        """The caller holds the lock."""
        key = (kind.kind, scope)
        if self._closed or key in self._extra:
            return
        if kind is EVENT and sum(1 for k, _ in self._extra if k == "Event") >= MAX_EVENT_WATCHES:
            return
        self._extra[key] = self.hub.add(kind, scope, tag="detail")

    def refresh_scopes(self) -> int:
        """Stop the event watches of objects that are gone (and start any still missing);
        returns how many watches changed. Cheap: the UI calls it when it rebuilds the view."""
        objects = self.raw_objects()
        names = [self.name]
        for kind in OWNED_EVENT_KINDS:
            found = [o for o in objects if o.get("kind") == kind]
            found.sort(key=lambda o: as_str(_meta(o).get("creationTimestamp")), reverse=True)
            names += [as_str(_meta(o).get("name")) for o in found]
            if kind == "AnalysisRun":
                names += [job for run in found for job in _job_names(run)]
        wanted = {
            Scope(self.namespace, field_selector=f"involvedObject.name={n}")
            for n in list(dict.fromkeys(names))[1 : MAX_EVENT_WATCHES + 1]
        }
        with self._lock:
            if self._closed:
                return 0
            gone = [k for k in self._extra if k[0] == "Event" and k[1] not in wanted]
            stopped = [self._extra.pop(k) for k in gone]
            before = len(self._extra)
            for scope in wanted:
                self._add_extra(EVENT, scope)
            started = len(self._extra) - before
        for reflector in stopped:
            self.hub.remove(reflector)
        return len(stopped) + started

    def all_reflectors(self) -> list[Reflector]:
        """Every watch this detail holds open (the scoped ones and those following the objects)."""
        with self._lock:
            return [*self.reflectors, *self._extra.values()]

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
        """The rollout and everything that belongs to it (by owner uid), from the scoped watches;
        the events of those objects (an event of an older object of the same name is not theirs),
        the routers and the workload."""
        rollout = self.rollout()
        uid = str(_meta(rollout).get("uid") or self.uid)
        held: dict[str, list[dict[str, Any]]] = {}
        for reflector in self.all_reflectors():
            held.setdefault(reflector.kind.kind, []).extend(self.hub.cache.held_by(reflector.name))
        experiments = [e for e in held.get("Experiment", []) if uid in _owners(e)]
        owners = {uid} | {str(_meta(e).get("uid")) for e in experiments}
        replicasets = [rs for rs in held.get("ReplicaSet", []) if _owners(rs) & owners]
        rs_uids = {str(_meta(rs).get("uid")) for rs in replicasets}
        pods = [p for p in held.get("Pod", []) if _owners(p) & rs_uids]
        runs = [r for r in held.get("AnalysisRun", []) if _owners(r) & owners]
        known = {uid} | rs_uids | {str(_meta(o).get("uid")) for o in (*pods, *experiments, *runs)}
        events = [
            e for e in held.get("Event", []) if not uid or _involved_uid(e) in known or not _involved_uid(e)
        ]
        others = [
            o for kind in (*ROUTER_KINDS, *WORKLOAD_KINDS) if kind != "ReplicaSet" for o in held.get(kind, [])
        ]
        workload = as_dict(dig(rollout, "spec", "workloadRef"))
        if workload.get("kind") == "ReplicaSet":
            others += [
                rs for rs in held.get("ReplicaSet", []) if _meta(rs).get("name") == workload.get("name")
            ]
        out: list[dict[str, Any]] = [rollout] if rollout else []
        return out + replicasets + pods + experiments + runs + events + others

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
            reflectors = [*self.reflectors, *self._extra.values()]
            self._extra.clear()
        for reflector in reflectors:
            self.hub.remove(reflector)

    def __enter__(self) -> DetailWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
