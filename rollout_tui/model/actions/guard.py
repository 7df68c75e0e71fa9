"""The stale-view guard: an action applies only to the rollout the operator confirmed.

The UI keeps the `RolloutState` it showed in the confirmation; just before writing, the kube layer
reads the rollout again and `stale_reason` compares the fields that action depends on (its spec's
`guard`). The write then carries the resourceVersion it was checked against, so check and write
are atomic on the server: of two operators promoting the same paused step, the second gets a
conflict, re-reads, sees the step moved on and is told so. Exactly one step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rollout_tui.model.state import RolloutState

# Fields a guard may name (all RolloutState attributes or properties).
POD_HASH, STEP, PAUSED, ABORTED = "current_pod_hash", "step_index", "paused", "aborted"


def revision_words(state: RolloutState) -> str:
    """The revision being rolled out as the controller's events name it: "revision 3 (66db45d88d)",
    the number and then the pod template hash (a hash alone is no revision)."""
    pod_hash = state.current_pod_hash
    if state.revision:
        return f"revision {state.revision} ({pod_hash})" if pod_hash else f"revision {state.revision}"
    return f"pod template {pod_hash or '?'}"


def describe_position(state: RolloutState) -> str:
    """ "at step 3/8, paused, revision 3 (6f8d)" : what the guard compares, in words."""
    parts = []
    if state.step_label:
        parts.append(f"at step {state.step_label}")
    parts.append("aborted" if state.aborted else "paused" if state.paused else "not paused")
    if state.current_pod_hash:
        parts.append(revision_words(state))
    return ", ".join(parts)


def stale_reason(guard: tuple[str, ...], expected: RolloutState, current: RolloutState) -> str:
    """ "" when `current` still matches what the operator confirmed, else what changed."""
    changed = [f for f in guard if getattr(expected, f) != getattr(current, f)]
    if not changed:
        return ""
    step = f" at step {current.step_label}" if current.step_label else ""
    if POD_HASH in changed:
        detail = f"now rolling out {revision_words(current)}{step}"
    elif STEP in changed and current.step_label:
        detail = f"now at step {current.step_label}" + ("" if current.paused else ", not paused")
    elif ABORTED in changed:
        detail = "now aborted" if current.aborted else "no longer aborted"
    else:
        pause = "paused" if current.paused else "not paused"
        detail = f"now{step}, {pause}" if step else f"now {pause}"
    return f"changed since you looked: {detail}"
