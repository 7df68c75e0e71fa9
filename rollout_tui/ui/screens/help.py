"""`?`: every key, what the modes do, and the filter syntax."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..detail_keys import DETAIL_KEYS, HELP_GROUPS
from ..keys import ACTION_KEYS, FILTER_HELP, VIEW_KEYS, display
from ..styles import dialog_css

MOVE_NOTE = "Esc closes, goes back or clears the filter; ctrl+p: command palette."
ACTIONS_NOTE = f"Actions ask first; greyed ones say why on the line above the footer. {MOVE_NOTE}"
OTHER_KEYS = (("Tab", "Table / detail pane"),)  # under the detail keys: 80x24 holds them all


def _key(binding_id: str, default: str, keymap: Mapping[str, str]) -> str:
    """The key the operator presses: the config's keymap, else the default (first one shown)."""
    return display(keymap.get(binding_id, default).split(",")[0].strip())


def _rows(
    read_only: bool, keymap: Mapping[str, str]
) -> tuple[list[tuple[str | Text, str]], list[tuple[str | Text, str]]]:
    view: list[tuple[str | Text, str]] = [(_key(k.action, k.key, keymap), k.help) for k in VIEW_KEYS]
    heading = "Actions (off: --read-only)" if read_only else "Actions"
    right: list[tuple[str | Text, str]] = [(Text(heading, style="underline"), "")]
    right += [] if read_only else [(_key(spec.id, spec.key, keymap), spec.title) for spec in ACTION_KEYS]
    right += [(Text("Detail", style="underline"), "")]
    for start, end in HELP_GROUPS:  # the detail tree's keys, a few to a line so 80x24 holds them
        keys = DETAIL_KEYS[start:end]
        words = ", ".join(k.description for k in keys)
        right.append((" ".join(_key(k.action, k.key, keymap) for k in keys), words))
    right += OTHER_KEYS
    return view, right


def help_table(read_only: bool, keymap: Mapping[str, str] | None = None) -> Table:
    """Two key columns side by side, so the whole list fits 80x24; a description too long for its
    column wraps, it is never cut."""
    table = Table.grid(padding=(0, 1), expand=True)
    for _ in range(2):
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
    view, right = _rows(read_only, keymap or {})
    left: list[tuple[str | Text, str]] = [(Text("View", style="underline"), ""), *view]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ("", "")
        b = right[i] if i < len(right) else ("", "")
        table.add_row(a[0], Text(a[1]), b[0], Text(b[1]))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]
    DEFAULT_CSS = dialog_css("HelpScreen", "VerticalScroll", 78)

    def __init__(self, read_only: bool = False, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.read_only = read_only
        self.keymap = dict(keymap or {})  # binding id -> keys, from the config file

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("rollout-tui keys", style="bold"))
            yield Static(help_table(self.read_only, self.keymap))
            yield Static(Text(ACTIONS_NOTE if not self.read_only else MOVE_NOTE, style="dim"))
            yield Static(Text(FILTER_HELP, style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
