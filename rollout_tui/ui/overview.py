"""The fleet table: one row per rollout, updated by diffing.

Rows are keyed ``context/namespace/name``. When the visible keys and their order are unchanged,
only cells whose text changed are written and only their rows are repainted; otherwise the table
is cleared and refilled in the new order (cheaper than many ``remove_row``, which is O(n) each),
and the cursor is put back on the rollout it was on. Cell texts are computed once per Entry
object and moving parts (the fleet view replaces an Entry when its rollout changes; ages move in coarse
steps, and only a row whose reason counts down changes every second). The columns follow the
table's width (`rows.layout`): a resize that changes them rebuilds the rows once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets.data_table import ColumnKey, RowKey

from rollout_tui.model.icons import Glyphs

from .bulk import MarkedRows
from .fleet_view import Entry
from .rows import Column, cells, content_widths, fit, layout, moving_parts


class OverviewTable(MarkedRows):
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
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, **kwargs)  # type: ignore[arg-type]
        self.glyphs = glyphs
        self.show_context = show_context
        self.column_plan: tuple[Column, ...] = layout(
            80 - self.SCROLLBAR_RESERVE, show_context
        )  # until sized
        self._keys: list[str] = []
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._made_from: dict[str, tuple[Entry, tuple[str, str]]] = {}  # Entry and moving parts shown
        self._shown: tuple[Sequence[Entry], datetime] | None = None  # the last sync, for a relayout
        self._reselect: str | None = None  # the row selected before a relayout cleared the rows
        self._content: dict[str, int] = {}  # the widest name cells shown (rows.content_widths)

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for column in self.column_plan:
            self.add_column(
                fit(Text(column.label, style="bold"), column.width), width=column.width + 1, key=column.key
            )

    @property
    def selected_key(self) -> str | None:
        if not self._keys or self.cursor_row < 0 or self.cursor_row >= len(self._keys):
            return None
        return self._keys[self.cursor_row]

    def set_show_context(self, show: bool) -> None:
        if show != self.show_context:
            self.show_context = show
            self._relayout()

    def on_resize(self) -> None:
        if self._relayout() and self._shown is not None:
            self.sync(*self._shown)

    def _relayout(self) -> bool:
        """Columns for the current width; True when they changed (and the rows were cleared)."""
        width = self.size.width or self.app.size.width
        columns = layout(width - self.SCROLLBAR_RESERVE, self.show_context, self._content)
        if columns == self.column_plan:
            return False
        self.column_plan = columns
        self._reselect = self.selected_key
        self.clear(columns=True)
        self._keys, self._cells, self._made_from = [], {}, {}
        self._add_columns()
        return True

    def sync(self, entries: Sequence[Entry], now: datetime) -> None:
        """Make the table show ``entries`` in this order, touching as little as possible."""
        self._shown = (entries, now)
        keys = [e.key for e in entries]
        if keys != self._keys:  # other rows: names as long as theirs, MESSAGE gets the rest
            content = content_widths(entries, self.glyphs)
            if content != self._content:
                self._content = content
                self._relayout()
        new_cells = {}
        made_from = {}
        for e in entries:
            source = (e, moving_parts(e, now))
            made_from[e.key] = source
            old, was = self._cells.get(e.key), self._made_from.get(e.key)
            fresh = old is not None and was is not None and was[0] is e and was[1] == source[1]
            new_cells[e.key] = (
                old if fresh and old is not None else cells(e, self.glyphs, self.column_plan, now)
            )
        self._made_from = made_from
        if keys == self._keys:
            self._update_rows(keys, new_cells)
            self._cells = new_cells
            return
        selected = self.selected_key if self._keys else self._reselect
        self._reselect = None
        if len(keys) == len(self._keys) and set(keys) == set(self._keys):
            self._reorder(keys, new_cells)
            if selected is not None and self.cursor_row != keys.index(selected):
                self.move_cursor(row=keys.index(selected), animate=False)
            return
        scroll_y = self.scroll_y
        self.clear()
        for key in keys:
            self.add_row(*new_cells[key], key=key)
        self._keys, self._cells = keys, new_cells
        if selected in new_cells:
            self.move_cursor(row=keys.index(selected), animate=False, scroll=False)
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
            self.move_cursor(row=keys.index(selected), animate=False)

    def _update_rows(self, keys: list[str], new_cells: dict[str, tuple[Text, ...]]) -> None:
        """Write the changed cells and repaint only their rows. ``update_cell`` would repaint the
        whole table once per cell (every visible line re-sent to the terminal each drain)."""
        column_keys = [ColumnKey(c.key) for c in self.column_plan]
        changed_rows = []
        for index, key in enumerate(keys):
            old, new = self._cells[key], new_cells[key]
            if old == new:
                continue
            row = self._data[RowKey(key)]
            for column, a, b in zip(column_keys, old, new, strict=True):
                if a != b:
                    row[column] = b
            changed_rows.append(index)
        if changed_rows:
            self._update_count += 1  # DataTable's render caches are keyed by this count
            for index in changed_rows:
                self.refresh_row(index)

    def _reorder(self, keys: list[str], new_cells: dict[str, tuple[Text, ...]]) -> None:
        """Same rollouts in a new order (e.g. a status change under the status sort, the wall's):
        move the rows as DataTable.sort does, but repaint only the lines that now show something
        else, not the whole table (a refill re-sent every visible line)."""
        column_keys = [ColumnKey(c.key) for c in self.column_plan]
        changed_lines = []
        for index, key in enumerate(keys):
            if self._cells[self._keys[index]] != new_cells[key]:  # what this line showed until now
                changed_lines.append(index)
            if self._cells[key] != new_cells[key]:
                row = self._data[RowKey(key)]
                for column, a, b in zip(column_keys, self._cells[key], new_cells[key], strict=True):
                    if a != b:
                        row[column] = b
        # DataTable keeps row order in _row_locations (Textual is pinned; its sort() rewrites it too).
        self._row_locations = TwoWayDict({RowKey(key): index for index, key in enumerate(keys)})
        self._keys, self._cells = keys, new_cells
        self._update_count += 1  # DataTable's render caches are keyed by this count
        for index in changed_lines:
            self.refresh_row(index)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """DataTable measures every cell of every new row (a terminal-size query per cell: about
        1 s of a 10,000-row cold start) to size auto-width columns and auto-height rows. Ours are
        all fixed width and one line high, so only the virtual size needs updating."""
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = (
            sum(column.get_render_width(self) for column in self.columns.values())
            + self._row_label_column_width
        )
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width, self._total_row_height + header)

    def select_key(self, key: str) -> bool:
        if key in self._cells:
            self.move_cursor(row=self._keys.index(key), animate=False)
            return True
        return False
