"""Calls into kube ``Actions`` for a confirmed Plan, on a worker thread.

Never retried here: an action that failed in an unknown way is reported, not repeated (two
operators pressing promote must not skip two steps). The kube layer compares the ``ViewState``
of the rollout the operator confirmed with the live object and answers "stale" when it moved on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rollout_tui.kube.guards import ViewState

from .plans import Plan
from .safe import clean


@dataclass(frozen=True)
class Outcome:
    ok: bool
    outcome: str  # applied | noop | stale | denied | unknown | failed | unavailable
    text: str


def run(actions: Any, plan: Plan, namespace: str, name: str, confirmed: dict) -> Outcome:
    """``confirmed`` is the Rollout object as shown in the confirmation modal."""
    if actions is None:
        return Outcome(False, "unavailable", "read-only: this session has no write access")
    expected = ViewState.of(confirmed)
    exp = plan.expected
    try:
        if plan.action in ("promote", "promote_full"):
            result = actions.promote(namespace, name, expected=expected, full=plan.action == "promote_full")
        elif plan.action == "undo":
            result = actions.undo(
                namespace, name, to_revision=int(exp.get("revision") or 0), expected=expected
            )
        elif plan.action == "set_image":
            result = actions.set_image(
                namespace, name, str(exp.get("container") or "*"), str(exp["image"]), expected=expected
            )
        else:
            result = getattr(actions, plan.action)(namespace, name, expected=expected)
    except Exception as exc:  # a bug or a transport error must become a toast, not a dead worker
        return Outcome(False, "failed", clean(f"{type(exc).__name__}: {exc}", 300))
    return Outcome(
        bool(getattr(result, "ok", False)),
        clean(getattr(result, "outcome", "unknown"), 20),
        clean(getattr(result, "message", ""), 300),
    )
