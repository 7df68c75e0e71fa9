"""Yes/no confirmation for an action, with focus on Cancel so Enter never acts by accident."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..action_flow import Proposal
from ..safe import clean


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("n", "cancel", "No", show=False),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 72; max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    ConfirmScreen #title { text-style: bold; }
    ConfirmScreen #summary { margin: 1 0; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; min-width: 12; }
    """

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
            with Horizontal():
                yield Button("Cancel", id="cancel", variant="default")
                yield Button(spec.title, id="confirm", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)
