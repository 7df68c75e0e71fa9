"""What the overview's store keeps of each Rollout: its RolloutState, not the object.

A Rollout decodes to ~10 KB of dicts; its state is well under 1 KB and holds every fact the
overview shows and every field the stale-view guard compares. The full object is read only where
it is needed: the detail watches its rollout by name (kube/detail.py) and an action GETs the
rollout before writing (kube/actions.py).

Strings many rollouts repeat (namespaces, label keys and values, phases, pause reasons) are
interned in the freshly decoded object before its state is computed, so the fleet keeps one copy
of each; a pod-template hash that is both current and stable is kept once. Only strings whose
variety is bounded by the fleet's shape are interned (interned strings are immortal on Python
3.12), never messages, hashes or images, which change with every rollout.
"""

from __future__ import annotations

import sys
from typing import Any

from rollout_tui.model.state import RolloutState, rollout_state


def _interned(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


def _intern_in(mapping: Any, *keys: str) -> None:
    if type(mapping) is dict:
        for key in keys:
            value = mapping.get(key)
            if type(value) is str:
                mapping[key] = sys.intern(value)


def _intern_shared(obj: dict[str, Any]) -> None:
    """Intern, in place, the strings of a decoded Rollout that its state keeps and others share."""
    meta = obj.get("metadata")
    _intern_in(meta, "namespace")
    labels = meta.get("labels") if type(meta) is dict else None
    if type(labels) is dict:
        meta["labels"] = {_interned(k): _interned(v) for k, v in labels.items()}  # type: ignore[index]
    status = obj.get("status")
    if type(status) is not dict:
        return
    _intern_in(status, "phase")
    if type(status.get("pauseConditions")) is list:
        for condition in status["pauseConditions"]:
            _intern_in(condition, "reason")
    if status.get("stableRS") == status.get("currentPodHash"):
        status["stableRS"] = status.get("currentPodHash")


def overview_state(obj: dict[str, Any]) -> RolloutState:
    """The state the overview stores for a freshly decoded Rollout (which it may modify)."""
    _intern_shared(obj)
    return rollout_state(obj)
