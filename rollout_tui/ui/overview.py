"""The fleet table: one row per rollout, drawn only where it is on screen.

Rows are keyed ``context/namespace/name``. `sync` takes the visible entries in order (the app's
`VisibleRows`) and repaints only the lines on screen whose entry or moving parts changed; the
cells of a row are built when it is drawn, once per Entry object and moving parts (the fleet view
replaces an Entry when its rollout changes; ages move in coarse steps, and only a row whose reason
counts down changes every second), so a fleet of 50,000 costs what a screenful costs. The columns
follow the table's width and the longest CTX/NAMESPACE/NAME shown (`rows.layout`): a resize or a
longer name that changes them rebuilds the columns once. Until the operator moves the cursor it
stays on the first row (what needs a human first, even while the first list is still loading);
after that it stays on its rollout wherever that moves, at the same line on screen when it can.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.binding import Binding

from rollout_tui.model.icons import Glyphs

from .fleet_view import Entry
from .rows import Column, cells, content_widths, fit, layout, moving_parts
from .virtual_table import TableColumn, VirtualTable

CELL_CACHE = 2048  # rows whose cells are kept (a few screens' worth)
MARK_STYLE = Style(bold=True, underline=True)  # a marked row reads without colour too


class OverviewTable(VirtualTable):
    SCROLLBAR_RESERVE = 1  # the vertical scrollbar's column, kept free so rows never reflow
    DEFAULT_CSS = """
    OverviewTable { height: 1fr; scrollbar-size-horizontal: 0; scrollbar-size-vertical: 1; }
    """
    BINDINGS = [  # noqa: RUF012 - Textual reads this class attribute
        # Every column fits, so nothing scrolls sideways: Home/End go to the first and last row.
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, glyphs: Glyphs, show_context: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.glyphs = glyphs
        self.show_context = show_context
        self.column_plan: tuple[Column, ...] = layout(
            80 - self.SCROLLBAR_RESERVE, show_context
        )  # until sized
        self._content: dict[str, int] = {}  # the widest name cells shown (rows.content_widths)
        self._measured: dict[tuple[Any, ...], tuple[int, ...]] = {}  # content_widths' memo
        self._rows: Sequence[Entry] = ()
        self._now = datetime.now(UTC)
        self._cells: dict[str, tuple[Entry, tuple[object, ...], tuple[Text, ...]]] = {}
        self._follow = False  # the operator (or the app) put the cursor on a rollout
        self.marked: frozenset[str] = frozenset()  # keys of the rows marked for a bulk action
        self.mark_glyph = "▌"
        self._stale: frozenset[str] = frozenset()  # contexts sending no data now: their rows say so

    def on_mount(self) -> None:
        self._relayout(force=True)

    def on_resize(self) -> None:
        self._relayout()

    def _relayout(self, force: bool = False) -> bool:
        """Columns for the current width and names; True when they changed (and were rebuilt)."""
        width = self.size.width or self.app.size.width
        plan = layout(width - self.SCROLLBAR_RESERVE, self.show_context, self._content)
        if plan == self.column_plan and not force:
            return False
        self.column_plan = plan
        self._cells.clear()
        self.set_columns(
            [TableColumn(c.key, fit(Text(c.label, style="bold"), c.width), c.width + 1) for c in plan]
        )
        return True

    @property
    def keys(self) -> list[str]:
        return [entry.key for entry in self._rows]

    @property
    def selected_key(self) -> str | None:
        if not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row].key

    def set_show_context(self, show: bool) -> None:
        if show != self.show_context:
            self.show_context = show
            self._relayout()

    def sync(self, entries: Sequence[Entry], now: datetime, stale: frozenset[str] = frozenset()) -> None:
        """Show ``entries`` in this order (a list the caller no longer changes), repainting only
        the lines on screen that changed. ``stale``: contexts sending no data now."""
        selected, top = self.selected_key, int(self.scroll_y)
        before = [self.row_identity(i) for i in self._screen_rows()]  # what those lines show now
        self._rows, self._now, self._stale = entries, now, stale
        if len(self._measured) > 2 * len(entries) + 256:
            self._measured.clear()
        content = content_widths(entries, self.glyphs, self._measured)
        if content != self._content:  # names as long as theirs, MESSAGE gets the rest
            self._content = content
            self._relayout()
        self.set_row_count(len(entries))
        index = self._index_of(selected) if self._follow and selected is not None else None
        if index is not None and index != self.cursor_row:
            line = self.cursor_row - top  # keep the rollout at its line on screen
            self.cursor_row = index
            self.scroll_to(y=max(0, index - line), animate=False, immediate=True)
        self.cursor_row = max(0, min(self.cursor_row, len(entries) - 1))
        if int(self.scroll_y) != top:
            return  # scrolling repaints every line
        shown = [self.row_identity(i) for i in self._screen_rows()]
        changed = [
            top + i
            for i, now_shown in enumerate(shown)
            if i >= len(before) or not _same(before[i], now_shown)
        ]
        self.refresh_rows(changed + list(range(top + len(shown), top + len(before))))

    def _screen_rows(self) -> range:
        top = int(self.scroll_y)
        return range(top, min(len(self._rows), top + self._page))

    def _index_of(self, key: str) -> int | None:
        rows = self._rows
        if 0 <= self.cursor_row < len(rows) and rows[self.cursor_row].key == key:
            return self.cursor_row
        return next((i for i, entry in enumerate(rows) if entry.key == key), None)

    def select_key(self, key: str) -> bool:
        index = self._index_of(key)
        if index is None:
            return False
        self.move_cursor(index)
        return True

    def move_cursor(self, row: int, animate: bool = False, scroll: bool = True) -> None:
        self._follow = True
        super().move_cursor(row, animate, scroll)

    def set_marked(self, keys: Iterable[str], glyph: str = "▌") -> None:
        """Bulk marks (ui/bulk.py): the glyph before the first cell, the row bold and underlined."""
        marked = frozenset(keys)
        if marked != self.marked or glyph != self.mark_glyph:
            self.marked, self.mark_glyph = marked, glyph
            self.refresh_rows(list(self._screen_rows()))  # a screenful; unchanged lines hit the cache

    # -- VirtualTable ----------------------------------------------------------------------------
    def row_identity(self, index: int) -> tuple[object, object]:
        """The Entry and what else its cells show: its moving parts (coarse age, a countdown),
        whether its cluster is stale, its bulk mark. The column plan is not in it: a new plan
        redraws every line (`set_columns`)."""
        entry = self._rows[index]
        mark = self.mark_glyph if entry.key in self.marked else ""
        return entry, (*self._shows(entry), mark)

    def _shows(self, entry: Entry) -> tuple[object, ...]:
        return (*moving_parts(entry, self._now), entry.context in self._stale)

    def row_cells(self, index: int) -> Sequence[Text]:
        entry = self._rows[index]
        shows = self._shows(entry)
        cached = self._cells.get(entry.key)
        if cached is not None and cached[0] is entry and cached[1] == shows:
            made = cached[2]
        else:
            if len(self._cells) > CELL_CACHE:
                self._cells.clear()
            made = cells(entry, self.glyphs, self.column_plan, self._now, entry.context in self._stale)
            self._cells[entry.key] = (entry, shows, made)
        return _with_mark(made, self.mark_glyph) if entry.key in self.marked else made


def _with_mark(row: Sequence[Text], glyph: str) -> tuple[Text, ...]:
    """The row's cells, the first one shifted right by the mark glyph (its last cell dropped, so
    the width stays)."""
    marked = [cell.copy() for cell in row]
    if marked:
        marked[0] = Text(glyph) + marked[0][:-1]
    for cell in marked:
        cell.stylize(MARK_STYLE)
    return tuple(marked)


def _same(a: tuple[object, object], b: tuple[object, object]) -> bool:
    return a[0] is b[0] and a[1] == b[1]
