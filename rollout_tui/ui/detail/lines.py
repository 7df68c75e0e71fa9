"""A column of independently repainted lines.

Textual repaints a widget's whole region when its content changes, so a ten-line Static whose
countdown ticks sends ten lines a second over SSH. Here every line is its own widget and only
lines whose text changed are updated: a ticking countdown costs one line a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static


def _same(a: Text | None, b: Text) -> bool:
    return a is not None and a == b and a.style == b.style


class LineView(Static):
    DEFAULT_CSS = """
    LineView { height: auto; }
    """

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


class LinesView(Vertical):
    DEFAULT_CSS = """
    LinesView { height: auto; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texts: list[Text] = []

    def set_lines(self, lines: Sequence[Text]) -> bool:
        """Show `lines`; returns whether anything was repainted."""
        changed = False
        children = list(self.query_children(LineView))
        for index, text in enumerate(lines):
            if index < len(children):
                if not _same(children[index].text, text):
                    children[index].text = text
                    children[index].update(text)
                    changed = True
            else:
                self.mount(LineView(text))
                changed = True
        for extra in children[len(lines):]:
            extra.remove()
            changed = True
        self._texts = list(lines)
        return changed

    @property
    def lines(self) -> list[Text]:
        return list(self._texts)
