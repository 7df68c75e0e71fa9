"""Overview rows: one rollout as a tuple of cell Texts, with stable keys and fixed columns.

Pure (rich only): every cell is read from the entry's `RolloutState` and `Attention` (model),
nothing is derived here. Fixed column widths spare DataTable from measuring every cell, and keep
the layout still while values change; `layout(width)` decides them once per table width, giving
way by priority so that what needs a human, and why, stays on screen at 80 columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from rollout_tui.model.durations import age_at
from rollout_tui.model.icons import Glyphs
from rollout_tui.model.state import BLUE_GREEN, CANARY, RolloutState

from .badges import context_text, pinned_name
from .fleet_view import Entry
from .safe import ELLIPSIS, clean, safe_text
from .styles import ATTENTION_STYLE, MESSAGE_STYLE, status_style


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int


MESSAGE = "message"
COLUMNS: tuple[Column, ...] = (
    Column("attention", "", 1),  # the needs-me mark; its header sorts needs-me first
    Column("context", "CTX", 8),
    Column("namespace", "NAMESPACE", 12),
    Column("name", "NAME", 21),
    Column("strategy", "ST", 2),
    Column("status", "STATUS", 13),
    Column("step", "STEP", 5),
    Column("weight", "WEIGHT", 7),
    Column("ready", "READY", 5),
    Column("age", "AGE", 5),
    Column(MESSAGE, "MESSAGE", 0),  # the rest of the width: why it needs you, or the controller's words
)
# What gives way when the table is too narrow, in this order, each while MESSAGE would be narrower
# than its figure: (column, narrower width or 0 = dropped, MESSAGE width wanted). MESSAGE beats
# WEIGHT beats AGE beats READY; the context column narrows before MESSAGE would go below 24 ("waiting
# for promotion at step 3/8" may lose its end, never its point).
GIVE_WAY: tuple[tuple[str, int, int], ...] = (
    ("strategy", 0, 42),
    ("ready", 0, 40),  # "inconclusive analysis: promote or abort" is 39
    ("age", 0, 36),
    ("name", 18, 28),
    ("namespace", 10, 28),
    ("weight", 0, 28),
    ("context", 6, 24),
    ("step", 0, 24),
    ("name", 16, 24),
    ("namespace", 8, 24),
    ("context", 4, 24),
)
MESSAGE_MIN = GIVE_WAY[-1][2]


def layout(width: int, show_context: bool, content: Mapping[str, int] | None = None) -> tuple[Column, ...]:
    """The columns and their widths for a table `width` cells wide (each column takes one more
    cell for the space after it); MESSAGE takes whatever is left. `content` (`content_widths`):
    CTX, NAMESPACE and NAME no wider than their widest cell, so what they need not is MESSAGE's."""
    content = content or {}
    widths = {
        c.key: max(len(c.label), min(c.width, content.get(c.key, c.width)))
        for c in COLUMNS
        if show_context or c.key != "context"
    }

    def fixed() -> int:
        return sum(w + 1 for key, w in widths.items() if key != MESSAGE)

    for key, narrower, wanted in GIVE_WAY:
        if width - fixed() - 1 >= wanted:
            break
        if key in widths:
            if narrower:
                widths[key] = min(widths[key], narrower)
            else:
                del widths[key]
    widths[MESSAGE] = max(MESSAGE_MIN, width - fixed() - 1)
    return tuple(replace(c, width=widths[c.key]) for c in COLUMNS if c.key in widths)


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


def moving_parts(entry: Entry, now: datetime) -> tuple[str, str]:
    """What of a row changes with the clock alone: its coarse age and, when its reason counts
    down ("pause ends in 4m12s"), that line. Equal parts, equal cells: only counting rows repaint."""
    countdown = entry.attention.line(now) if entry.attention.counting_down else ""
    return age_cell(entry.state.created, now), countdown


def weight_text(state: RolloutState) -> str:
    """ "20/20" (set/actual), "20/17~" when the actual weight is estimated, "-" without weights."""
    if state.strategy != CANARY or state.set_weight is None:
        return "-"
    return f"{state.set_weight}/{state.actual_weight}{'~' if state.actual_weight_estimated else ''}"


