"""Wall mode: a large status banner for the rollout on show, or a quiet all-healthy board."""

from __future__ import annotations

from collections.abc import Sequence

from rich.align import Align
from rich.text import Text
from textual.widgets import Static

from . import facts
from .filtering import needs_attention
from .glyphs import Glyphs
from .rows import STATUS_STYLE, Entry
from .safe import clean


def attention_entries(entries: Sequence[Entry]) -> list[Entry]:
    return [
        e
        for e in entries
        if needs_attention(
            e.status, e.message, facts.is_aborted(e.rollout), facts.awaiting_promotion(e.rollout)
        )
    ]


def banner(entry: Entry | None, total: int, glyphs: Glyphs, position: str = "") -> Text:
    if entry is None:
        text = Text(f"{glyphs.status('Healthy')}  All {total} rollouts healthy", style="bold green")
        return text
    status = entry.status
    style = STATUS_STYLE.get(status, "bold")
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {glyphs.status(status)} {status.upper()} ", style=f"{style} reverse")
    text.append("  ")
    text.append(clean(f"{entry.summary.namespace}/{entry.summary.name}", 120), style="bold")
    text.append(f"  {clean(entry.context, 40)}", style="dim")
    if position:
        text.append(f"  {position}", style="dim")
    text.append("\n")
    text.append(clean(entry.message, 200))
    return text


class WallBanner(Static):
    DEFAULT_CSS = """
    WallBanner { height: 4; padding: 1 2 0 2; background: $panel; }
    """

    def show(self, text: Text) -> None:
        if text != getattr(self, "_last", None):
            self._last = text
            self.update(Align.left(text), layout=False)
