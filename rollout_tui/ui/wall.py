"""Wall mode: a large status banner for the rollout on show, or a quiet all-healthy board."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.widgets import Static

from rollout_tui.model.icons import Glyphs

from .fleet_view import Entry
from .safe import clean
from .styles import ATTENTION_STYLE, status_style

STALE_STYLE = "bold reverse red"


def banner(
    entry: Entry | None, total: int, glyphs: Glyphs, position: str = "", stale: tuple[str, ...] = ()
) -> Text:
    """``stale``: one line per cluster sending no data ("no data from west for 12 s —
    reconnecting"), across the top: a wall read from across the room must not look live."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if stale:  # one line, however many clusters: the rollout on show keeps its two
        text.append(f" {glyphs.warning} {glyphs.sep.strip().join(stale)} ", style=STALE_STYLE)
        text.append("\n")
    if entry is None:
        if stale:
            return text.append(f"last known state of {total} rollouts", style="bold")
        return Text(f"{glyphs.ok}  All {total} rollouts healthy or on their way", style="bold green")
    return text.append_text(_rollout(entry, glyphs, position))


def _rollout(entry: Entry, glyphs: Glyphs, position: str) -> Text:
    state = entry.state
    status = state.status or "Unknown"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {glyphs.of_status(status)} {status.upper()} ", style=f"{status_style(status)} reverse")
    text.append("  ")
    text.append(clean(state.target, 120), style="bold")
    text.append(f"  {clean(entry.context, 40)}", style="dim")
    if position:
        text.append(f"  {position}", style="dim")
    text.append("\n")
    text.append(clean(entry.attention.headline, 80), style=ATTENTION_STYLE.get(entry.attention.level, ""))
    if state.message:
        text.append(f"  {clean(state.message, 200)}")
    return text


class WallBanner(Static):
    DEFAULT_CSS = """
    WallBanner { height: 4; padding: 1 2 0 2; background: $panel; }
    """

    def show(self, text: Text) -> None:
        if text != getattr(self, "_last", None):
            self._last = text
            self.update(Align.left(text), layout=False)
