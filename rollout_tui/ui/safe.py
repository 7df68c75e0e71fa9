"""Cluster strings as Rich `Text` for the screen, through the one sanitiser (`render.safe`).

`Text` is never parsed as markup, so `[bold red]` from a rollout's message stays literal.
"""

from __future__ import annotations

from rich.text import Text

from rollout_tui.render.safe import ELLIPSIS, clean

__all__ = ["ELLIPSIS", "clean", "safe_text"]


def safe_text(value: object, style: str = "", limit: int = 256) -> Text:
    """A one-line Text of sanitised cluster data, cut to `limit` characters."""
    return Text(clean(value, limit), style=style, no_wrap=True, overflow="ellipsis")
