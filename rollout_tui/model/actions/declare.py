"""Shorthands for declaring actions (`spec.ActionSpec`) whose fields follow from a few values:
the kind and success message of an action on a Rollout, the writes of a single merge patch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rollout_tui.model.actions import patches
from rollout_tui.model.actions.spec import ROLLOUT, ActionArgs, ActionSpec, Target, Write

Writes = Callable[[Target, ActionArgs], tuple[Write, ...]]
Done = Callable[[str, ActionArgs], str]


def rollout_action(
    id: str,
    key: str,
    title: str,
    *,
    done: str | Done,
    label: str = "",
    **fields: Any,
) -> ActionSpec:
    """An action on a Rollout: `label` defaults to the title; `done` as a word ("promoted") is the
    plugin's "rollout 'NAME' promoted". `fields` are the rest of ActionSpec's."""
    message = done if callable(done) else _rollout_done(done)
    return ActionSpec(id=id, key=key, title=title, label=label or title, kind=ROLLOUT, done=message, **fields)


def _rollout_done(word: str) -> Done:
    return lambda name, args: f"rollout '{name}' {word}"


def spec_patch(body: dict[str, Any]) -> Writes:
    """The writes of an action that merge-patches `body` into the Rollout itself (spec fields)."""
    return lambda target, args: (patches.main_write(target.rollout.name, body),)


def status_patch(body: dict[str, Any]) -> Writes:
    """The writes of an action that merge-patches `body` into the Rollout's status subresource."""
    return lambda target, args: (patches.status_write(target.rollout.name, body),)
