"""Yes/no confirmation for an action, with focus on Cancel so Enter never acts by accident."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..plans import TITLES, Plan


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

    def __init__(self, plan: Plan, context: str = "") -> None:
        super().__init__()
        self.plan = plan
        self.context = context

    def compose(self) -> ComposeResult:
        title = Text(f"{TITLES.get(self.plan.action, self.plan.action)}?")
        if self.context:
            title.append(f"  (cluster {self.context})", style="dim")
        with Vertical():
            yield Static(title, id="title")
            yield Static(Text(self.plan.summary), id="summary")
            yield Static(
                Text(
                    "Not retried automatically. Refused if the rollout changed since you looked at it.",
                    style="dim",
                )
            )
            with Horizontal():
                yield Button("Cancel", id="cancel", variant="default")
                yield Button(TITLES.get(self.plan.action, "OK"), id="confirm", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)