def message_text(entry: Entry, glyphs: Glyphs, now: datetime) -> Text:
    """The warning count and what the pods or the router say (model.incident), then why it needs
    you ("waiting for promotion at step 3/8", "aborted: <message>"), when it goes on by itself
    ("pause ends in 4m12s"), else the controller's message."""
    found = entry.attention
    text = Text(no_wrap=True, overflow="ellipsis")
    if entry.warnings:
        text.append(f"{glyphs.warning}{entry.warnings} ", style="red")
    line = found.line(now) or entry.state.message
    if entry.incident:
        text.append(clean(entry.incident[0].text, 80), style="bold red")
        text.append(f" {glyphs.bullet} " if line else "", style="dim")
    text.append_text(safe_text(line, style=MESSAGE_STYLE.get(found.level, ""), limit=300))
    return text


def _status(entry: Entry, glyphs: Glyphs) -> Text:
    status = entry.state.status or "Unknown"
    return Text(f"{glyphs.of_status(status)} {clean(status, 11)}", style=status_style(status), no_wrap=True)


_CELLS: dict[str, Callable[[Entry, Glyphs, datetime], Text]] = {
    "attention": lambda e, g, now: Text(
        g.of_attention(e.attention.level), style=ATTENTION_STYLE.get(e.attention.level, "")
    ),
    "context": lambda e, g, now: context_text(e.context, e.badge),
    "namespace": lambda e, g, now: safe_text(e.state.namespace, limit=63),
    "name": lambda e, g, now: pinned_name(
        safe_text(e.state.name, style="bold" if e.attention.needs_me else "", limit=253), e.pinned, g
    ),
    "strategy": lambda e, g, now: Text({CANARY: "C", BLUE_GREEN: "BG"}.get(e.state.strategy, "?")),
    "status": lambda e, g, now: _status(e, g),
    "step": lambda e, g, now: Text(clean(e.state.step_label or "-", 8)),
    "weight": lambda e, g, now: Text(weight_text(e.state)),
    "ready": lambda e, g, now: Text(f"{e.state.replicas.ready}/{e.state.replicas.current}"),
    "age": lambda e, g, now: Text(age_cell(e.state.created, now)),
    MESSAGE: lambda e, g, now: message_text(e, g, now),
}


SIZED_BY_CONTENT = ("context", "namespace", "name")
_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # these cells do not depend on the clock


_FULL = {c.key: c.width for c in COLUMNS if c.key in SIZED_BY_CONTENT}


def content_widths(
    entries: Iterable[Entry], glyphs: Glyphs, memo: dict[tuple[Any, ...], tuple[int, ...]] | None = None
) -> dict[str, int]:
    """The widest CTX, NAMESPACE and NAME cell among `entries` (for `layout`), each at most its
    column's full width: past that a longer name changes nothing, so the scan stops once all three
    reached it. `memo` (kept by the caller) spares measuring a row twice: keyed by what those cells
    show (not by Entry: every change of a rollout's state makes a new Entry, its name stays)."""
    memo = {} if memo is None else memo
    widest = [0] * len(SIZED_BY_CONTENT)
    full = [_FULL[key] for key in SIZED_BY_CONTENT]
    for entry in entries:
        shown = (entry.context, entry.badge, entry.state.namespace, entry.state.name, entry.pinned)
        known = memo.get(shown)
        if known is None:
            known = tuple(_CELLS[key](entry, glyphs, _ANY_TIME).cell_len for key in SIZED_BY_CONTENT)
            memo[shown] = known
        widest = [max(a, b) for a, b in zip(widest, known, strict=True)]
        if all(w >= f for w, f in zip(widest, full, strict=True)):
            break
    return {key: min(w, f) for key, w, f in zip(SIZED_BY_CONTENT, widest, full, strict=True)}


STALE_STYLE = "dim"


def cells(
    entry: Entry, glyphs: Glyphs, columns: tuple[Column, ...], now: datetime, stale: bool = False
) -> tuple[Text, ...]:
    """The row of `entry` for `columns` (from `layout`). ``stale``: its cluster sends no data now:
    the row is dimmed (it shows the last known state) and its AGE column says "stale" (MESSAGE
    starts with it when AGE gave way to a narrow terminal)."""
    keys = [col.key for col in columns]
    out = [_CELLS[key](entry, glyphs, now) for key in keys]
    if stale:
        if "age" in keys:
            out[keys.index("age")] = Text("stale", style="bold")
        elif MESSAGE in keys:
            at = keys.index(MESSAGE)
            out[at] = Text("stale ", style="bold") + out[at]
        for text in out:
            text.stylize(STALE_STYLE)
    return tuple(fit(text, col.width, glyphs.ascii) for text, col in zip(out, columns, strict=True))
