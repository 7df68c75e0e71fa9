"""Yes/no confirmation for an action, with focus on Cancel so Enter never acts by accident."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..action_flow import Proposal
from ..safe import clean
from ..styles import dialog_css
from .question import QuestionScreen


class ConfirmScreen(QuestionScreen):
    DEFAULT_CSS = (
        dialog_css("ConfirmScreen", "Vertical", 72, "$warning", "1 2", max_height=None)
        + """
    ConfirmScreen #title { text-style: bold; }
    ConfirmScreen #summary { margin: 1 0; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; min-width: 12; }
    """
    )

    def __init__(self, proposal: Proposal, show_context: bool = False) -> None:
        super().__init__()
        self.proposal = proposal
        self.show_context = show_context

    def compose(self) -> ComposeResult:
        spec = self.proposal.spec
        title = Text(f"{spec.title}?")
        if self.show_context:
            title.append(f"  (cluster {clean(self.proposal.context, 40)})", style="dim")
        with Vertical():
            yield Static(title, id="title")
            yield Static(Text(clean(self.proposal.text, 600)), id="summary")
            yield Static(
                Text(
                    # Not "retried": that is an action of its own (Retry), and this line is in its dialog too.
                    "Sent once, not sent again if it fails. Refused if the rollout changed since you looked.",
                    style="dim",
                )
            )
            yield from self.buttons(spec.title)
