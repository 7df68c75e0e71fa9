"""The detail pane on its own screen, for terminals too narrow to show it beside the table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen

from ..keybar import KeyFooter

if TYPE_CHECKING:
    from ..app import RolloutApp


class DetailScreen(Screen[None]):
    AUTO_FOCUS = None  # on_mount focuses the pane, which keeps its scroll at the top
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("backspace", "back", "Back", show=False),
        # The whole detail scrolls, whichever of its parts has focus: the revision tree is as
        # tall as its content, so it would take these keys and never reach Analysis or Events.
        Binding("pagedown", "scroll_detail('scroll_page_down')", "Page down", show=False, priority=True),
        Binding("pageup", "scroll_detail('scroll_page_up')", "Page up", show=False, priority=True),
        Binding("end", "scroll_detail('scroll_end')", "End", show=False, priority=True),
        Binding("home", "scroll_detail('scroll_home')", "Top", show=False, priority=True),
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

    def action_scroll_detail(self, how: str) -> None:
        """Scroll the pane's body (its outermost scrolling part)."""
        bodies = self.pane.query(VerticalScroll)
        if bodies:
            getattr(bodies.first(), how)(animate=False)

    def action_back(self) -> None:
        self.app.pop_screen()
        self.shell.detail_screen_closed()
