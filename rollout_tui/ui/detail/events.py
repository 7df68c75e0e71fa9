"""Recent Kubernetes Events of the rollout and everything it owns (model.events: folded, newest
first, warnings kept when the list is cut): bounded, one line each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from rollout_tui.model.durations import human_duration
from rollout_tui.model.events import EventInfo, as_timeline, shown
from rollout_tui.model.icons import Glyphs
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.model.warnings import WINDOW, rollout_warnings
from rollout_tui.ui.detail.lines import Line, LinesView
from rollout_tui.ui.detail.text import clean, safe
from rollout_tui.ui.rows import coarse_age

MAX_EVENTS = 50
MAX_MESSAGE = 280  # about four lines at 80 columns; `kubectl get events` has the rest

EventRow = tuple[str, str, str, str, str, str]  # type, reason, age, count, object, message


def event_rows(
    events: Sequence[EventInfo | Mapping[str, Any]],
    now: datetime,
    rollout_name: str = "",
    limit: int = MAX_EVENTS,
) -> tuple[EventRow, ...]:
    """Plain rows (already cleaned), newest first; warnings are kept before normal events when the
    list is cut (model.events.shown)."""
    rows: list[EventRow] = []
    for event in shown(as_timeline(events), limit):
        when = event.last_seen
        age = "" if when is None else coarse_age(human_duration(now.timestamp() - when.timestamp()))
        # The rollout's own events need no object column; its ReplicaSets' and pods' do.
        where = "" if not event.name or event.name == rollout_name else f"{event.kind}/{event.name}"
        rows.append(
            (
                clean(event.type, 16),
                clean(event.reason, 40),
                age,
                f"×{event.count}" if event.count > 1 else "",
                clean(where, 60),
                clean(event.message, MAX_MESSAGE),
            )
        )
    return tuple(rows)


def events_heading(info: RolloutInfo, now: datetime, glyphs: Glyphs) -> Text:
    """ "Events  ⚠ 3 warnings in 10m": the count the overview row shows (model.warnings)."""
    heading = Text("Events")
    count = rollout_warnings(info.state, info.events, (), now).count
    if count:
        minutes = int(WINDOW.total_seconds() // 60)
        heading.append(
            f"  {glyphs.warning} {count} warning{'s' if count > 1 else ''} in {minutes}m", style="bold red"
        )
    return heading


def _cell(text: Text, width: int, right: bool = False) -> Text:
    """`text` cut or padded to exactly `width` cells."""
    text = text.copy()
    text.truncate(width, overflow="crop")
    pad = width - text.cell_len
    if pad > 0:
        if right:
            text = Text.assemble(" " * pad, text)
        else:
            text.append(" " * pad)
    return text


def event_lines(rows: Sequence[EventRow], ascii_only: bool = False, loading: bool = False) -> list[Line]:
    """One row per event: the type, then reason, age, count, object and message aligned across
    rows; a long message wraps under the reason (a hanging indent), never back to column 0."""
    if not rows:
        return [Text("loading…" if loading else "No events.", style="dim")]
    reason_width = min(max(cell_len(r[1]) for r in rows), 28)
    age_width = max(cell_len(r[2]) for r in rows)
    count_width = max(cell_len(r[3]) for r in rows)
    lines: list[Line] = []
    for kind, reason, age, count, where, message in rows:
        warning = kind == "Warning"
        if ascii_only:
            count = count.replace("×", "x")
        text = Text.assemble(
            _cell(safe(reason, "yellow" if warning else ""), reason_width),
            " ",
            _cell(safe(age, "dim"), age_width, right=True),
            " ",
        )
        if count_width:
            text.append_text(_cell(safe(count, "dim"), count_width))
            text.append(" ")
        if where:
            text.append_text(safe(where, "dim"))
            text.append(" ")
        text.append_text(safe(message))
        lines.append((_cell(safe(kind, "bold red" if warning else "dim"), 7), text))
    return lines


class EventsView(LinesView):
    """Only rows whose text changed repaint (a recent event's age ticks, the others stay)."""

    def __init__(self, ascii_only: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ascii_only = ascii_only
        self._rows: tuple[EventRow, ...] | None = None
        self._loading = False

    def show(
        self,
        events: Sequence[EventInfo | Mapping[str, Any]],
        now: datetime,
        rollout_name: str,
        limit: int = MAX_EVENTS,
        loading: bool = False,
    ) -> bool:
        """`loading`: the events are still being listed (none yet is not "No events.")."""
        rows = event_rows(events, now, rollout_name, limit)
        if rows == self._rows and loading == self._loading:
            return False
        self._rows, self._loading = rows, loading
        return self.set_lines(event_lines(rows, self.ascii_only, loading))
