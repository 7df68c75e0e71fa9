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


def all_clear(counts: Tally, glyphs: Glyphs) -> Text:
    """The board when nothing needs a human: what there is, in the header's words."""
    parts = [f"{counts.auto} on their way"] if counts.auto else []
    if counts.ok or not parts:
        parts.append(f"{counts.ok} healthy")
    return Text(f"{glyphs.ok}  Nothing needs you: {', '.join(parts)}", style="bold green")


def banner(entry: Entry, position: str, glyphs: Glyphs, now: datetime) -> Text:
    """The rollout on show: status, where it is, which of those needing you, and why."""
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
