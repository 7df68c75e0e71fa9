"""A yes/no question: Cancel has the focus (Enter never confirms by accident), Esc or n cancel,
the confirm button (id "confirm") answers yes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button


class QuestionScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("n", "cancel", "No", show=False),
    ]

    def buttons(self, confirm: str, disabled: bool = False) -> ComposeResult:
        with Horizontal():
            yield Button("Cancel", id="cancel", variant="default")
            yield Button(confirm, id="confirm", variant="warning", disabled=disabled)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)
