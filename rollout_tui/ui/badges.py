"""The config file's marks as rows and the header show them: a context's label in its colour,
and the pin of a favourite. One small hook each, so the row and header layouts only place them.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from rollout_tui.model.icons import Glyphs
from rollout_tui.settings import Badge

from .safe import safe_text

PIN, ASCII_PIN = "★", "*"


def context_text(context: str, badge: Badge | None, limit: int = 40) -> Text:
    """The context's label (or its own name) in the context's colour; the name alone without a badge."""
    if badge is None:
        return safe_text(context, limit=limit)
    style = f"bold {badge.color}" if badge.color else "bold"
    return safe_text(badge.label or context, style=style, limit=limit)


def header_contexts(contexts: list[str], badges: Mapping[str, Badge | None], limit: int = 60) -> Text:
    """ "prod-eu PROD,staging" for the header: each name, then its label in its colour."""
    text = Text(no_wrap=True, overflow="ellipsis", style="bold")
    for index, context in enumerate(contexts):
        if index:
            text.append(",")
        badge = badges.get(context)
        if badge is not None and badge.label:
            text.append_text(safe_text(context, limit=limit))
            text.append(" ")
        text.append_text(context_text(context, badge, limit=limit))
    text.truncate(limit, overflow="ellipsis")
    return text


def pinned_name(name: Text, pinned: bool, glyphs: Glyphs) -> Text:
    """A favourite's name with the pin in front."""
    if not pinned:
        return name
    marked = Text(f"{ASCII_PIN if glyphs.ascii else PIN} ", style="bold yellow", no_wrap=True)
    marked.append_text(name)
    return marked
