"""Scrollbars without Textual's eighth-block glyphs (`▁▃▆`) when the app runs with --ascii.

Textual draws every scrollbar with one renderer class (`ScrollBar.renderer`, the documented hook
in textual/scrollbar.py). The one installed here asks the app being rendered whether it is in
ASCII mode, so every scrollbar of that app (table, help, pickers, palette, detail) is drawn in
whole reverse-video cells (visible under NO_COLOR too) and other apps in the same process keep
Textual's own.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segments
from textual._context import active_app
from textual.scrollbar import ScrollBar, ScrollBarRender

from .detail.ascii import AsciiScrollBarRender


class GlyphAwareScrollBarRender(ScrollBarRender):
    """Textual's renderer, or the ASCII one for an app whose `ascii_scrollbars` is true."""

    @classmethod
    def render_bar(cls, *args: Any, **kwargs: Any) -> Segments:
        app = active_app.get(None)
        if getattr(app, "ascii_scrollbars", False):
            return AsciiScrollBarRender.render_bar(*args, **kwargs)
        return super().render_bar(*args, **kwargs)


def install() -> None:
    ScrollBar.renderer = GlyphAwareScrollBarRender
