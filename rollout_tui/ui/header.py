"""The one-line header: where we look, what is there, what needs a human, and how fresh it is."""

from __future__ import annotations

import time
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
    state: ConnectionState | None,
    glyphs: Glyphs,
    tz: tzinfo | None = None,
    context: str = "",
    now: float | None = None,
) -> tuple[str, str]:
    """("live", "green"), ("loading 3,500 / ~10,000", "cyan"), ("no data from west for 12 s —
    reconnecting", "bold yellow"), or ("reconnecting — stale since 14:02:11", "bold yellow")...
    ``now``: time.monotonic() (the silence is measured on it, so a wall-clock jump cannot make it
    negative or stick)."""
    if state is not None and state.phase is Phase.SYNCING and state.loaded:
        # the first list, page by page: rows are shown as they arrive
        estimate = f" / ~{state.expected:,}" if state.expected is not None else ""
        return f"loading {state.loaded:,}{estimate}", "cyan"
    if state is None or state.phase is Phase.SYNCING:
        return "syncing", "cyan"
    if state.phase is Phase.LIVE:
        return "live", "green"
    silent = state.silent_for(time.monotonic() if now is None else now)
    if silent is not None:
        source = f" from {clean(context, 30)}" if context else ""
        doing = "unreachable" if state.phase is Phase.UNREACHABLE else "reconnecting"
        text = f"no data{source} for {quiet_for(silent)} {glyphs.dash} {doing}"
        return text, _TROUBLE_STYLE.get(state.phase, "yellow")
    stamp = (
        f" {glyphs.dash} stale since {state.since.astimezone(tz).strftime('%H:%M:%S')}" if state.since else ""
    )
    return f"{state.phase.value}{stamp}", _TROUBLE_STYLE.get(state.phase, "yellow")


def stale_contexts(connections: Mapping[str, ConnectionState]) -> frozenset[str]:
    """Contexts whose data is not live now (shown, but stale)."""
    return frozenset(ctx for ctx, state in connections.items() if state.stale)


def quiet_for(seconds: float) -> str:
    """12 s, 4 min, 2 h 5 min: how long a cluster has sent nothing."""
    seconds = max(0, int(seconds))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


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
        state = connections.get(ctx)
        text, style = describe_connection(state, glyphs, tz, context=ctx if len(contexts) > 1 else "")
        out.append(glyphs.sep)
        if len(contexts) > 1 and (state is None or not state.stale):
            out.append(f"{clean(ctx, 30)} ")  # "no data from west ..." names it already
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
