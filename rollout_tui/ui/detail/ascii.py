"""`--ascii` for what Textual draws itself: scrollbars (block characters) and borders."""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBarRender
from textual.widget import Widget


class AsciiScrollBarRender(ScrollBarRender):
    """Scrollbars without the eighth-block ends (▁▃▆): the thumb is shown by its colour alone."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


def ascii_scrollbars(*widgets: Widget) -> None:
    """Draw the scrollbars of `widgets` in ASCII. ScrollBar.renderer is a ClassVar that Textual reads
    through the instance and documents setting per scrollbar (textual/scrollbar.py)."""
    for widget in widgets:
        widget.vertical_scrollbar.renderer = AsciiScrollBarRender  # type: ignore[misc]
        widget.horizontal_scrollbar.renderer = AsciiScrollBarRender  # type: ignore[misc]
