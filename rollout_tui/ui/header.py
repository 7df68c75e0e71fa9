"""The one-line header: where we look, what is there, what needs a human, and how fresh it is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import tzinfo

from rich.text import Text
from textual.widgets import Static

from rollout_tui.kube.state import ConnectionState, Phase
from rollout_tui.model.icons import Glyphs
from rollout_tui.settings import Badge

from .badges import header_contexts
from .fleet_view import Entry
from .safe import clean
from .styles import status_style

STATUS_ORDER = ("Degraded", "Paused", "Progressing", "Healthy", "Unknown")
_TROUBLE_STYLE = {
    Phase.RECONNECTING: "bold yellow",
    Phase.UNREACHABLE: "bold red",
    Phase.FORBIDDEN: "bold red",
    Phase.FAILED: "bold red",
}


def describe_connection(
    state: ConnectionState | None, glyphs: Glyphs, tz: tzinfo | None = None
) -> tuple[str, str]:
    """("live", "green"), ("loading 3,500 / ~10,000", "cyan") or ("reconnecting — stale since
    14:02:11", "bold yellow")..."""
    if state is not None and state.phase is Phase.SYNCING and state.loaded:
        # the first list, page by page: rows are shown as they arrive
        estimate = f" / ~{state.expected:,}" if state.expected is not None else ""
        return f"loading {state.loaded:,}{estimate}", "cyan"
    if state is None or state.phase is Phase.SYNCING:
        return "syncing", "cyan"
    if state.phase is Phase.LIVE:
        return "live", "green"
    stamp = (
        f" {glyphs.dash} stale since {state.since.astimezone(tz).strftime('%H:%M:%S')}" if state.since else ""
    )
    return f"{state.phase.value}{stamp}", _TROUBLE_STYLE.get(state.phase, "yellow")


def header_text(
    contexts: Iterable[str],
    scope: str,
    entries: Iterable[Entry],
    connections: Mapping[str, ConnectionState],
    glyphs: Glyphs,
    shown: int,
    extra: str = "",
    tz: tzinfo | None = None,
    badges: Mapping[str, Badge | None] | None = None,
) -> Text:
    """`entries` are those in the chosen namespace and context: the counts describe what is looked at."""
    contexts = list(contexts)
    entries = list(entries)
    counts = Counter(e.state.status for e in entries)
    needs_me = sum(1 for e in entries if e.attention.needs_me)
    total = len(entries)
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append_text(header_contexts(contexts, badges or {}))
    out.append(glyphs.sep)
    out.append(clean(scope, 40))
    out.append(glyphs.sep)
    out.append(f"{shown}/{total}" if shown != total else f"{total}", style="bold")
    if needs_me:
        out.append(f" {needs_me} need you", style="bold red")
    for status in STATUS_ORDER:
        if counts.get(status):
            out.append(f" {glyphs.of_status(status)}{counts[status]}", style=status_style(status))
    for ctx in contexts:
        text, style = describe_connection(connections.get(ctx), glyphs, tz)
        out.append(glyphs.sep)
        if len(contexts) > 1:
            out.append(f"{clean(ctx, 30)} ")
        out.append(text, style=style)
    if extra:
        out.append(glyphs.sep)
        out.append(clean(extra, 80), style="italic")
    return out


class HeaderBar(Static):
    DEFAULT_CSS = """
    HeaderBar { height: 1; background: $panel; padding: 0 1; }
    """

    def show(self, text: Text) -> None:
        if text != getattr(self, "_last", None):  # repaint only on change
            self._last = text
            self.update(text, layout=False)  # fixed height: a relayout would repaint the scrollbars too
