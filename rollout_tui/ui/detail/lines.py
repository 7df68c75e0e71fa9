"""A column of independently repainted lines.

Textual repaints a widget's whole region when its content changes, so a ten-line Static whose
countdown ticks sends ten lines a second over SSH. Here every line is its own widget and only
lines whose text changed are updated: a ticking countdown costs one line a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

# A line is a Text, or a (label, value) pair drawn as a two-column row whose value wraps under
# itself (a hanging indent), e.g. the summary's "Message" row.
Line = Text | tuple[Text, Text]
LABEL_WIDTH = 9


def _same(a: Line | None, b: Line) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return all(_same(x, y) for x, y in zip(a, b, strict=True))
    return isinstance(a, Text) and isinstance(b, Text) and a == b and a.style == b.style


def _one_line(line: Line, width: int) -> bool:
    """Whether `line` renders as exactly one row `width` cells wide (wrapping never kicks in)."""
    if not isinstance(line, Text) or width <= 0 or "\n" in line.plain:
        return False
    return line.no_wrap or line.cell_len <= width


def _renderable(line: Line) -> RenderableType:
    if isinstance(line, Text):
        return line
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=LABEL_WIDTH - 1, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(*line)
    return grid


class LineView(Static):
    DEFAULT_CSS = """
    LineView { height: auto; }
    """

    def __init__(self, text: Line) -> None:
        super().__init__(_renderable(text))
        self.text = text


class LinesView(Vertical):
    DEFAULT_CSS = """
    LinesView { height: auto; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texts: list[Line] = []

    def set_lines(self, lines: Sequence[Line]) -> bool:
        """Show `lines`; returns whether anything was repainted."""
        changed = False
        children = list(self.query_children(LineView))
        for index, text in enumerate(lines):
            if index < len(children):
                child = children[index]
                if not _same(child.text, text):
                    # A one-line text replaced by another that still fits needs no relayout (a
                    # relayout re-sends the scrollbars and everything that moved).
                    keeps_height = _one_line(child.text, child.content_size.width) and _one_line(
                        text, child.content_size.width
                    )
                    child.text = text
                    child.update(_renderable(text), layout=not keeps_height)
                    changed = True
            else:
                self.mount(LineView(text))
                changed = True
        for extra in children[len(lines) :]:
            extra.remove()
            changed = True
        self._texts = list(lines)
        return changed

    @property
    def lines(self) -> list[Line]:
        return list(self._texts)
