"""A metric's sparkline, two rows high, drawn to a scale that holds its thresholds.

A min-to-max scale turns 0.9657 -> 0.9839 into the lowest and the highest bar, so noise looks like a
collapse. Here the scale spans the values *and* the success/failure thresholds (a metric without
thresholds is drawn from zero), so a bar's height says how close it is to failing and a small
change stays small. Each threshold is a dotted line across the sparkline wherever no bar covers
it; each bar has the colour of its measurement's phase (the controller's verdict).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

ROWS = 2
_UNICODE_CELLS = " ▁▂▃▄▅▆▇█"  # 0..8 eighths of a cell
_ASCII_CELLS = " .oO#"  # 0..4 quarters of a cell
_LINE = {False: "┈", True: "-"}
THRESHOLD_STYLE = {"success": "green", "failure": "red"}


@dataclass(frozen=True)
class SparkData:
    values: tuple[float, ...]
    styles: tuple[str, ...]  # one per value: its measurement's phase colour
    thresholds: tuple[tuple[str, float], ...] = ()  # ("success" | "failure", value)
    scale: tuple[float, float] | None = None  # fixed (low, high), e.g. job outcomes on 0..1


def spark_scale(values: Sequence[float], thresholds: Sequence[float]) -> tuple[float, float]:
    """(low, high) of the sparkline: the values and the thresholds, or the values and zero."""
    points = [*values, *thresholds] if thresholds else [*values, 0.0]
    low, high = min(points), max(points)
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        return low - pad, high + pad
    return low, high


def level(value: float, low: float, high: float, steps: int) -> int:
    """Height in cell fractions (1..steps): the lowest value still draws a sliver."""
    ratio = min(max((value - low) / (high - low), 0.0), 1.0)
    return 1 + round(ratio * (steps - 1))


def spark_rows(data: SparkData, width: int, ascii_only: bool = False) -> list[Text]:
    """The newest `width` values as ROWS lines of text, top row first."""
    cells = _ASCII_CELLS if ascii_only else _UNICODE_CELLS
    per_cell = len(cells) - 1
    steps = ROWS * per_cell
    values = data.values[-width:] if width > 0 else ()
    styles = data.styles[-width:] if width > 0 else ()
    low, high = data.scale or spark_scale(data.values, [v for _, v in data.thresholds])
    heights = [level(v, low, high, steps) for v in values]
    lines: dict[int, tuple[str, str]] = {}  # row -> (glyph, style) of a threshold line in that row
    for kind, value in data.thresholds:
        row = (level(value, low, high, steps) - 1) // per_cell
        lines.setdefault(row, (_LINE[ascii_only], f"dim {THRESHOLD_STYLE.get(kind, '')}"))
    rows = []
    for row in reversed(range(ROWS)):
        text = Text(no_wrap=True, overflow="crop")
        for column in range(max(width, 0)):
            fill = heights[column] - row * per_cell if column < len(heights) else 0
            if fill > 0:
                text.append(cells[min(fill, per_cell)], style=styles[column])
            elif row in lines:
                text.append(*lines[row])
            else:
                text.append(" ")
        rows.append(text)
    return rows


class MetricSpark(Widget):
    """The sparkline of one metric row; redrawn to its own width."""

    DEFAULT_CSS = """
    MetricSpark { height: 2; width: 1fr; min-width: 8; max-width: 40; margin-right: 1; }
    """

    def __init__(self, data: SparkData, ascii_only: bool = False) -> None:
        super().__init__()
        self.data = data
        self.ascii_only = ascii_only

    def update(self, data: SparkData) -> None:
        if data != self.data:
            self.data = data
            self.refresh()

    def render(self) -> Text:
        return Text("\n").join(spark_rows(self.data, self.size.width, self.ascii_only))
