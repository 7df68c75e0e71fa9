"""The detail pane on its own screen, for terminals too narrow to show it beside the table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..keybar import KeyFooter

if TYPE_CHECKING:
    from ..app import RolloutApp


class DetailScreen(Screen[None]):
    AUTO_FOCUS = None  # on_mount focuses the pane, which keeps its scroll at the top
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("backspace", "back", "Back", show=False),
    ]

    def __init__(self, pane_class: Any, ascii_only: bool = False) -> None:
        super().__init__()
        self.pane = pane_class(ascii_only=ascii_only, id="detail-full")

    @property
    def shell(self) -> RolloutApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield self.pane
        yield KeyFooter()

    def on_mount(self) -> None:
        self.pane.focus()
        self.call_after_refresh(self.shell.refresh_detail_now)

    def action_back(self) -> None:
        self.app.pop_screen()
        self.shell.detail_screen_closed()
