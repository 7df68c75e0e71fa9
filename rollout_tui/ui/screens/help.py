"""`?`: every key, what the modes do, and the filter syntax."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import ACTION_KEYS, FILTER_HELP, VIEW_KEYS, display


def help_table(read_only: bool) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row(Text("View", style="underline"), "")
    for key in VIEW_KEYS:
        table.add_row(display(key.key), key.description)
    table.add_row("m", "Metric chart of the selected analysis metric (detail)")
    table.add_row("Tab", "Move between the table and the detail pane")
    table.add_row("ctrl+p", "Command palette: switch namespace/context, run actions")
    table.add_row("", "")
    table.add_row(Text("Actions", style="underline"),
                  Text("disabled: --read-only" if read_only else "each one asks first; greyed when not allowed"))
    for key in ACTION_KEYS:
        table.add_row(display(key.key), key.description)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, read_only: bool = False) -> None:
        super().__init__()
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("rollout-tui keys", style="bold"))
            yield Static(help_table(self.read_only))
            yield Static(Text(FILTER_HELP, style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
