"""What an action would do to a rollout, in words, and whether it makes sense now.

Pure: built from the Rollout dict the operator is looking at. The confirmation modal shows
``Plan.summary``; the kube layer is given ``Plan.expected`` so it can refuse when the rollout
moved on since (stale view) instead of acting twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rollout_tui.model.fields import as_dict, dig

from . import facts
from .safe import clean

ACTIONS = ("promote", "promote_full", "abort", "retry", "pause", "restart", "undo", "set_image")
TITLES = {
    "promote": "Promote",
    "promote_full": "Promote fully",
    "abort": "Abort",
    "retry": "Retry",
    "pause": "Pause",
    "restart": "Restart",
    "undo": "Undo (roll back)",
    "set_image": "Set image",
}


@dataclass(frozen=True)
class Plan:
    action: str
    target: str  # "namespace/name"
    summary: str  # exactly what will happen, one or two sentences
    enabled: bool = True
    reason: str = ""  # why not, when disabled
    expected: dict[str, Any] = field(default_factory=dict)  # the state the operator confirmed


def _target(rollout: dict) -> str:
    meta = as_dict(rollout.get("metadata"))
    return f"{clean(meta.get('namespace'), 80)}/{clean(meta.get('name'), 120)}"


def _status(rollout: dict) -> str:
    phase = dig(rollout, "status", "phase")
    return phase if isinstance(phase, str) else ""


def _expected(rollout: dict) -> dict[str, Any]:
    return {
        "step": facts.current_step_index(rollout),
        "pod_hash": dig(rollout, "status", "currentPodHash"),
        "resource_version": dig(rollout, "metadata", "resourceVersion"),
    }


def _step_text(rollout: dict, index: int | None) -> str:
    steps = facts.canary_steps(rollout)
    pos = facts.step_position(rollout)
    if index is None:
        return "-"
    if index >= len(steps):
        return f"{pos.label(len(steps))} (complete)"
    return f"{pos.label(index)} ({facts.step_label(steps[index])})"


def _promote(rollout: dict, target: str, full: bool) -> Plan:
    action = "promote_full" if full else "promote"
    expected = _expected(rollout)
    if facts.is_aborted(rollout):
        return Plan(action, target, "", False, "rollout is aborted: retry it first", expected)
    paused_spec = dig(rollout, "spec", "paused") is True
    pod_hash = dig(rollout, "status", "currentPodHash")
    stable = dig(rollout, "status", "stableRS")
    if facts.strategy(rollout) == "BlueGreen":
        if full:
            if pod_hash and pod_hash == stable and not paused_spec:
                return Plan(action, target, "", False, "already fully promoted", expected)
            return Plan(
                action,
                target,
                f"promote {target} fully: switch the active service to "
                f"revision {clean(pod_hash, 20)} and skip remaining analysis/pauses",
                True,
                "",
                expected,
            )
        if not facts.pause_reasons(rollout) and not paused_spec:
            return Plan(action, target, "", False, "not paused: nothing to promote", expected)
        return Plan(
            action,
            target,
            f"promote {target}: switch the active service to the preview revision {clean(pod_hash, 20)}",
            True,
            "",
            expected,
        )
    steps = facts.canary_steps(rollout)
    index = facts.current_step_index(rollout)
    if full:
        if pod_hash and pod_hash == stable and not paused_spec:
            return Plan(action, target, "", False, "already fully promoted", expected)
        return Plan(
            action,
            target,
            f"promote {target} fully from step {_step_text(rollout, index)}: skip every "
            f"remaining step and analysis and make revision {clean(pod_hash, 20)} stable",
            True,
            "",
            expected,
        )
    if not steps:
        if paused_spec:
            return Plan(action, target, f"promote {target}: resume (unpause)", True, "", expected)
        return Plan(action, target, "", False, "no steps: nothing to promote", expected)
    current = index or 0
    if current >= len(steps) and not paused_spec:
        return Plan(action, target, "", False, "all steps complete", expected)
    nxt = min(current + 1, len(steps))
    return Plan(
        action,
        target,
        f"promote {target} from step {_step_text(rollout, current)} to {_step_text(rollout, nxt)}",
        True,
        "",
        expected,
    )


def plan(
    action: str, rollout: dict, *, revision: int | None = None, image: str = "", container: str = "*"
) -> Plan:
    target = _target(rollout)
    status = _status(rollout)
    expected = _expected(rollout)
    if action in ("promote", "promote_full"):
        return _promote(rollout, target, action == "promote_full")
    if action == "abort":
        if facts.is_aborted(rollout):
            return Plan(action, target, "", False, "already aborted", expected)
        if status == "Healthy":
            return Plan(action, target, "", False, "healthy: no update in progress to abort", expected)
        return Plan(
            action,
            target,
            f"abort {target}: send all traffic back to the stable revision and "
            "scale the canary down (status.abort=true)",
            True,
            "",
            expected,
        )
    if action == "retry":
        if not facts.is_aborted(rollout):
            return Plan(action, target, "", False, "only an aborted rollout can be retried", expected)
        return Plan(
            action,
            target,
            f"retry {target}: clear the abort and restart the update from step 0",
            True,
            "",
            expected,
        )
    if action == "pause":
        if dig(rollout, "spec", "paused") is True:
            return Plan(action, target, "", False, "already paused (promote resumes)", expected)
        return Plan(
            action,
            target,
            f"pause {target} at step {_step_text(rollout, facts.current_step_index(rollout))}"
            " (spec.paused=true; promote resumes it)",
            True,
            "",
            expected,
        )
    if action == "restart":
        return Plan(
            action,
            target,
            f"restart {target}: replace every pod of the stable revision, "
            "one at a time respecting maxUnavailable (spec.restartAt=now)",
            True,
            "",
            expected,
        )
    if action == "undo":
        if revision is None:
            return Plan(
                action,
                target,
                f"undo {target}: roll back to the previous revision",
                True,
                "",
                {**expected, "revision": 0},
            )
        return Plan(
            action,
            target,
            f"undo {target}: roll back the pod template to revision {revision} "
            "(a new revision is created from it)",
            True,
            "",
            {**expected, "revision": revision},
        )
    if action == "set_image":
        if not image:
            return Plan(action, target, "", False, "no image given", expected)
        which = "every container" if container in ("", "*") else f"container {clean(container, 60)}"
        return Plan(
            action,
            target,
            f"set the image of {which} of {target} to {clean(image, 200)} (starts an update)",
            True,
            "",
            {**expected, "image": image, "container": container},
        )
    return Plan(action, target, "", False, f"unknown action {action}", expected)
