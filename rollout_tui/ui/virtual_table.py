"""A table that renders only the rows on screen: a ScrollView with `render_line` (as toolong's
log view), drawn exactly as Textual's DataTable draws a row-cursor table with fixed-width
columns and no padding, with the same component classes so themes and app CSS apply unchanged.

DataTable keeps every row's cells and rebuilds per-row structures (offsets, ordered rows, render
caches keyed by one update counter) whenever anything changes: O(rows) per update, and every row's
cells built up front. Here a subclass says how many rows there are and gives the cells of one row
when it is drawn (`row_cells`); lines are cached by what they show and repainted only when that
changes (`refresh_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual._segment_tools import line_crop
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable

HEADER_ROW = -1
LINE_CACHE = 512  # rendered lines kept (a few screens' worth)
CELL_RENDER_CACHE = 4096  # rendered cells kept


@dataclass(frozen=True, slots=True)
class TableColumn:
    key: str
    label: Text
    width: int  # cells, as drawn


class VirtualTable(ScrollView, can_focus=True):
    """Row cursor, fixed header, fixed-width columns; rows come from the subclass."""

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES
    DEFAULT_CSS = DataTable.DEFAULT_CSS.replace("DataTable {", "VirtualTable {", 1)

    class RowHighlighted(Message):
        """The cursor moved to another row (by the operator, or because its rollout left)."""

        def __init__(self, table: VirtualTable, cursor_row: int) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowSelected(RowHighlighted):
        """Enter (or a click) on the cursor row."""

    class HeaderSelected(Message):
        def __init__(self, table: VirtualTable, column_key: str, column_index: int) -> None:
            super().__init__()
            self.table = table
            self.column_key = column_key
            self.column_index = column_index

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.table_columns: tuple[TableColumn, ...] = ()
        self.cursor_row = 0
        self._row_total = 0
        self._lines: dict[tuple[object, ...], tuple[object, Strip]] = {}
        self._cell_cache: dict[tuple[object, ...], list[Segment]] = {}
        self._pseudo_state: object = None

    # -- what subclasses provide ------------------------------------------------------------------
    def row_cells(self, index: int) -> Sequence[Text]:
        raise NotImplementedError

    def row_identity(self, index: int) -> tuple[object, object]:
        """(source object, value): row `index` is drawn differently when the object is another one
        (compared by identity) or the value changed."""
        raise NotImplementedError

    def cursor_moved(self) -> None:
        """The operator moved the cursor (keys, mouse)."""

    # -- size, columns, cursor --------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return self._row_total

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        self.table_columns = tuple(columns)
        self._lines.clear()
        self._resize_virtual()
        self.refresh()

    def set_row_count(self, count: int) -> None:
        if count != self._row_total:
            self._row_total = count
            self._resize_virtual()

    def _resize_virtual(self) -> None:
        width = sum(c.width for c in self.table_columns)
        self.virtual_size = Size(width, self._row_total + 1)  # + the header line

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on `row` (clamped); posts RowHighlighted when it moved."""
        row = max(0, min(row, self._row_total - 1))
        if row == self.cursor_row:
            if scroll:
                self.scroll_to_row(row, animate)
            return
        old, self.cursor_row = self.cursor_row, row
        self.refresh_rows((old, row))
        if scroll:
            self.scroll_to_row(row, animate)
        self.post_message(self.RowHighlighted(self, row))

    def scroll_to_row(self, row: int, animate: bool = False) -> None:
        """Scroll the least that puts `row` on screen below the header."""
        top = int(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=animate, immediate=True)
        elif row >= top + self._page:
            self.scroll_to(y=row - self._page + 1, animate=animate, immediate=True)

    def refresh_rows(self, rows: Sequence[int]) -> None:
        """Repaint these rows if they are on screen."""
        top, page = int(self.scroll_y), self._page
        width = max(self.virtual_size.width, self.size.width)
        for row in rows:
            if top <= row < top + page:
                self.refresh(Region(0, row - top + 1, width, 1))

    # -- actions ----------------------------------------------------------------------------------
    def _operator_move(self, row: int, scroll: bool = True) -> None:
        if self._row_total:
            self.move_cursor(row, scroll=scroll)
            self.cursor_moved()

    def action_cursor_up(self) -> None:
        self._operator_move(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._operator_move(self.cursor_row + 1)

    def action_page_down(self) -> None:
        self.scroll_relative(y=self._page, animate=False, force=True, immediate=True)
        self._operator_move(self.cursor_row + self._page, scroll=False)
        self.scroll_to_row(self.cursor_row)

    def action_page_up(self) -> None:
        self.scroll_relative(y=-self._page, animate=False, immediate=True)
        self._operator_move(self.cursor_row - self._page, scroll=False)
        self.scroll_to_row(self.cursor_row)

    def action_scroll_top(self) -> None:
        self._operator_move(0)

    def action_scroll_bottom(self) -> None:
        self._operator_move(self._row_total - 1)

    def action_scroll_home(self) -> None:
        self.scroll_x = 0

    def action_scroll_end(self) -> None:
        self.scroll_x = self.max_scroll_x

    def action_select_cursor(self) -> None:
        if self._row_total:
            self.post_message(self.RowSelected(self, self.cursor_row))

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "row" not in meta:
            return
        row = int(meta["row"])
        if row == HEADER_ROW:
            column = int(meta.get("column", 0))
            if 0 <= column < len(self.table_columns):
                self.post_message(self.HeaderSelected(self, self.table_columns[column].key, column))
            return
        already = row == self.cursor_row
        self._operator_move(row)
        if already:
            self.action_select_cursor()
        event.stop()

    # -- drawing (the same segments and styles as DataTable's _render_line_in_row) ------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        self._pseudo_state = self.get_pseudo_class_state()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = HEADER_ROW if y == 0 else y - 1 + scroll_y
        width = self.size.width
        if row >= self._row_total:
            return Strip.blank(width, self.rich_style)
        source, value = (None, None) if row == HEADER_ROW else self.row_identity(row)
        cursor = row == self.cursor_row
        key = (row, id(source), value, cursor, scroll_x, width, self.rich_style, self._pseudo_state)
        cached = self._lines.get(key)
        if cached is not None and cached[0] is source:  # an id can be reused once its object is gone
            return cached[1]
        if len(self._lines) > LINE_CACHE:
            self._lines.clear()
        strip = self._draw(row, cursor, scroll_x, width)
        self._lines[key] = (source, strip)
        return strip

    def _draw(self, row: int, cursor: bool, scroll_x: int, width: int) -> Strip:
        base = self.rich_style
        if row == HEADER_ROW:
            row_style = self.get_component_styles("datatable--header").rich_style
            cells: Sequence[Text] = [c.label for c in self.table_columns]
            component, post = Style(), Style.null()
        else:
            row_style = base
            cells = self.row_cells(row)
            component, post = self._cursor_styles(cursor)
        segments: list[Segment] = []
        for index, (column, cell) in enumerate(zip(self.table_columns, cells, strict=False)):
            meta = Style.from_meta({"row": row, "column": index})
            segments.extend(self._render_cell(cell, column.width, row_style + component, meta, post))
        table_width = sum(c.width for c in self.table_columns)
        fill = row_style + component + Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * max(0, width - table_width), fill))
        total = sum(segment.cell_length for segment in segments)
        cropped = line_crop(segments, scroll_x, scroll_x + width, total)
        return Strip(cropped).adjust_cell_length(width, base).simplify()

    def _render_cell(self, cell: Text, width: int, style: Style, meta: Style, post: Style) -> list[Segment]:
        """One cell's segments, as DataTable renders it. Cached by what the cell shows: when a row
        changes, usually one of its cells did (a message, a count), and rich's rendering is most
        of a line's cost. The meta (row, column: what a click hits) is added afterwards."""
        key = (cell.plain, tuple(cell.spans), cell.style, width, style, post)
        segments = self._cell_cache.get(key)
        if segments is None:
            if len(self._cell_cache) > CELL_RENDER_CACHE:
                self._cell_cache.clear()
            lines = self.app.console.render_lines(
                Styled(Padding(cell, (0, 0)), pre_style=style, post_style=post),
                self.app.console_options.update_dimensions(width, 1).update(no_wrap=True),
            )
            segments = self._cell_cache[key] = lines[0]
        return [
            Segment(text, meta + seg_style if seg_style else meta, control)
            for text, seg_style, control in segments
        ]

    def _cursor_styles(self, cursor: bool) -> tuple[Style, Style]:
        """(component, post) styles of a row as DataTable computes them (cursor colours win over
        the cells' own, as with its default cursor priorities)."""
        if not cursor:
            return Style(), Style.null()
        component = self.get_component_rich_style("datatable--cursor")
        return component, Style.from_color(component.color) + Style.from_color(bgcolor=component.bgcolor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._cell_cache.clear()
