"""Overview rows: one rollout as a tuple of cell Texts, with stable keys and fixed columns.

Pure (rich only): every cell is read from the entry's `RolloutState` and `Attention` (model),
nothing is derived here. Fixed column widths spare DataTable from measuring every cell, and keep
the layout still while values change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text

from rollout_tui.model.durations import age_at
from rollout_tui.model.icons import Glyphs
from rollout_tui.model.state import BLUE_GREEN, CANARY, RolloutState

from .badges import context_text, pinned_name
from .fleet_view import Entry
from .safe import ELLIPSIS, clean, safe_text
from .styles import status_style


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("context", "CTX", 8),
    Column("namespace", "NAMESPACE", 12),
    Column("name", "NAME", 21),
    Column("strategy", "ST", 2),
    Column("status", "STATUS", 13),
    Column("step", "STEP", 5),
    Column("weight", "WEIGHT", 7),
    Column("ready", "READY", 6),
    Column("age", "AGE", 5),
    Column("message", "MESSAGE", 60),
)


def columns(show_context: bool) -> tuple[Column, ...]:
    return COLUMNS if show_context else COLUMNS[1:]


def fit(text: Text, width: int, ascii_only: bool = False) -> Text:
    """Exactly `width` cells plus one space: DataTable runs with no padding so 80 columns fit."""
    text = text.copy()
    if ascii_only:
        text.plain = text.plain.replace(ELLIPSIS, "~")
        if text.cell_len > width:  # "~" marks the cut where Unicode terminals get an ellipsis
            text.truncate(width - 1, overflow="crop")
            text.append("~")
    text.truncate(width, overflow="ellipsis", pad=True)
    text.append(" ")
    return text


_SECONDS = re.compile(r"(\d+)s")
_MINUTES_SECONDS = re.compile(r"(\d+)m\d+s")


def coarse_age(text: str) -> str:
    """ "5m14s" -> "5m", "47s" -> "40s": an age that changes every second would repaint every row
    (and every tree node and event line of the detail) every second: several KiB/s over SSH.
    Countdowns keep second precision; ages need not."""
    if m := _MINUTES_SECONDS.fullmatch(text):
        return f"{m.group(1)}m"
    if m := _SECONDS.fullmatch(text):
        return f"{int(m.group(1)) // 10 * 10}s"
    return text


def age_cell(created: datetime | None, now: datetime) -> str:
    return coarse_age(age_at(created, now))


def weight_text(state: RolloutState) -> str:
    """ "20/20" (set/actual), "20/17~" when the actual weight is estimated, "-" without weights."""
    if state.strategy != CANARY or state.set_weight is None:
        return "-"
    return f"{state.set_weight}/{state.actual_weight}{'~' if state.actual_weight_estimated else ''}"


def message_cell(entry: Entry, glyphs: Glyphs, style: str) -> Text:
    """The warning count and what the pods or the router say (model.incident), then the message."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if entry.warnings:
        text.append(f"{glyphs.warning}{entry.warnings} ", style="red")
    if entry.incident:
        text.append(clean(entry.incident[0].text, 80), style="bold red")
        text.append(f" {glyphs.bullet} " if entry.state.message else "", style="dim")
    text.append_text(safe_text(entry.state.message, style=style, limit=200))
    return text


STALE_STYLE = "dim"


def cells(
    entry: Entry, glyphs: Glyphs, show_context: bool, now: datetime, stale: bool = False
) -> tuple[Text, ...]:
    """``stale``: its cluster sends no data now: the row is dimmed (it shows the last known state)
    and its AGE column, narrow and always on screen, says "stale"."""
    state = entry.state
    status = state.status or "Unknown"
    strategy = {CANARY: "C", BLUE_GREEN: "BG"}.get(state.strategy, "?")
    out = [
        safe_text(state.namespace, limit=63),
        pinned_name(safe_text(state.name, limit=253), entry.pinned, glyphs),
        Text(strategy),
        Text(f"{glyphs.of_status(status)} {clean(status, 11)}", style=status_style(status), no_wrap=True),
        Text(clean(state.step_label or "-", 8)),
        Text(weight_text(state)),
        Text(f"{state.replicas.ready}/{state.replicas.current}"),
        Text("stale", style="bold") if stale else Text(age_cell(state.created, now)),
        message_cell(entry, glyphs, "dim" if status == "Healthy" else ""),
    ]
    if show_context:
        out.insert(0, context_text(entry.context, entry.badge))
    if stale:
        for text in out:
            text.stylize(STALE_STYLE)
    return tuple(
        fit(text, col.width, glyphs.ascii) for text, col in zip(out, columns(show_context), strict=True)
    )
