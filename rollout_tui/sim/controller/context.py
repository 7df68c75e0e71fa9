"""Per-reconcile state of one Rollout: its ReplicaSets, the status being built, wake-ups, and the
write helpers (scaling, analysis runs, services) the strategies share."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.sim.analysis.providers import MODE_ANNOTATION
from rollout_tui.sim.analysis.templates import RunRequest, TemplateError, build_run
from rollout_tui.sim.clock import rfc3339
from rollout_tui.sim.objects import (
    DESIRED_REPLICAS_ANNOTATION,
    HASH_LABEL,
    MANAGED_BY_ANNOTATION,
    REVISION_ANNOTATION,
    SCALE_DOWN_DEADLINE_ANNOTATION,
    annotations_of,
    as_int,
    labels,
    meta,
    owner_reference,
    parse_time,
    revision_of,
    terminate_unfinished,
)


@dataclass
class RolloutContext:
    c: Any  # the Controller
    ro: dict[str, Any]
    now: datetime
    status: dict[str, Any]  # the new status being built
    pod_hash: str = ""
    new_rs: dict[str, Any] | None = None
    rss: dict[str, dict[str, Any]] = field(default_factory=dict)  # by name
    wakes: list[datetime] = field(default_factory=list)
    abort_message: str = ""
    invalid: str = ""
    resolved_spec: dict[str, Any] | None = None  # with the template a workloadRef points at

    # ------------------------------------------------------------------ reading
    @property
    def spec(self) -> dict[str, Any]:
        if self.resolved_spec is not None:
            return self.resolved_spec
        return self.ro.get("spec") or {}

    @property
    def old(self) -> dict[str, Any]:
        return self.ro.get("status") or {}

    @property
    def name(self) -> str:
        return meta(self.ro)["name"]

    @property
    def namespace(self) -> str:
        return meta(self.ro).get("namespace", "")

    @property
    def replicas(self) -> int:
        value = self.spec.get("replicas")
        return max(as_int(value, 1), 0) if value is not None else 1

    @property
    def now_s(self) -> str:
        return rfc3339(self.now)

    @property
    def revision(self) -> int:
        return revision_of(self.new_rs) if self.new_rs else 0

    def rs_by_hash(self, digest: str) -> dict[str, Any] | None:
        if not digest:
            return None
        for rs in self.rss.values():
            if labels(rs).get(HASH_LABEL) == digest:
                return rs
        return None

    def wake_at(self, when: datetime) -> None:
        self.wakes.append(when)

    def wake_in(self, seconds: float) -> None:
        self.wakes.append(self.now + timedelta(seconds=seconds))

    # ------------------------------------------------------------------ ReplicaSets
    def scale(self, rs: dict[str, Any] | None, replicas: int) -> None:
        if rs is None:
            return
        current = as_int((rs.get("spec") or {}).get("replicas"), 1)
        desired_note = str(self.replicas)
        if current == replicas and annotations_of(rs).get(DESIRED_REPLICAS_ANNOTATION) == desired_note:
            return

        def apply(obj: dict[str, Any]) -> None:
            obj["spec"]["replicas"] = replicas
            obj["metadata"].setdefault("annotations", {})[DESIRED_REPLICAS_ANNOTATION] = desired_note

        updated = self.c.store.mutate("replicasets", self.namespace, meta(rs)["name"], apply)
        self.rss[meta(rs)["name"]] = updated
        if self.new_rs is not None and meta(self.new_rs)["name"] == meta(rs)["name"]:
            self.new_rs = updated
        if current != replicas:
            direction = "up" if replicas > current else "down"
            self.c.events.normal(
                self.ro,
                "ScalingReplicaSet",
                f"Scaled {direction} ReplicaSet {meta(rs)['name']} (revision {revision_of(rs)}) "
                f"from {current} to {replicas}",
            )

    def spec_replicas(self, rs: dict[str, Any] | None) -> int:
        return as_int(((rs or {}).get("spec") or {}).get("replicas"), 1) if rs else 0

    def available(self, rs: dict[str, Any] | None) -> int:
        return as_int(((rs or {}).get("status") or {}).get("availableReplicas")) if rs else 0

    def rs_replicas(self, rs: dict[str, Any] | None) -> int:
        return as_int(((rs or {}).get("status") or {}).get("replicas")) if rs else 0

    def scale_down_later(self, rs: dict[str, Any], delay: float) -> None:
        """Scale an old ReplicaSet to 0 once its `scale-down-deadline` annotation has passed."""
        if self.spec_replicas(rs) == 0:
            if SCALE_DOWN_DEADLINE_ANNOTATION in annotations_of(rs):
                self._set_rs_annotation(rs, SCALE_DOWN_DEADLINE_ANNOTATION, None)
            return
        if delay <= 0:
            self.scale(rs, 0)
            return
        deadline = parse_time(annotations_of(rs).get(SCALE_DOWN_DEADLINE_ANNOTATION))
        if deadline is None:
            deadline = self.now + timedelta(seconds=delay)
            self._set_rs_annotation(rs, SCALE_DOWN_DEADLINE_ANNOTATION, rfc3339(deadline))
        if self.now >= deadline:
            self.scale(self.rss[meta(rs)["name"]], 0)
            self._set_rs_annotation(self.rss[meta(rs)["name"]], SCALE_DOWN_DEADLINE_ANNOTATION, None)
        else:
            self.wake_at(deadline)

    def keep(self, rs: dict[str, Any] | None) -> None:
        """An old ReplicaSet is in use again (e.g. abort back to it): drop a pending deadline."""
        if rs is not None and SCALE_DOWN_DEADLINE_ANNOTATION in annotations_of(rs):
            self._set_rs_annotation(rs, SCALE_DOWN_DEADLINE_ANNOTATION, None)

    def _set_rs_annotation(self, rs: dict[str, Any], key: str, value: str | None) -> None:
        def apply(obj: dict[str, Any]) -> None:
            notes = obj["metadata"].setdefault("annotations", {})
            if value is None:
                notes.pop(key, None)
            else:
                notes[key] = value

        self.rss[meta(rs)["name"]] = self.c.store.mutate(
            "replicasets", self.namespace, meta(rs)["name"], apply
        )

    # ------------------------------------------------------------------ analysis runs
    def ensure_run(
        self,
        kind: str,
        base_name: str,
        analysis: dict[str, Any],
        ref: dict[str, Any] | None,
        step_index: int | None = None,
    ) -> dict[str, Any] | None:
        """The AnalysisRun for this stage: the one the status references, else a reusable one, else a
        new one (`.1`, `.2`... after a retry, like the collision counter)."""
        cache = self.c.cache
        if ref and ref.get("name"):
            existing = cache.get("analysisruns", self.namespace, ref["name"])
            if existing is not None:
                return existing
        name, suffix = base_name, 0
        while True:
            existing = cache.get("analysisruns", self.namespace, name)
            if existing is None:
                break
            phase = (existing.get("status") or {}).get("phase")
            if not (existing.get("spec") or {}).get("terminate") and phase not in (
                "Failed",
                "Error",
                "Inconclusive",
            ):
                return existing
            suffix += 1
            name = f"{base_name}.{suffix}"
        run_labels = {HASH_LABEL: self.pod_hash, "rollout-type": kind}
        if step_index is not None:
            run_labels["step-index"] = str(step_index)
        notes = {REVISION_ANNOTATION: str(self.revision)}
        notes.update(
            {
                k: str(v)
                for k, v in annotations_of(self.ro).items()
                if k == MODE_ANNOTATION or k.startswith(MODE_ANNOTATION + ".")
            }
        )
        stable_hash = self.status.get("stableRS") or ""
        request = RunRequest(
            name=name,
            namespace=self.namespace,
            owner=self.ro,
            template_refs=[t for t in analysis.get("templates") or [] if isinstance(t, dict)],
            args=list(analysis.get("args") or []),
            labels=run_labels,
            annotations=notes,
            pod_hashes={"Stable": stable_hash, "Latest": self.pod_hash},
        )
        try:
            run = build_run(cache, request, owner_reference(self.ro))
        except TemplateError as exc:
            self.invalid = str(exc)
            return None
        created = self.c.store.create("analysisruns", run)
        self.c.events.normal(self.ro, "AnalysisRunCreated", f"Created AnalysisRun '{name}'")
        return created

    def run_ref(
        self, run: dict[str, Any] | None, previous: dict[str, Any] | None, label: str
    ) -> dict[str, Any] | None:
        """status.*AnalysisRunStatus for `run`, emitting the status-change event the controller emits."""
        if run is None:
            return previous
        phase = (run.get("status") or {}).get("phase") or ""
        ref: dict[str, Any] = {"name": meta(run)["name"], "status": phase}
        message = (run.get("status") or {}).get("message")
        if message:
            ref["message"] = message
        if phase and (
            previous is None or (previous.get("name") == ref["name"] and previous.get("status") != phase)
        ):
            before = (previous or {}).get("status") or "NoPreviousStatus"
            kind = "Warning" if phase in ("Failed", "Error") else "Normal"
            self.c.events.record(
                self.ro,
                kind,
                f"AnalysisRun{phase}",
                f"{label} Analysis Run '{ref['name']}' Status New: '{phase}' Previous: '{before}'",
            )
        return ref

    def terminate_runs(self, keep: tuple[str, ...] = ()) -> None:
        runs = [run for run in self.c.cache.owned(self.ro, "analysisruns") if meta(run)["name"] not in keep]
        terminate_unfinished(self.c.store, "analysisruns", runs)

    def terminate_experiments(self) -> None:
        terminate_unfinished(self.c.store, "experiments", self.c.cache.owned(self.ro, "experiments"))

    # ------------------------------------------------------------------ services
    def point_service(self, service_name: str | None, digest: str) -> None:
        """Make a Service select one ReplicaSet by pod-template hash (SwitchService event)."""
        if not service_name or not digest:
            return
        svc = self.c.cache.get("services", self.namespace, service_name)
        if svc is None:
            return
        selector = (svc.get("spec") or {}).get("selector") or {}
        if selector.get(HASH_LABEL) == digest and annotations_of(svc).get(MANAGED_BY_ANNOTATION) == self.name:
            return
        old = selector.get(HASH_LABEL, "")

        def apply(obj: dict[str, Any]) -> None:
            obj.setdefault("spec", {}).setdefault("selector", {})[HASH_LABEL] = digest
            obj["metadata"].setdefault("annotations", {})[MANAGED_BY_ANNOTATION] = self.name

        self.c.store.mutate("services", self.namespace, service_name, apply)
        self.c.events.normal(
            self.ro,
            "SwitchService",
            f"Switched selector for service '{service_name}' from '{old}' to '{digest}'",
        )

    # ------------------------------------------------------------------ pauses and abort
    def pause_condition(self, reason: str) -> dict[str, Any] | None:
        for cond in self.status.get("pauseConditions") or []:
            if isinstance(cond, dict) and cond.get("reason") == reason:
                return cond
        return None

    def add_pause(self, reason: str) -> dict[str, Any]:
        existing = self.pause_condition(reason)
        if existing is not None:
            return existing
        cond = {"reason": reason, "startTime": self.now_s}
        self.status["pauseConditions"] = [*(self.status.get("pauseConditions") or []), cond]
        self.status["controllerPause"] = True
        return cond

    def remove_pause(self, reason: str) -> None:
        remaining = [c for c in self.status.get("pauseConditions") or [] if c.get("reason") != reason]
        if remaining:
            self.status["pauseConditions"] = remaining
        else:
            self.status.pop("pauseConditions", None)

    def clear_pauses(self) -> None:
        self.status.pop("pauseConditions", None)
        self.status.pop("controllerPause", None)

    @property
    def aborted(self) -> bool:
        return bool(self.status.get("abort"))

    def abort(self, message: str) -> None:
        if not self.aborted:
            self.status["abort"] = True
            self.status["abortedAt"] = self.now_s
        self.abort_message = message


def weight_replicas(total: int, weight: float) -> int:
    """ceil(total * weight / 100), as the controller sizes canary and stable for a weight."""
    return min(total, max(0, math.ceil(total * weight / 100 - 1e-9)))


def deep(value: Any) -> Any:
    return copy.deepcopy(value)
