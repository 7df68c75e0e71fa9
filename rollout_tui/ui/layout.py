"""How the shell is laid out and where its detail goes: the interactive layout, and the wall's.

The app (app.py) owns the data and the flows; a layout decides the widgets, which rollout the
detail shows, and what happens after each refresh. The wall is the same app composed with
`WallLayout` (banner, no input, cycling through what needs attention).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from .detail import DetailPane
from .fleet_view import Changes, Entry
from .footer import Footer
from .header import HeaderBar, describe_connection
from .overview import OverviewTable
from .screens.detail import DetailScreen
from .wall import WallBanner, banner

if TYPE_CHECKING:
    from .app import RolloutApp

# Each switch repaints the whole detail (a full screen at 160x48 is ~20 KiB): a wall is read from
# across the room, so a rollout stays up long enough to be read and the link stays quiet.
WALL_CYCLE_SECONDS = 30.0


class ShellLayout:
    default_sort = "attention"  # what needs a human first

    def __init__(self, app: RolloutApp) -> None:
        self.app = app

    def compose(self) -> ComposeResult:
        app = self.app
        yield HeaderBar(id="header")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Input(id="filter", placeholder='filter: name, "exact", label:value, !exclude')
                yield OverviewTable(app.glyphs, show_context=len(app.contexts) > 1, id="table")
                yield Static(id="hints")
            yield DetailPane(ascii_only=app.glyphs.ascii, id="detail")
        # every action key must fit in 80 columns; ctrl+p is in the help screen
        yield Footer(compact=True, show_command_palette=False)

    def mounted(self) -> None:
        app = self.app
        if app.glyphs.ascii:
            for pane in app.query("#detail"):
                pane.styles.border_left = ("ascii", pane.styles.border_left[1])
        for box in app.query("#filter").results(Input):
            box.display = False

    def wide(self) -> bool:
        return self.app.screen.has_class("-wide")

    def _detail_screen(self) -> DetailScreen | None:
        """The narrow layout's detail screen, also under a modal (a confirmation, the metric chart):
        the detail stays open and live behind it, so closing the modal finds it as it was."""
        return next((s for s in reversed(self.app.screen_stack) if isinstance(s, DetailScreen)), None)

    def detail_on_screen(self) -> bool:
        return self.wide() or self._detail_screen() is not None

    def detail_target(self) -> Entry | None:
        return self.app.selected_entry if self.detail_on_screen() else None

    def detail_pane(self) -> Any:
        screen = self._detail_screen()
        if screen is not None:
            return screen.pane
        panes = self.app.screen_stack[0].query("#detail")  # the shell's screen, under any modal
        return panes.first() if panes and self.wide() else None

    def open_detail(self) -> None:
        if self.wide():
            self.app.query_one("#detail").focus()
        else:
            self.app.push_screen(DetailScreen(DetailPane, ascii_only=self.app.glyphs.ascii))

    def detail_screen_closed(self) -> None:
        if not self.wide():
            self.app.feed.close()

    def show_hints(self, text: Text) -> None:
        self.app.query_one("#hints", Static).update(text, layout=False)  # one fixed line: no relayout

    def refreshed(self, changes: Changes) -> None:
        """After every refresh; the interactive layout has nothing more to do."""


class WallLayout(ShellLayout):
    def __init__(self, app: RolloutApp) -> None:
        super().__init__(app)
        self.showing: str | None = None
        self.position = ""
        self._cycle = -1

    def compose(self) -> ComposeResult:
        app = self.app
        yield HeaderBar(id="header")
        yield WallBanner(id="banner")
        with Horizontal(id="main", classes="wall"):
            with Vertical(id="left"):
                yield OverviewTable(app.glyphs, show_context=len(app.contexts) > 1, id="table")
            yield DetailPane(ascii_only=app.glyphs.ascii, id="detail")

    def mounted(self) -> None:
        super().mounted()
        self.app.set_interval(WALL_CYCLE_SECONDS, self.next_rollout)
        self.app.call_after_refresh(self.next_rollout)

    def _trouble(self) -> list[Entry]:
        return [e for e in self.app.visible_entries if e.attention.needs_me]

    def detail_on_screen(self) -> bool:
        return self.showing is not None

    def detail_target(self) -> Entry | None:
        return self.app.view.entries.get(self.showing) if self.showing else None

    def detail_pane(self) -> Any:
        return self.app.query_one("#detail")

    def show_hints(self, text: Text) -> None:
        """A wall has no hints line."""

    def next_rollout(self) -> None:
        app = self.app
        trouble = self._trouble()
        if not trouble:
            self.showing = None
            app.feed.close()
            app.query_one("#detail").display = False
            self._show_banner()
            return
        self._cycle = (self._cycle + 1) % len(trouble)
        entry = trouble[self._cycle]
        position = f"{self._cycle + 1}/{len(trouble)} need attention"
        if entry.key == self.showing and position == self.position:
            return  # the only one in trouble: already on show, nothing to repaint
        self.showing, self.position = entry.key, position
        app.query_one("#detail").display = True
        app.table.select_key(entry.key)
        self._show_banner()
        app.refresh_detail(force=True)

    def refreshed(self, changes: Changes) -> None:
        gone = self.showing is not None and self.showing not in self.app.view.entries
        if gone or (self.showing is None and self._trouble()):
            self.next_rollout()
        else:
            self._show_banner()  # also every second: a stale cluster's "no data for 12 s" counts

    def _show_banner(self) -> None:
        app = self.app
        entry = app.view.entries.get(self.showing) if self.showing else None
        connections = app.view.connections
        stale = tuple(
            describe_connection(connections[ctx], app.glyphs, context=ctx)[0]
            for ctx in app.contexts
            if ctx in connections and connections[ctx].stale
        )
        position = self.position if entry is not None else ""
        app.query_one(WallBanner).show(banner(entry, len(app.view.entries), app.glyphs, position, stale))
