"""The rings view: one line per app, one cell per ring, the verdict; below, the selected app's wave.

Refreshed twice a second from the app's fleet view (the same entries the overview shows) and at
every transition of a wave: cells age and count down like the rest of the UI, a stale cluster's
cells say stale. `w` plans a wave for the selected app, `s` stops its wave, Esc goes back.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from rollout_tui.model.durations import human_duration
from rollout_tui.render.waves import transition_line

from ..rows import fit
from ..safe import clean
from .rows import AppRow, app_rows, cell_text, ring_header, verdict_cell, widths

if TYPE_CHECKING:
    from .hub import Rings

REFRESH_SECONDS = 0.5
LOG_LINES = 6


class RingsTable(DataTable[Text]):
    DEFAULT_CSS = "RingsTable { height: auto; max-height: 1fr; scrollbar-size-horizontal: 0; }"


class RingsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,g", "close", "Overview"),
        Binding("w", "wave", "Start wave"),
        Binding("s", "stop_wave", "Stop wave"),
    ]
    DEFAULT_CSS = """
    RingsScreen #rings-header { height: 1; background: $panel; padding: 0 1; }
    RingsScreen #rings-log { height: auto; min-height: 3; padding: 0 1; border-top: solid $panel-lighten-2; }
    """

    def __init__(self, rings: Rings) -> None:
        super().__init__()
        self.rings = rings
        self.rows: list[AppRow] = []
        self._shown: list[tuple[Text, ...]] = []
        self._layout: tuple[int, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="rings-header")
        yield RingsTable(cursor_type="row", zebra_stripes=False, cell_padding=0, id="rings-table")
        yield Static(id="rings-log")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.rings.waves.listeners.append(self.refresh_rows)
        self.refresh_rows()
        self.set_interval(REFRESH_SECONDS, self.refresh_rows)
        self.query_one(RingsTable).focus()

    def on_unmount(self) -> None:
        if self.refresh_rows in self.rings.waves.listeners:
            self.rings.waves.listeners.remove(self.refresh_rows)

    # -- refresh -------------------------------------------------------------------------------
    def refresh_rows(self) -> None:
        if not self.is_mounted:
            return
        rings, now = self.rings, self.app_now()
        config = rings.config
        self.rows = app_rows(
            rings.members(), config, rings.stale(), rings.read_only(), rings.waves.views(), now
        )
        self.query_one("#rings-header", Static).update(self._header())
        self._sync_table(now)
        self._show_log(now)

    def app_now(self) -> datetime:
        return self.rings.app.clock.now()

    def _header(self) -> Text:
        config = self.rings.config
        arrow = f" {self.rings.app.glyphs.arrow} "
        places = arrow.join(f"{r.name}" for r in config.rings)
        bakes = sorted({human_duration(r.bake) for r in config.rings})
        text = Text("Rings ", style="bold")
        text.append(clean(places, 200))
        text.append(f"  bake {', '.join(bakes)}", style="dim")
        running = sum(1 for row in self.rows if row.wave is not None and not row.wave.wave.finished)
        if running:
            text.append(f"  {running} wave{'s' if running > 1 else ''} running", style="bold cyan")
        if self.rings.app.read_only:
            text.append("  read-only", style="bold yellow")
        return text

    def _sync_table(self, now: datetime) -> None:
        table = self.query_one(RingsTable)
        config = self.rings.config
        app_width, cell_width, verdict_width = widths(self.size.width or 80, len(config.rings))
        layout = (app_width, cell_width, verdict_width, len(config.rings), len(self.rings.read_only()))
        if layout != self._layout:
            table.clear(columns=True)
            table.add_column(fit(Text("APP", style="bold"), app_width), key="app", width=app_width + 1)
            locked = self.rings.read_only()
            for index, ring in enumerate(config.rings):
                read_only = bool(locked.intersection(ring.contexts))
                label = fit(Text(clean(ring_header(index, config, read_only), 60), style="bold"), cell_width)
                table.add_column(label, key=f"ring{index}", width=cell_width + 1)
            table.add_column(
                fit(Text("NEXT", style="bold"), verdict_width), key="next", width=verdict_width + 1
            )
            self._layout, self._shown = layout, []
        glyphs = self.rings.app.glyphs
        fresh = [
            (
                fit(Text(clean(row.app, 60), style="bold"), app_width, glyphs.ascii),
                *(fit(cell_text(c, glyphs, now), cell_width, glyphs.ascii) for c in row.cells),
                fit(verdict_cell(row, now, verdict_width, glyphs.rollout), verdict_width, glyphs.ascii),
            )
            for row in self.rows
        ]
        keys = [row.app for row in self.rows]
        if [str(k.value) for k in table.rows] == keys:
            for key, old, new in zip(keys, self._shown, fresh, strict=False):
                for column, (a, b) in enumerate(zip(old, new, strict=True)):
                    if a != b:
                        table.update_cell_at(Coordinate(keys.index(key), column), b)
        else:
            selected = self.selected_app
            table.clear()
            for key, cells in zip(keys, fresh, strict=True):
                table.add_row(*cells, key=key)
            if selected in keys:
                table.move_cursor(row=keys.index(selected), animate=False)
        self._shown = fresh

    def _show_log(self, now: datetime) -> None:
        row = self.selected_row
        log = Text()
        if row is None:
            log.append("No app runs in these rings yet.", style="dim")
        elif row.wave is not None:
            for transition in row.wave.transitions[-LOG_LINES:]:
                log.append(transition_line(transition) + "\n")
            log.append_text(verdict_cell(row, now))
            if not row.wave.wave.finished:
                log.append("   s: stop the wave", style="dim")
        else:
            log.append(f"{clean(row.app, 60)}: ", style="bold")
            log.append_text(verdict_cell(row, now))
            log.append("\nw: plan a wave for it (every write is shown before anything is sent)", style="dim")
        self.query_one("#rings-log", Static).update(log)

    # -- selection and keys --------------------------------------------------------------------
    @property
    def selected_app(self) -> str | None:
        table = self.query_one(RingsTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row].app

    @property
    def selected_row(self) -> AppRow | None:
        app = self.selected_app
        return next((row for row in self.rows if row.app == app), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_log(self.app_now())

    def select_app(self, app: str) -> bool:
        keys = [row.app for row in self.rows]
        if app not in keys:
            return False
        self.query_one(RingsTable).move_cursor(row=keys.index(app), animate=False)
        self._show_log(self.app_now())
        return True

    def on_resize(self) -> None:
        self.refresh_rows()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_wave(self) -> None:
        row = self.selected_row
        if row is not None:
            self.rings.ask_for_wave(row)

    def action_stop_wave(self) -> None:
        row = self.selected_row
        if row is not None:
            self.rings.ask_to_stop(row)
