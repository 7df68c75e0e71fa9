"""Wall mode: a large status banner for the rollout on show, or a quiet board when nothing needs you.

The banner counts what the header counts (model.attention.tally of the rows shown): "2/3 need you"
is the second of the three rollouts the header says need you, in the table's order.
"""

from __future__ import annotations

from datetime import datetime

from rich.align import Align
from rich.text import Text
from textual.widgets import Static

from rollout_tui.model.attention import Tally
from rollout_tui.model.icons import Glyphs

from .fleet_view import Entry
from .safe import clean
from .styles import ATTENTION_STYLE, status_style

STALE_STYLE = "bold reverse red"


def stale_line(stale: tuple[str, ...], glyphs: Glyphs) -> Text:
    """One line for every cluster sending no data ("no data from west for 12 s — reconnecting"),
    across the top of the banner: a wall read from across the room must not look live."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if stale:  # one line, however many clusters: the rollout on show keeps its two
        text.append(f" {glyphs.warning} {glyphs.sep.strip().join(stale)} ", style=STALE_STYLE)
        text.append("\n")
    return text


def all_clear(counts: Tally, glyphs: Glyphs, stale: tuple[str, ...] = ()) -> Text:
    """The board when nothing needs a human: what there is, in the header's words (with a stale
    cluster, the last known state: never a green all-clear)."""
    parts = [f"{counts.auto} on their way"] if counts.auto else []
    if counts.ok or not parts:
        parts.append(f"{counts.ok} healthy")
    if stale:
        return stale_line(stale, glyphs).append(f"last known state of {counts.total} rollouts", style="bold")
    return Text(f"{glyphs.ok}  Nothing needs you: {', '.join(parts)}", style="bold green")


def banner(entry: Entry, position: str, glyphs: Glyphs, now: datetime, stale: tuple[str, ...] = ()) -> Text:
    """The rollout on show: status, where it is, which of those needing you, and why; `stale`
    clusters first (`stale_line`)."""
    return stale_line(stale, glyphs).append_text(_rollout(entry, position, glyphs, now))


def _rollout(entry: Entry, position: str, glyphs: Glyphs, now: datetime) -> Text:
    state = entry.state
    status = state.status or "Unknown"
    text = Text(no_wrap=True, overflow="crop" if glyphs.ascii else "ellipsis")
    text.append(f" {glyphs.of_status(status)} {status.upper()} ", style=f"{status_style(status)} reverse")
    text.append("  ")
    text.append(clean(state.target, 120), style="bold")
    text.append(f"  {clean(entry.context, 40)}", style="dim")
    text.append(f"  {position}", style="dim")
    text.append("\n")
    found = entry.attention
    text.append(clean(found.line(now), 200), style=ATTENTION_STYLE.get(found.level, ""))
    if state.message and not (found.reasons and found.reasons[0].sentence):  # else the line has said it
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
