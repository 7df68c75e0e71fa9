"""Full chart of one analysis metric (plotext) with its thresholds and measurement table.

plotext keeps global state, so charts are built on the UI thread only (never in a worker).
Its ANSI output is turned into a rich Text with `Text.from_ansi`, which keeps colours and
drops every other escape; cluster strings never reach plotext's output (titles and tick
labels are ours), so nothing from the cluster can smuggle an escape sequence through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from rollout_tui.model.icons import ASCII, analysis_status_kind
from rollout_tui.ui.detail.ascii import ascii_scrollbars
from rollout_tui.ui.detail.text import safe

# Phase colours shared with the sparkline rows (plotext names / rich styles).
PHASE_PLOT_COLOR = {
    "Successful": "green",
    "Failed": "red",
    "Error": "magenta",
    # plotext's "yellow" comes out uncoloured under the "clear" theme; "orange+" is ANSI 11.
    "Inconclusive": "orange+",
    "Running": "blue",
    "Pending": "blue",
}
PHASE_STYLE = {
    "Successful": "green",
    "Failed": "bold red",
    "Error": "magenta",
    "Inconclusive": "yellow",
    "Running": "blue",
    "Pending": "blue",
}
# Job and other valueless metrics are charted as outcomes on a 0..1 axis.
OUTCOME_Y = {"Successful": 1.0, "Inconclusive": 0.5, "Failed": 0.0, "Error": 0.0}


def phase_marker(phase: str, ascii_only: bool) -> str:
    """A measurement's point: a coloured dot, or in ASCII its phase's status glyph (+ x ? !), so
    points and legend tell phases apart without colour and never read "x" for a success."""
    return ASCII.status(analysis_status_kind(phase)) if ascii_only else "●"


@dataclass(frozen=True)
class Measurement:
    started: datetime | None
    value: float | None
    raw: str
    phase: str
    message: str = ""


@dataclass(frozen=True)
class ChartData:
    """Everything the chart shows, decoupled from the model's dataclasses."""

    title: str
    phase: str
    measurements: tuple[Measurement, ...]
    success: tuple[float, ...] = ()
    failure: tuple[float, ...] = ()
    summary: str = ""


def _new_figure(width: int, height: int) -> Any:
    """plotext, with a clear figure of this size."""
    import plotext as plt  # ~25 ms of start-up: imported when the first chart is drawn

    plt.clear_figure()
    plt.limit_size(False, False)  # plotext caps plots to the process's terminal, not our widget
    plt.plot_size(max(width, 20), max(height, 6))
    plt.theme("clear")  # terminal's own background and foreground
    return plt


def build_chart(
    data: ChartData, width: int, height: int, color: bool = True, ascii_only: bool = False
) -> str:
    """The plotext chart as a string (ANSI colours when `color`)."""
    plt = _new_figure(width, height)
    line_marker = "." if ascii_only else "braille"
    numeric = [m for m in data.measurements if m.value is not None and m.started is not None]
    outcome_mode = not numeric
    points = [m for m in data.measurements if m.started is not None]
    if outcome_mode:
        points = [m for m in points if m.phase in OUTCOME_Y]
    if not points:
        return ""
    t0 = min(m.started for m in points if m.started is not None)

    def x_of(m: Measurement) -> float:
        assert m.started is not None
        return (m.started - t0).total_seconds()

    def y_of(m: Measurement) -> float:
        return OUTCOME_Y[m.phase] if outcome_mode else float(m.value or 0.0)

    series = numeric if not outcome_mode else points
    xs = [x_of(m) for m in series]
    ys = [y_of(m) for m in series]
    if len(xs) > 1:
        plt.plot(xs, ys, color="gray" if color else "default", marker=line_marker)
    # Thresholds after the line so they stay visible where they cross it.
    if not outcome_mode:
        for value in data.success:
            plt.hline(value, color="green")
        for value in data.failure:
            plt.hline(value, color="red")
    for phase in sorted({m.phase for m in series}):
        sel = [m for m in series if m.phase == phase]
        plt.scatter(
            [x_of(m) for m in sel],
            [y_of(m) for m in sel],
            color=PHASE_PLOT_COLOR.get(phase, "white"),
            marker=phase_marker(phase, ascii_only),
        )
    low = min([*ys, *(() if outcome_mode else data.success + data.failure)])
    high = max([*ys, *(() if outcome_mode else data.success + data.failure)])
    if high == low:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.08
    plt.ylim(low - pad, high + pad)
    if outcome_mode:
        plt.yticks([0.0, 0.5, 1.0], ["fail", "?", "ok"])
    span = max(xs) if xs else 0.0
    ticks = [0.0] if span == 0 else [0.0, span / 2, span]
    plt.xticks(ticks, [(t0 + timedelta(seconds=t)).strftime("%H:%M:%S") for t in ticks])
    if span == 0:
        plt.xlim(-1, 1)
    chart = plt.build()
    return chart.translate(_ASCII_FRAME) if ascii_only else chart


# plotext always draws its frame with box-drawing characters.
_ASCII_FRAME = str.maketrans("┌┐└┘─│┤├┬┴┼", "++++-|+++++")


def measurement_rows(data: ChartData, limit: int = 200) -> list[tuple[Text, Text, Text, Text]]:
    """Newest first, as the operator reads a live log."""
    rows = []
    for m in reversed(data.measurements[-limit:]):
        rows.append(
            (
                Text(m.started.strftime("%H:%M:%S") if m.started else "-"),
                safe(m.phase, PHASE_STYLE.get(m.phase, "")),
                safe(m.raw if m.raw else "-", limit=40),
                safe(m.message, "dim", limit=200),
            )
        )
    return rows


