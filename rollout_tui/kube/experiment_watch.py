"""The scoped watches behind ``get experiment NAME -w`` (the plugin's ExperimentViewController):
the experiment by name, its ReplicaSets and pods by its templates' selectors and the
experiment-name label (what controllers of different versions set) and its AnalysisRuns, all
list+watch reflectors of one ContextHub, so the command survives disconnects like the TUI does."""

from __future__ import annotations

import threading
from typing import Any

from rollout_tui.kube.hub import ContextHub
from rollout_tui.kube.live import EXPERIMENT_NAME_LABEL, experiment_replicaset_names, experiment_selectors
from rollout_tui.kube.reflector import Reflector, Scope
from rollout_tui.kube.resources import ANALYSIS_RUN, EXPERIMENT, POD, REPLICA_SET, Kind


def _owners(obj: dict[str, Any]) -> set[str]:
    refs = (obj.get("metadata") or {}).get("ownerReferences") or []
    return {str(r.get("uid")) for r in refs if isinstance(r, dict)}


def _uid(obj: dict[str, Any] | None) -> str:
    return str(((obj or {}).get("metadata") or {}).get("uid") or "")


class ExperimentWatch:
    def __init__(self, hub: ContextHub, namespace: str, name: str) -> None:
        self.hub, self.namespace, self.name = hub, namespace, name
        self._lock = threading.Lock()
        self._scopes: set[tuple[str, Scope]] = set()
        self.reflectors: list[Reflector] = []
        self._add(EXPERIMENT, Scope(namespace, field_selector=f"metadata.name={name}"))
        self._add(ANALYSIS_RUN, Scope(namespace))
        self._add(REPLICA_SET, Scope(namespace, label_selector=f"{EXPERIMENT_NAME_LABEL}={name}"))

    def _add(self, kind: Kind, scope: Scope) -> None:
        with self._lock:
            if (kind.kind, scope) in self._scopes:
                return
            self._scopes.add((kind.kind, scope))
            self.reflectors.append(self.hub.add(kind, scope, tag="experiment"))

    def wait_synced(self, timeout: float) -> bool:
        import time

        deadline = time.monotonic() + timeout
        with self._lock:
            reflectors = list(self.reflectors)
        return all(r.synced.wait(max(0.0, deadline - time.monotonic())) for r in reflectors)

    def experiment(self) -> dict[str, Any] | None:
        found = self.hub.cache.get("Experiment", self.namespace, self.name)
        if found is not None:  # its templates name the selectors of its ReplicaSets and pods
            for selector in experiment_selectors([found]):
                self._add(REPLICA_SET, Scope(self.namespace, label_selector=selector))
                self._add(POD, Scope(self.namespace, label_selector=selector))
            for rs_name in experiment_replicaset_names([found]):
                self._add(REPLICA_SET, Scope(self.namespace, field_selector=f"metadata.name={rs_name}"))
        return found

    def objects(self) -> Any:
        """An ObjectSet of what the experiment owns, for ``experiment_info``."""
        from rollout_tui.model.objects import ObjectSet

        experiment = self.experiment()
        uid = _uid(experiment)
        with self._lock:
            reflectors = list(self.reflectors)
        held: dict[str, dict[str, dict[str, Any]]] = {}
        for reflector in reflectors:
            for obj in self.hub.cache.held_by(reflector.name):
                held.setdefault(reflector.kind.kind, {})[_uid(obj) or str(id(obj))] = obj
        replicasets = [rs for rs in held.get("ReplicaSet", {}).values() if uid in _owners(rs)]
        rs_uids = {_uid(rs) for rs in replicasets}
        pods = [p for p in held.get("Pod", {}).values() if _owners(p) & rs_uids]
        runs = [r for r in held.get("AnalysisRun", {}).values() if uid in _owners(r)]
        return ObjectSet.from_objects([*([experiment] if experiment else []), *replicasets, *pods, *runs])

    def close(self) -> None:
        with self._lock:
            reflectors, self.reflectors = list(self.reflectors), []
        for reflector in reflectors:
            self.hub.remove(reflector)
