"""Stale-view guard: an action applies only to the rollout the operator confirmed.

The UI captures ``ViewState.of(rollout)`` when it shows the confirmation; the action re-reads the
rollout, compares the fields that matter for that action and refuses with "changed since you
looked: now at step 4/8" when they differ. The write itself then carries the resourceVersion it
was checked against (merge patch ``metadata.resourceVersion``, JSON Patch ``test`` op, or PUT), so
the check and the write are atomic on the server: of two operators promoting the same paused step,
the second write gets 409, re-reads, sees the step moved on and reports stale. Exactly one step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rollout_tui.kube.patches import canary_steps, current_step_index


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class ViewState:
    resource_version: str
    pod_hash: str
    step_index: int | None
    step_count: int
    paused: bool  # pause conditions present or spec.paused
    aborted: bool

    @classmethod
    def of(cls, ro: dict) -> ViewState:
        status = _dict(ro.get("status"))
        return cls(
            resource_version=str(_dict(ro.get("metadata")).get("resourceVersion") or ""),
            pod_hash=str(status.get("currentPodHash") or ""),
            step_index=current_step_index(ro),
            step_count=len(canary_steps(ro) or []),
            paused=bool(status.get("pauseConditions")) or _dict(ro.get("spec")).get("paused") is True,
            aborted=status.get("abort") is True,
        )

    def describe(self) -> str:
        parts = []
        if self.step_index is not None:
            parts.append(f"at step {self.step_index}/{self.step_count}")
        parts.append("aborted" if self.aborted else "paused" if self.paused else "not paused")
        if self.pod_hash:
            parts.append(f"revision {self.pod_hash}")
        return ", ".join(parts)


# which parts of the confirmed view each action depends on
RELEVANT: dict[str, tuple[str, ...]] = {
    "promote": ("pod_hash", "step_index", "paused", "aborted"),
    "promote_full": ("pod_hash", "aborted"),
    "abort": ("pod_hash", "aborted"),
    "retry": ("pod_hash", "aborted"),
    "pause": ("pod_hash", "paused"),
    "restart": ("pod_hash",),
    "undo": ("pod_hash",),
    "set_image": ("pod_hash",),
}


def stale_reason(action: str, expected: ViewState, current: ViewState) -> str | None:
    """None when ``current`` still matches what the operator confirmed for ``action``."""
    changed = [f for f in RELEVANT.get(action, ("pod_hash",)) if getattr(expected, f) != getattr(current, f)]
    if not changed:
        return None
    if "pod_hash" in changed:
        detail = f"now rolling out revision {current.pod_hash or '?'}"
        if current.step_index is not None:
            detail += f" at step {current.step_index}/{current.step_count}"
    elif "step_index" in changed and current.step_index is not None:
        detail = f"now at step {current.step_index}/{current.step_count}"
        if not current.paused:
            detail += ", not paused"
    elif "aborted" in changed:
        detail = "now aborted" if current.aborted else "no longer aborted"
    else:
        pause = "paused" if current.paused else "not paused"
        detail = (
            f"now at step {current.step_index}/{current.step_count}, {pause}"
            if current.step_index is not None
            else f"now {pause}"
        )
    return f"changed since you looked: {detail}"