class PlotView(Static):
    """The chart area; redraws to its own size whenever layout gives it one."""

    def on_resize(self) -> None:
        screen = self.screen
        if isinstance(screen, MetricChartScreen):
            screen.redraw()


class MetricChartScreen(ModalScreen[None]):
    """A metric's measurements over time, thresholds drawn as lines; Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_chart", "Close"),
        Binding("q", "dismiss_chart", "Close", show=False),
        Binding("right_square_bracket,n", "cycle(1)", "Next metric"),
        Binding("left_square_bracket,p", "cycle(-1)", "Previous metric", show=False),
    ]
    DEFAULT_CSS = """
    MetricChartScreen { align: center middle; }
    MetricChartScreen > #chart-box {
        width: 95%; height: 95%; max-width: 140; max-height: 46;
        border: round $primary; background: $surface; padding: 0 1;
    }
    MetricChartScreen #chart-title { height: auto; max-height: 3; }
    MetricChartScreen #chart-plot { height: 1fr; min-height: 6; }
    MetricChartScreen #chart-table { height: auto; max-height: 30%; }
    MetricChartScreen #chart-hint { height: 1; color: $text-muted; }
    /* Toasts at the top: at the bottom (the default) they cover the newest measurements. */
    MetricChartScreen > #textual-toastrack { dock: top; align: right top; margin-bottom: 0; }
    """

    def __init__(
        self,
        data: ChartData,
        ascii_only: bool = False,
        *,
        key: str = "",
        keys: Sequence[str] = (),
        source: Callable[[str], ChartData | None] | None = None,
    ) -> None:
        """`source(key)` gives a metric's current data: the screen follows live updates through it
        (`reload()`) and cycles through `keys` with ] and [."""
        super().__init__()
        self.data = data
        self.ascii_only = ascii_only
        self.key = key
        self.keys = list(keys)
        self._source = source
        self._drawn_for: tuple[ChartData, int, int] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="chart-box"):
            yield Static(id="chart-title")
            yield PlotView(id="chart-plot")
            yield DataTable(id="chart-table", show_cursor=False, zebra_stripes=False)
            yield Static(id="chart-hint")

    def on_mount(self) -> None:
        table = self.query_one("#chart-table", DataTable)
        table.add_columns("time", "phase", "value", "message")
        if self.ascii_only:
            box = self.query_one("#chart-box")
            box.styles.border = ("ascii", box.styles.border_top[1])
            ascii_scrollbars(table)
        self._fill()

    def redraw(self) -> None:
        self._draw()

    def reload(self) -> None:
        """Fetch the current data of the shown metric (the pane calls this on every update)."""
        data = self._source(self.key) if self._source is not None else None
        if data is not None:
            self.update_data(data)

    def action_cycle(self, step: int) -> None:
        if len(self.keys) < 2 or self._source is None:
            return
        index = self.keys.index(self.key) if self.key in self.keys else -step
        for offset in range(1, len(self.keys) + 1):
            key = self.keys[(index + step * offset) % len(self.keys)]
            data = self._source(key)
            if data is not None:
                self.key = key
                self.update_data(data)
                return

    def update_data(self, data: ChartData) -> None:
        """Live update from the pane; redraws only when the data really changed."""
        if data != self.data:
            self.data = data
            self._fill()

    def _legend(self) -> Text:
        line = "-" if self.ascii_only else "─"
        legend = Text()
        for value in self.data.success:
            legend.append(f"{line * 2} success {value:.4g}  ", style="green")
        for value in self.data.failure:
            legend.append(f"{line * 2} failure {value:.4g}  ", style="red")
        for phase in dict.fromkeys(m.phase for m in self.data.measurements):
            marker = phase_marker(phase, self.ascii_only)
            legend.append(f"{marker} {phase}  ", style=PHASE_STYLE.get(phase, ""))
        if len(self.keys) > 1:
            position = self.keys.index(self.key) + 1 if self.key in self.keys else 0
            legend.append(f"[ ] metric {position}/{len(self.keys)}  ", style="dim")
        legend.append("esc close", style="dim")
        return legend

    def _fill(self) -> None:
        title = Text.assemble(
            safe(self.data.title, "bold"), "  ", safe(self.data.phase, PHASE_STYLE.get(self.data.phase, ""))
        )
        if self.data.summary:
            title.append("\n")
            title.append_text(safe(self.data.summary, "dim", limit=300))
        self.query_one("#chart-title", Static).update(title)
        self.query_one("#chart-hint", Static).update(self._legend())
        table = self.query_one("#chart-table", DataTable)
        table.clear()
        for row in measurement_rows(self.data):
            table.add_row(*row)
        self._draw()

    def _draw(self) -> None:
        plot = self.query_one("#chart-plot", Static)
        width, height = plot.content_size.width, plot.content_size.height
        if width <= 0 or height <= 0:
            return
        key = (self.data, width, height)
        if key == self._drawn_for:
            return
        self._drawn_for = key
        color = not self.app.no_color
        chart = build_chart(self.data, width, height, color=color, ascii_only=self.ascii_only)
        if not chart:
            plot.update(Text("No measurements yet.", style="dim"))
            return
        # from_ansi keeps SGR colours only; no other escape survives into the Text.
        text = Text.from_ansi(chart)
        plot.update(text if color else Text(text.plain))

    def action_dismiss_chart(self) -> None:
        self.dismiss(None)
