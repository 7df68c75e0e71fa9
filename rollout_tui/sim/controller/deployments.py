"""A plain Deployment controller, enough for a Deployment a Rollout migrates from (workloadRef):
one ReplicaSet per pod template (``<deployment>-<pod-template-hash>``), the newest at
spec.replicas and the older ones scaled to 0 once it is available, status counts and the
Available/Progressing conditions with kube-controller-manager's wording
(pkg/controller/deployment)."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from rollout_tui.sim.clock import rfc3339
from rollout_tui.sim.controller.events import Source
from rollout_tui.sim.naming import pod_template_hash
from rollout_tui.sim.objects import as_int, labels, meta, owner_reference, write_status

HASH = "pod-template-hash"
CONTROLLER = Source("deployment-controller")


class DeploymentReconciler:
    def __init__(self, controller: Any) -> None:
        self.c = controller

    def reconcile(self, deployment: dict[str, Any]) -> datetime | None:
        spec = deployment.get("spec") or {}
        desired = max(as_int(spec.get("replicas"), 1), 0) if spec.get("replicas") is not None else 1
        digest = pod_template_hash(spec.get("template"))
        owned = self.c.cache.owned(deployment, "replicasets")
        new = next((rs for rs in owned if labels(rs).get(HASH) == digest), None)
        if new is None:
            new = self._create(deployment, digest)
        self._scale(deployment, new, desired)
        new_available = as_int((new.get("status") or {}).get("availableReplicas"))
        for rs in owned:
            if meta(rs)["name"] != meta(new)["name"] and new_available >= desired:
                self._scale(deployment, rs, 0)
        self._status(deployment, owned + ([new] if new not in owned else []), new, desired)
        return None

    def _create(self, deployment: dict[str, Any], digest: str) -> dict[str, Any]:
        template = copy.deepcopy((deployment.get("spec") or {}).get("template") or {})
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = {**(tmeta.get("labels") or {}), HASH: digest}
        selector = copy.deepcopy((deployment.get("spec") or {}).get("selector") or {})
        selector.setdefault("matchLabels", {})[HASH] = digest
        revision = 1 + max(
            (
                as_int((meta(rs).get("annotations") or {}).get("deployment.kubernetes.io/revision"))
                for rs in self.c.cache.owned(deployment, "replicasets")
            ),
            default=0,
        )
        rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": f"{meta(deployment)['name']}-{digest}",
                "namespace": meta(deployment).get("namespace"),
                "labels": dict(tmeta["labels"]),
                "annotations": {"deployment.kubernetes.io/revision": str(revision)},
                "ownerReferences": [owner_reference(deployment)],
            },
            "spec": {"replicas": 0, "selector": selector, "template": template},
        }
        created: dict[str, Any] = self.c.store.create("replicasets", rs)
        return created

    def _scale(self, deployment: dict[str, Any], rs: dict[str, Any], replicas: int) -> None:
        current = as_int((rs.get("spec") or {}).get("replicas"), 1)
        if current == replicas:
            return
        self.c.store.mutate(
            "replicasets",
            meta(rs).get("namespace"),
            meta(rs)["name"],
            lambda obj: obj["spec"].__setitem__("replicas", replicas),
        )
        direction = "up" if replicas > current else "down"
        self.c.events.record(
            deployment,
            "Normal",
            "ScalingReplicaSet",
            f"Scaled {direction} replica set {meta(rs)['name']} from {current} to {replicas}",
            CONTROLLER,
        )

    def _status(
        self, deployment: dict[str, Any], rss: list[dict[str, Any]], new: dict[str, Any], desired: int
    ) -> None:
        def total(key: str, among: list[dict[str, Any]]) -> int:
            return sum(as_int((rs.get("status") or {}).get(key)) for rs in among)

        available = total("availableReplicas", rss)
        old_status = deployment.get("status") or {}
        now = rfc3339(self.c.clock.now())
        complete = total("availableReplicas", [new]) >= desired and total("replicas", rss) == desired
        wanted = {
            "Available": (
                ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
                if available >= desired
                else ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
            ),
            "Progressing": (
                (
                    "True",
                    "NewReplicaSetAvailable",
                    f'ReplicaSet "{meta(new)["name"]}" has successfully progressed.',
                )
                if complete
                else ("True", "ReplicaSetUpdated", f'ReplicaSet "{meta(new)["name"]}" is progressing.')
            ),
        }
        previous = {c.get("type"): c for c in old_status.get("conditions") or [] if isinstance(c, dict)}
        conditions = []
        for kind, (state, reason, message) in wanted.items():
            before = previous.get(kind) or {}
            same = (before.get("status"), before.get("reason"), before.get("message")) == (
                state,
                reason,
                message,
            )
            transition = before.get("lastTransitionTime") if before.get("status") == state else now
            conditions.append(
                {
                    "lastTransitionTime": transition or now,
                    "lastUpdateTime": before.get("lastUpdateTime", now) if same else now,
                    "message": message,
                    "reason": reason,
                    "status": state,
                    "type": kind,
                }
            )
        status: dict[str, Any] = {
            "observedGeneration": meta(deployment).get("generation", 1),
            "conditions": conditions,
        }
        for key, value in (
            ("replicas", total("replicas", rss)),
            ("updatedReplicas", total("replicas", [new])),
            ("readyReplicas", total("readyReplicas", rss)),
            ("availableReplicas", available),
            ("unavailableReplicas", max(desired - available, 0)),
        ):
            if value:
                status[key] = value
        if status != old_status:
            write_status(self.c.store, "deployments", deployment, status, expect_rv=False)
