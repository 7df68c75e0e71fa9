"""Wall mode: a large status banner for the rollout on show, or a quiet all-healthy board."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.widgets import Static

from rollout_tui.model.icons import Glyphs

from .fleet_view import Entry
from .safe import clean
from .styles import ATTENTION_STYLE, status_style


def banner(entry: Entry | None, total: int, glyphs: Glyphs, position: str = "") -> Text:
    if entry is None:
        return Text(f"{glyphs.ok}  All {total} rollouts healthy or on their way", style="bold green")
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
