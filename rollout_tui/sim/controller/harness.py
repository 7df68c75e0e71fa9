"""A test and scripting harness: a Store, a manual SimClock and a Controller, plus the operator
actions sent exactly as `kubectl argo rollouts` sends them (pkg/kubectl-argo-rollouts/cmd/*).

    h = Harness()
    h.apply(EXAMPLES / "rollout-canary.yaml")
    h.run_until(lambda: h.phase("rollout-canary") == "Healthy", 60)
    h.set_image("rollout-canary", "argoproj/rollouts-demo:yellow")
    h.promote("rollout-canary")
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from rollout_tui.model.status import rollout_status
from rollout_tui.sim.clock import SimClock, rfc3339
from rollout_tui.sim.controller.core import Controller
from rollout_tui.sim.objects import HASH_LABEL, REVISION_ANNOTATION
from rollout_tui.sim.plugin import promote_patches
from rollout_tui.sim.resources import by_kind
from rollout_tui.sim.store import Store

MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"


class Harness:
    def __init__(
        self, start: datetime | None = None, namespace: str = "default", strict: bool = True
    ) -> None:
        self.clock = SimClock.manual(start)
        self.store = Store(clock=self.clock)
        self.controller = Controller(self.store, self.clock, strict=strict)
        self.namespace = namespace

    # ------------------------------------------------------------------ objects
    def apply(
        self, source: str | Path | dict[str, Any] | Iterable[dict[str, Any]], namespace: str | None = None
    ) -> list[dict[str, Any]]:
        """Create objects from a manifest file, a dict or dicts (like `kubectl apply -f` of new objects)."""
        if isinstance(source, (str, Path)):
            docs = [d for d in yaml.safe_load_all(Path(source).read_text(encoding="utf-8")) if d]
        elif isinstance(source, dict):
            docs = [source]
        else:
            docs = list(source)
        created = []
        for doc in docs:
            doc = copy.deepcopy(doc)
            rt = by_kind(doc["kind"])
            if rt.namespaced:
                doc.setdefault("metadata", {}).setdefault("namespace", namespace or self.namespace)
            created.append(self.store.create(rt.plural, doc))
        self.controller.drain()
        return created

    def rollout(self, name: str) -> dict[str, Any]:
        return self.store.get("rollouts", self.namespace, name)

    def status(self, name: str) -> dict[str, Any]:
        return self.rollout(name).get("status") or {}

    def phase(self, name: str) -> str:
        return rollout_status(self.rollout(name))[0]

    def message(self, name: str) -> str:
        return rollout_status(self.rollout(name))[1]

    def replicasets(self, name: str) -> list[dict[str, Any]]:
        uid = self.rollout(name)["metadata"]["uid"]
        items, _ = self.store.list("replicasets", self.namespace)
        owned = [
            rs
            for rs in items
            if any(r.get("uid") == uid for r in rs["metadata"].get("ownerReferences") or [])
        ]
        return sorted(
            owned, key=lambda rs: int(rs["metadata"].get("annotations", {}).get(REVISION_ANNOTATION, 0))
        )

    def rs_for_hash(self, name: str, digest: str) -> dict[str, Any] | None:
        return next(
            (rs for rs in self.replicasets(name) if rs["metadata"]["labels"].get(HASH_LABEL) == digest), None
        )

    def pods(self, rs_name: str | None = None) -> list[dict[str, Any]]:
        items, _ = self.store.list("pods", self.namespace)
        if rs_name is None:
            return items
        return [
            p
            for p in items
            if any(r.get("name") == rs_name for r in p["metadata"].get("ownerReferences") or [])
        ]

    def events(self, reason: str | None = None, name: str | None = None) -> list[dict[str, Any]]:
        items, _ = self.store.list("events", self.namespace)
        return [
            e
            for e in items
            if (reason is None or e.get("reason") == reason)
            and (name is None or e["involvedObject"].get("name") == name)
        ]

    def analysis_runs(self) -> list[dict[str, Any]]:
        return self.store.list("analysisruns", self.namespace)[0]

    # ------------------------------------------------------------------ time
    def tick(self, seconds: float = 0.0) -> None:
        self.controller.tick(seconds)

    def run_until(self, predicate: Callable[[], bool], max_seconds: float, step: float = 1.0) -> bool:
        return self.controller.run_until(predicate, max_seconds, step)

    # ------------------------------------------------------------------ plugin actions
    def _act(
        self, name: str, status: dict[str, Any] | None = None, spec: dict[str, Any] | None = None
    ) -> None:
        """Merge-patch the rollout's status subresource, then its main resource, as the kubectl
        plugin would, and let the controller react."""
        if status is not None:
            self.store.patch("rollouts", self.namespace, name, status, MERGE, subresource="status")
        if spec is not None:
            self.store.patch("rollouts", self.namespace, name, spec, MERGE)
        self.controller.drain()

    def promote(self, name: str) -> None:
        status_patch, spec_patch = promote_patches(self.rollout(name))
        self._act(name, status_patch, spec_patch)

    def promote_full(self, name: str) -> None:
        ro = self.rollout(name)
        if (ro.get("spec") or {}).get("paused"):
            self.store.patch("rollouts", self.namespace, name, {"spec": {"paused": False}}, MERGE)
        status = ro.get("status") or {}
        full = status.get("currentPodHash") != status.get("stableRS")
        self._act(name, {"status": {"promoteFull": True}} if full else None)

    def abort(self, name: str) -> None:
        self._act(name, {"status": {"abort": True}})

    def retry(self, name: str) -> None:
        self._act(name, {"status": {"abort": False}})

    def pause(self, name: str) -> None:
        self._act(name, spec={"spec": {"paused": True}})

    def restart(self, name: str) -> None:
        self._act(name, spec={"spec": {"restartAt": rfc3339(self.clock.now())}})

    def undo(self, name: str, to_revision: int = 0) -> str:
        ro = self.rollout(name)
        candidates = [rs for rs in self.replicasets(name)]
        revisions = sorted(
            (int(rs["metadata"]["annotations"].get(REVISION_ANNOTATION, 0)), i)
            for i, rs in enumerate(candidates)
        )
        if to_revision == 0:
            if len(revisions) < 2:
                return "no rollout history found"
            target = candidates[revisions[-2][1]]
        else:
            found = next((candidates[i] for rev, i in revisions if rev == to_revision), None)
            if found is None:
                return f"unable to find specified revision {to_revision} in history"
            target = found
        template = copy.deepcopy(target["spec"]["template"])
        template.get("metadata", {}).get("labels", {}).pop(HASH_LABEL, None)
        if template == ro["spec"]["template"]:
            return f"skipped rollback (current template already matches revision {to_revision})"
        self.store.patch(
            "rollouts",
            self.namespace,
            name,
            [{"op": "replace", "path": "/spec/template", "value": template}],
            JSON_PATCH,
        )
        self.controller.drain()
        return f"rollout '{name}' undo"

    def set_image(self, name: str, image: str, container: str = "*") -> None:
        for _attempt in range(5):
            ro = self.rollout(name)
            for c in ro["spec"]["template"]["spec"].get("containers") or []:
                if container in ("*", c.get("name")):
                    c["image"] = image
            try:
                self.store.replace("rollouts", ro)
                break
            except Exception as exc:
                if getattr(exc, "code", None) != 409:
                    raise
        self.controller.drain()
