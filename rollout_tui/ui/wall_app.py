"""`--wall`: the shell for a wall monitor.

Read-only, no input needed but `q`, no animations, no command palette; a large status banner;
the detail cycles through the rollouts that need attention, or a quiet "all healthy" board.
Through an outage the header keeps showing how stale each cluster's data is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical

from .app import TABLE_ACTIONS, RolloutApp, detail_pane_class
from .bridge import Changes
from .header import HeaderBar
from .overview import OverviewTable
from .plans import ACTIONS
from .wall import WallBanner, attention_entries, banner

# Each switch repaints the whole detail (a full screen at 160x48 is ~20 KiB): a wall is read from
# across the room, so a rollout stays up long enough to be read and the link stays quiet.
WALL_CYCLE_SECONDS = 30.0


class WallApp(RolloutApp):
    """Read-only, no keyboard needed, larger status, no animations, cycles through trouble."""

    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[Binding]] = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, fleet: Any, contexts: Sequence[str], **kwargs: Any) -> None:
        kwargs["read_only"] = True
        kwargs["animate"] = False
        super().__init__(fleet, contexts, **kwargs)
        self._cycle = -1
        self._showing: str | None = None
        self._position = ""

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield WallBanner(id="banner")
        with Horizontal(id="main", classes="wall"):
            with Vertical(id="left"):
                yield OverviewTable(self.glyphs, show_context=len(self.contexts) > 1, id="table")
            yield detail_pane_class()(ascii_only=self.glyphs.ascii, id="detail")

    def on_mount(self) -> None:
        self.sort_key = self.default_sort = "status"  # trouble on top
        self.set_interval(WALL_CYCLE_SECONDS, self.next_wall_rollout)
        super().on_mount()
        self.next_wall_rollout()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only quitting and scrolling: a wall needs no input, and kube has no write path either.
        return action not in ACTIONS and action not in TABLE_ACTIONS and action != "help"

    def _refresh_hints(self) -> None:
        pass

    def _detail_visible(self) -> bool:
        return self._showing is not None

    def next_wall_rollout(self) -> None:
        trouble = attention_entries(self._visible_entries())
        table = self.query_one(OverviewTable)
        if not trouble:
            self._showing = None
            self.feed.close()
            self.query_one("#detail").display = False
            self.query_one(WallBanner).show(banner(None, len(self.bridge.entries), self.glyphs))
            return
        self._cycle = (self._cycle + 1) % len(trouble)
        entry = trouble[self._cycle]
        position = f"{self._cycle + 1}/{len(trouble)} need attention"
        if entry.key == self._showing and position == self._position:
            return  # the only one in trouble: already on show, nothing to repaint
        self._showing = entry.key
        self._position = position
        self.query_one("#detail").display = True
        table.select_key(entry.key)
        self.query_one(WallBanner).show(banner(entry, len(self.bridge.entries), self.glyphs, self._position))
        self._refresh_detail(force=True)

    def _apply_changes(self, changes: Changes, alerts: bool = True) -> None:
        super()._apply_changes(changes, alerts)
        if changes and self._showing is None and attention_entries(list(self.bridge.entries.values())):
            self.next_wall_rollout()
        elif self._showing is not None and self._showing in self.bridge.entries:
            entry = self.bridge.entries[self._showing]
            self.query_one(WallBanner).show(
                banner(entry, len(self.bridge.entries), self.glyphs, self._position)
            )
