"""Every custom message of the shell; worker threads talk to the UI only through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from rollout_tui.kube.actions import ActionResult
from rollout_tui.kube.detail import DetailWatch

if TYPE_CHECKING:
    from .action_flow import Proposal


class ActionFinished(Message):
    """An action's worker is done (any outcome: applied, stale, denied, failed...)."""

    def __init__(self, proposal: Proposal, result: ActionResult) -> None:
        super().__init__()
        self.proposal, self.result = proposal, result


class AccessChecked(Message):
    """RBAC answers for one context/namespace arrived: {action id: (allowed, reason)}."""

    def __init__(self, context: str, rollout_namespace: str, answers: dict[str, tuple[bool, str]]) -> None:
        super().__init__()
        # not `namespace`: Message.namespace is Textual's handler-name prefix
        self.context, self.rollout_namespace, self.answers = context, rollout_namespace, answers


class DetailOpened(Message):
    """A DetailWatch for `key` is open (opening touches the network, so it is off-thread)."""

    def __init__(self, key: str, watch: DetailWatch) -> None:
        super().__init__()
        self.key, self.watch = key, watch


class DetailFailed(Message):
    """Opening the detail's watches failed; `text` is already sanitised."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
