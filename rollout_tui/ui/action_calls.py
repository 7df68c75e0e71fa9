"""Calls into kube ``Actions`` for a confirmed Plan, on a worker thread.

Never retried here: an action that failed in an unknown way is reported, not repeated (two
operators pressing promote must not skip two steps). The kube layer checks ``plan.expected``
against the live object and answers "stale" when the rollout moved on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .plans import Plan
from .safe import clean


@dataclass(frozen=True)
class Outcome:
    ok: bool
    outcome: str  # applied | stale | denied | unknown | failed | unavailable
    text: str


def run(actions: Any, plan: Plan, namespace: str, name: str) -> Outcome:
    if actions is None:
        return Outcome(False, "unavailable", "read-only: this session has no write access")
    exp = plan.expected
    try:
        if plan.action in ("promote", "promote_full"):
            result = actions.promote(namespace, name, full=plan.action == "promote_full",
                                     expected_step=exp.get("step"), expected_pod_hash=exp.get("pod_hash"))
        elif plan.action == "undo":
            result = actions.undo(namespace, name, revision=exp.get("revision") or 0,
                                  expected_pod_hash=exp.get("pod_hash"))
        elif plan.action == "set_image":
            result = actions.set_image(namespace, name, container=exp.get("container") or "*",
                                       image=exp["image"], expected_pod_hash=exp.get("pod_hash"))
        else:
            method = getattr(actions, plan.action)
            result = method(namespace, name, expected_step=exp.get("step"),
                            expected_pod_hash=exp.get("pod_hash"))
    except Exception as exc:  # a bug or a transport error must become a toast, not a dead worker
        return Outcome(False, "failed", clean(f"{type(exc).__name__}: {exc}", 300))
    return Outcome(bool(getattr(result, "ok", False)), clean(getattr(result, "outcome", "unknown"), 20),
                   clean(getattr(result, "message", ""), 300))
