"""A full screen of read-only text about one object (logs, YAML, a revision diff, an analysis):
a title, one or more `TextLines` side by side, a status line, `/` to search, `n`/`N` to move
between matches, Escape to go back. Nothing on it is markup."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from rollout_tui.ui.textlines import TextLines


class TextScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search"),
        Binding("n", "next_match", "Next", show=False),
        Binding("N", "previous_match", "Previous", show=False),
        Binding("tab", "focus_next", "Other side", show=False),
    ]
    DEFAULT_CSS = """
    TextScreen > #text-title { height: 1; background: $panel; text-style: bold; padding: 0 1; }
    TextScreen > #text-body { height: 1fr; }
    TextScreen #text-body > Vertical { width: 1fr; height: 1fr; }
    TextScreen #text-body > Vertical > .text-pane-title { height: 1; color: $text-accent; padding: 0 1; }
    TextScreen #text-body > .-beside { border-left: solid $panel-lighten-2; }
    TextScreen > #text-status { height: 1; color: $text-muted; padding: 0 1; }
    TextScreen > #text-search { dock: bottom; display: none; }
    """

    def __init__(self, title: Text, panes: list[tuple[Text, TextLines[Any]]]) -> None:
        super().__init__()
        self.title_text = title
        self.panes = panes
        self._status = ""
        self._found = ""  # what the last search found

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, id="text-title")
        with Horizontal(id="text-body"):
            for index, (heading, lines) in enumerate(self.panes):
                with Vertical(classes="-beside" if index else ""):
                    if len(self.panes) > 1:
                        yield Static(heading, classes="text-pane-title")
                    yield lines
        yield Static(Text(""), id="text-status")
        yield Input(placeholder="search (Enter: find, Esc: cancel)", id="text-search")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.panes[0][1].focus()

    @property
    def lines(self) -> list[TextLines[Any]]:
        return [lines for _, lines in self.panes]

    def status(self, text: str) -> None:
        """The state line (the search's result stays beside it)."""
        if text != self._status:
            self._status = text
            self._show_status()

    def _show_status(self) -> None:
        line = Text(self._found, style="bold") if self._found else Text()
        if self._found and self._status:
            line.append(" · ", style="dim")
        line.append(self._status)
        self.query_one("#text-status", Static).update(line)

    # -- search ---------------------------------------------------------------------------------
    def action_search(self) -> None:
        box = self.query_one("#text-search", Input)
        box.display = True
        box.value = self.lines[0].term
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "text-search":
            return
        event.stop()
        term = event.value.strip()
        event.input.display = False
        found = [lines.search(term) for lines in self.lines]
        self.lines[0].focus()
        counts = " | ".join(str(n) for n in found)
        self._found = f"/{term}: {counts} line{'s' if found != [1] else ''} (n, N)" if term else ""
        self._show_status()

    def action_next_match(self) -> None:
        self._move(1)

    def action_previous_match(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        focused = self.focused if isinstance(self.focused, TextLines) else self.lines[0]
        if not focused.next_match(step) and focused.term:
            self._found = f"/{focused.term}: not found"
            self._show_status()

    def action_back(self) -> None:
        box = self.query_one("#text-search", Input)
        if box.display:
            box.display = False
            self.lines[0].focus()
            return
        self.dismiss(None)
