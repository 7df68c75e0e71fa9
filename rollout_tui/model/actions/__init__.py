"""The action registry: every action rollout-tui can take, each declared once.

Keys, footer, help, the command palette, RBAC checks, confirmations, the stale-view guard, the
requests sent and the CLI's action commands are all generated from `ACTIONS`.
"""

from __future__ import annotations

from rollout_tui.model.actions.children import CHILD_ACTIONS
from rollout_tui.model.actions.rollout import ROLLOUT_ACTIONS
from rollout_tui.model.actions.spec import (
    ANALYSIS_RUN,
    EXPERIMENT,
    ROLLOUT,
    ActionArgs,
    ActionRefused,
    ActionSpec,
    Permission,
    Target,
    Write,
)

ACTIONS: tuple[ActionSpec, ...] = (*ROLLOUT_ACTIONS, *CHILD_ACTIONS)
BY_ID: dict[str, ActionSpec] = {spec.id: spec for spec in ACTIONS}


def action(action_id: str) -> ActionSpec:
    try:
        return BY_ID[action_id]
    except KeyError:
        raise KeyError(f"unknown action {action_id!r}") from None


__all__ = [
    "ACTIONS",
    "ANALYSIS_RUN",
    "BY_ID",
    "EXPERIMENT",
    "ROLLOUT",
    "ActionArgs",
    "ActionRefused",
    "ActionSpec",
    "Permission",
    "Target",
    "Write",
    "action",
]
