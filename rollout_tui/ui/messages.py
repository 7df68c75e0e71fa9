"""Every custom message of the shell; worker threads talk to the UI only through these."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from .plans import Plan


class ActionFinished(Message):
    """An action's worker is done (any outcome: applied, stale, denied, failed...)."""

    def __init__(self, key: str, plan: Plan, ok: bool, outcome: str, text: str) -> None:
        super().__init__()
        self.key, self.plan, self.ok, self.outcome, self.text = key, plan, ok, outcome, text


class AccessChecked(Message):
    """RBAC answers for one context/namespace arrived: {action: (allowed, reason)}."""

    def __init__(self, context: str, namespace: str, answers: dict[str, tuple[bool, str]]) -> None:
        super().__init__()
        self.context, self.namespace, self.answers = context, namespace, answers


class DetailOpened(Message):
    """A DetailWatch for ``key`` is open (opening may touch the network, so it is off-thread)."""

    def __init__(self, key: str, watch: Any) -> None:
        super().__init__()
        self.key, self.watch = key, watch
