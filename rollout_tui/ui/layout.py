"""How the shell is laid out and where its detail goes: the interactive layout, and the wall's.

The app (app.py) owns the data and the flows; a layout decides the widgets, which rollout the
detail shows, and what happens after each refresh. The wall is the same app composed with
`WallLayout` (banner, no input, cycling through what needs attention).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from rollout_tui.model.attention import tally

from .detail import DetailPane
from .fleet_view import Changes, Entry
from .header import HeaderBar, describe_connection
from .keybar import HintsLine, KeyFooter
from .overview import OverviewTable
from .screens.detail import DetailScreen
from .wall import WallBanner, all_clear, banner

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
        yield HeaderBar(app.glyphs, id="header")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Input(id="filter", placeholder='filter: name, "exact", label:value, !exclude')
                yield OverviewTable(app.glyphs, show_context=len(app.contexts) > 1, id="table")
                yield Static(id="empty")
                yield HintsLine(app.glyphs.sep, app.glyphs.ellipsis, id="hints")
            yield DetailPane(ascii_only=app.glyphs.ascii, id="detail")
        yield KeyFooter()  # what fits, whole, then "? more"; ctrl+p is in the help screen

    def mounted(self) -> None:
        app = self.app
        if app.glyphs.ascii:
            for pane in app.query("#detail"):
                pane.add_class("-ascii")
        for box in app.query("#filter").results(Input):
            box.display = False

    def wide(self) -> bool:
        # The shell's screen, not the one on top: a modal just pushed has no breakpoint class until
        # its first resize, and in that moment the detail beside the table would count as closed.
        return self.app.screen_stack[0].has_class("-wide") if self.app.screen_stack else False

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

    def show_hints(self, parts: Sequence[str]) -> None:
        self.app.query_one(HintsLine).show(parts)

    def show_empty(self, text: Text | None) -> None:
        """Why the table has no rows (None: it has some)."""
        left = self.app.query_one("#left")
        if text is not None:
            self.app.query_one("#empty", Static).update(text)
        left.set_class(text is not None, "-empty")

    def refreshed(self, changes: Changes) -> None:
        """After every refresh; the interactive layout has nothing more to do."""


class WallLayout(ShellLayout):
    def __init__(self, app: RolloutApp) -> None:
        super().__init__(app)
        self.showing: str | None = None

    def compose(self) -> ComposeResult:
        app = self.app
        yield HeaderBar(app.glyphs, id="header")
        yield WallBanner(id="banner")
        with Horizontal(id="main", classes="wall"):
            with Vertical(id="left"):
                yield OverviewTable(app.glyphs, show_context=len(app.contexts) > 1, id="table")
                yield Static(id="empty")
            yield DetailPane(ascii_only=app.glyphs.ascii, id="detail")

    def mounted(self) -> None:
        super().mounted()
        self.app.set_interval(WALL_CYCLE_SECONDS, self.next_rollout)
        self.app.call_after_refresh(self.next_rollout)

    def detail_on_screen(self) -> bool:
        return self.showing is not None

    def detail_target(self) -> Entry | None:
        return self.app.view.entries.get(self.showing) if self.showing else None

    def detail_pane(self) -> Any:
        return self.app.query_one("#detail")

    def show_hints(self, parts: Sequence[str]) -> None:
        """A wall has no hints line."""

    def _trouble(self) -> list[Entry]:
        """What needs a human, in the table's order: what the header counts as "need you"."""
        return [e for e in self.app.visible_entries if e.attention.needs_me]

    def next_rollout(self) -> None:
        """The cycle: the next rollout that needs a human (the first when the one on show is done)."""
        trouble = self._trouble()
        keys = [e.key for e in trouble]
        index = (keys.index(self.showing) + 1) % len(keys) if self.showing in keys else 0
        self._show(trouble, index)

    def refreshed(self, changes: Changes) -> None:
        """Keep the banner true: its position follows the rows, and a rollout that no longer needs
        a human gives way at once (never a HEALTHY banner counted as needing attention)."""
        trouble = self._trouble()
        keys = [e.key for e in trouble]
        self._show(trouble, keys.index(self.showing) if self.showing in keys else 0)

    def _show(self, trouble: list[Entry], index: int) -> None:
        app = self.app
        wall = app.query_one(WallBanner)
        if not trouble:
            if self.showing is not None:
                self.showing = None
                app.feed.close()
            app.query_one("#detail").display = False
            wall.show(all_clear(tally(e.attention for e in app.visible_entries), app.glyphs, self._stale()))
            return
        entry = trouble[index]
        position = f"{index + 1}/{len(trouble)} need you"
        wall.show(banner(entry, position, app.glyphs, app.clock.now(), self._stale()))
        if entry.key != self.showing:
            self.showing = entry.key
            app.query_one("#detail").display = True
            app.table.select_key(entry.key)
            app.refresh_detail(force=True)

    def _stale(self) -> tuple[str, ...]:
        """What the banner says first of each cluster sending no data (every second: "for 12 s")."""
        connections = self.app.view.connections
        return tuple(
            describe_connection(connections[ctx], self.app.glyphs, context=ctx)[0]
            for ctx in self.app.contexts
            if ctx in connections and connections[ctx].stale
        )
