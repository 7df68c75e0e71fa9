"""The one-line header: where we look, what is there, and how fresh it is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from rich.text import Text
from textual.widgets import Static

from .glyphs import Glyphs
from .rows import STATUS_STYLE, Entry
from .safe import clean

STATUS_ORDER = ("Degraded", "Paused", "Progressing", "Healthy", "Unknown")


def _state_name(state: Any) -> str:
    for attr in ("phase", "state", "kind", "name", "value"):
        value = getattr(state, attr, None)
        if isinstance(value, str) and value:
            return value.lower()
        if value is not None and hasattr(value, "value") and isinstance(value.value, str):
            return value.value.lower()
    return clean(state, 20).lower() if isinstance(state, str) else "unknown"


def _since(state: Any) -> datetime | None:
    for attr in ("stale_since", "since", "last_synced"):
        value = getattr(state, attr, None)
        if isinstance(value, datetime):
            return value
    return None


def describe_state(state: Any, glyphs: Glyphs, tz: tzinfo | None = None) -> tuple[str, str]:
    """("live", "green") or ("reconnecting — stale since 14:02:11", "bold yellow")..."""
    name = _state_name(state)
    if name in ("live", "synced", "watching"):
        return "live", "green"
    since = _since(state)
    stamp = f" {glyphs.dash} stale since {since.astimezone(tz).strftime('%H:%M:%S')}" if since else ""
    if name in ("syncing", "connecting", "listing"):
        return "syncing", "cyan"
    if name == "forbidden":
        return f"forbidden{stamp}", "bold red"
    if name in ("unreachable", "reconnecting", "stale", "error", "unauthorized"):
        return f"{name}{stamp}", "bold yellow" if name == "reconnecting" else "bold red"
    return f"{clean(name, 20)}{stamp}", "yellow"


def header_text(
    contexts: Iterable[str],
    scope: str,
    entries: Iterable[Entry],
    states: Mapping[str, Any],
    glyphs: Glyphs,
    shown: int,
    extra: str = "",
    tz: tzinfo | None = None,
) -> Text:
    contexts = list(contexts)
    counts = Counter(e.status for e in entries)
    total = sum(counts.values())
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(clean(",".join(contexts), 60), style="bold")
    out.append(glyphs.sep)
    out.append(clean(scope, 40))
    out.append(glyphs.sep)
    out.append(f"{shown}/{total}" if shown != total else f"{total}", style="bold")
    for status in STATUS_ORDER:
        if counts.get(status):
            out.append(f" {glyphs.status(status)}{counts[status]}", style=STATUS_STYLE.get(status, ""))
    for ctx in contexts:
        text, style = describe_state(states.get(ctx), glyphs, tz)
        out.append(glyphs.sep)
        if len(contexts) > 1:
            out.append(f"{clean(ctx, 30)} ")
        out.append(text, style=style)
    if extra:
        out.append(glyphs.sep)
        out.append(extra, style="italic")
    return out


class HeaderBar(Static):
    DEFAULT_CSS = """
    HeaderBar { height: 1; background: $panel; padding: 0 1; }
    """

    def show(self, text: Text) -> None:
        if text != getattr(self, "_last", None):  # repaint only on change
            self._last = text
            self.update(text, layout=False)  # fixed height: a relayout would repaint the scrollbars too
