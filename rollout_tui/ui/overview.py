"""The fleet table: one row per rollout, updated by diffing.

Rows are keyed ``context/namespace/name``. When the visible keys and their order are unchanged,
only cells whose text changed are written and only their rows are repainted; otherwise the table
is cleared and refilled in the new order (cheaper than many ``remove_row``, which is O(n) each),
and the cursor is put back on the rollout it was on. Cell texts are computed once per Entry
object and age (the fleet view replaces an Entry when its rollout changes; ages move in coarse
steps).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.geometry import Size
from textual.widgets.data_table import ColumnKey, RowKey

from rollout_tui.model.icons import Glyphs

from .bulk import MarkedRows
from .fleet_view import Entry
from .rows import age_cell, cells, columns, fit


class OverviewTable(MarkedRows):
    DEFAULT_CSS = """
    OverviewTable { height: 1fr; scrollbar-size-horizontal: 0; }
    """

    def __init__(self, glyphs: Glyphs, show_context: bool, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, **kwargs)  # type: ignore[arg-type]
        self.glyphs = glyphs
        self.show_context = show_context
        self._keys: list[str] = []
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._made_from: dict[str, tuple[Entry, str, bool]] = {}  # Entry, age, stale: what cells show

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for column in columns(self.show_context):
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
            self.clear(columns=True)
            self._keys, self._cells, self._made_from = [], {}, {}
            self._add_columns()

    def sync(self, entries: Sequence[Entry], now: datetime, stale: frozenset[str] = frozenset()) -> None:
        """Make the table show ``entries`` in this order, touching as little as possible.
        ``stale``: contexts sending no data now (their rows say so)."""
        keys = [e.key for e in entries]
        new_cells = {}
        made_from = {}
        for e in entries:
            source = (e, age_cell(e.state.created, now), e.context in stale)
            made_from[e.key] = source
            old, was = self._cells.get(e.key), self._made_from.get(e.key)
            fresh = old is not None and was is not None and was[0] is e and was[1:] == source[1:]
            new_cells[e.key] = (
                old if fresh and old is not None else cells(e, self.glyphs, self.show_context, now, source[2])
            )
        self._made_from = made_from
        if keys == self._keys:
            self._update_rows(keys, new_cells)
            self._cells = new_cells
            return
        selected = self.selected_key
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
        column_keys = [ColumnKey(c.key) for c in columns(self.show_context)]
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
        column_keys = [ColumnKey(c.key) for c in columns(self.show_context)]
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
