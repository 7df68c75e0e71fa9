"""The detail pane on its own screen, for terminals too narrow to show it beside the table."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer


class DetailScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("backspace", "back", "Back", show=False),
    ]

    def __init__(self, pane_class: Any, ascii_only: bool = False) -> None:
        super().__init__()
        self.pane = pane_class(ascii_only=ascii_only, id="detail-full")
        self.ready = False  # the shell shows data only once the pane's widgets are mounted

    def compose(self) -> ComposeResult:
        yield self.pane
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.pane.focus()
        self.call_after_refresh(self._mounted)

    def _mounted(self) -> None:
        self.ready = True
        refresh = getattr(self.app, "refresh_detail_now", None)
        if callable(refresh):
            refresh()

    def action_back(self) -> None:
        self.app.pop_screen()
        closed = getattr(self.app, "detail_screen_closed", None)
        if callable(closed):
            closed()
