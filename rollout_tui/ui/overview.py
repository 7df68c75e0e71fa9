"""The fleet table: one row per rollout, updated by diffing.

Rows are keyed ``context/namespace/name``. When the visible keys and their order are unchanged,
only cells whose text changed are updated (``update_cell``, one repaint); otherwise the table is
cleared and refilled in the new order (cheaper than many ``remove_row``, which is O(n) each), and
the cursor is put back on the rollout it was on.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from .glyphs import Glyphs
from .rows import Entry, cells, columns, fit


class OverviewTable(DataTable):
    DEFAULT_CSS = """
    OverviewTable { height: 1fr; scrollbar-size-horizontal: 0; }
    """

    def __init__(self, glyphs: Glyphs, show_context: bool, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, **kwargs)  # type: ignore[arg-type]
        self.glyphs = glyphs
        self.show_context = show_context
        self._keys: list[str] = []
        self._cells: dict[str, tuple[Text, ...]] = {}

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for column in columns(self.show_context):
            self.add_column(fit(Text(column.label, style="bold"), column.width), width=column.width + 1,
                            key=column.key)

    @property
    def selected_key(self) -> str | None:
        if not self._keys or self.cursor_row < 0 or self.cursor_row >= len(self._keys):
            return None
        return self._keys[self.cursor_row]

    def set_show_context(self, show: bool) -> None:
        if show != self.show_context:
            self.show_context = show
            self.clear(columns=True)
            self._keys, self._cells = [], {}
            self._add_columns()

    def sync(self, entries: Sequence[Entry]) -> None:
        """Make the table show ``entries`` in this order, touching as little as possible."""
        keys = [e.key for e in entries]
        new_cells = {e.key: cells(e, self.glyphs, self.show_context) for e in entries}
        column_keys = [c.key for c in columns(self.show_context)]
        if keys == self._keys:
            for key in keys:
                old, new = self._cells[key], new_cells[key]
                if old == new:
                    continue
                for column, (a, b) in zip(column_keys, zip(old, new, strict=True), strict=True):
                    if a != b:
                        self.update_cell(key, column, b)
            self._cells = new_cells
            return
        selected = self.selected_key
        scroll_y = self.scroll_y
        self.clear()
        for key in keys:
            self.add_row(*new_cells[key], key=key)
        self._keys, self._cells = keys, new_cells
        if selected in new_cells:
            self.move_cursor(row=keys.index(selected), animate=False, scroll=False)
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
            self.move_cursor(row=keys.index(selected), animate=False)

    def select_key(self, key: str) -> bool:
        if key in self._cells:
            self.move_cursor(row=self._keys.index(key), animate=False)
            return True
        return False
