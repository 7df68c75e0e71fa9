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


def _key(binding_id: str, default: str, keymap: Mapping[str, str]) -> str:
    """The key the operator presses: the config's keymap, else the default (first one shown)."""
    return display(keymap.get(binding_id, default).split(",")[0].strip())


def _rows(read_only: bool, keymap: Mapping[str, str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    view = [(_key(k.action, k.key, keymap), k.help) for k in VIEW_KEYS]
    view += [("m", "Metric chart (detail)"), ("Tab", "Table / detail pane"), ("ctrl+p", "Command palette")]
    actions = [("", "disabled: --read-only" if read_only else "each asks first; greyed if not allowed")]
    actions += [(_key(spec.id, spec.key, keymap), spec.title) for spec in ACTION_KEYS]
    actions += [("", ""), ("Esc", "Close / back / clear filter")]
    for start, end in HELP_GROUPS:  # the detail tree's keys, a few to a line so 80x24 holds them
        keys = DETAIL_KEYS[start:end]
        words = ", ".join(k.description for k in keys)
        actions.append((" ".join(_key(k.action, k.key, keymap) for k in keys), f"{words} (detail)"))
    return view, actions


def help_table(read_only: bool, keymap: Mapping[str, str] | None = None) -> Table:
    """Two key columns side by side, so the whole list fits 80x24."""
    table = Table.grid(padding=(0, 1))
    for _ in range(2):
        table.add_column(style="bold", no_wrap=True)
        table.add_column(no_wrap=True, overflow="ellipsis")
    view, actions = _rows(read_only, keymap or {})
    table.add_row(Text("View", style="underline"), "", Text("Actions", style="underline"), "")
    for i in range(max(len(view), len(actions))):
        left = view[i] if i < len(view) else ("", "")
        right = actions[i] if i < len(actions) else ("", "")
        table.add_row(left[0], left[1], right[0], Text(right[1], style="dim" if not right[0] else ""))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, read_only: bool = False, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.read_only = read_only
        self.keymap = dict(keymap or {})  # binding id -> keys, from the config file

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("rollout-tui keys", style="bold"))
            yield Static(help_table(self.read_only, self.keymap))
            yield Static(Text(FILTER_HELP, style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
