"""Recent Kubernetes Events for the rollout: newest first, bounded, one row each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from rollout_tui.model.durations import human_duration
from rollout_tui.model.fields import as_int, as_str, dig, parse_time
from rollout_tui.ui.detail.lines import Line, LinesView
from rollout_tui.ui.detail.text import clean, safe
from rollout_tui.ui.rows import coarse_age

MAX_EVENTS = 50
MAX_MESSAGE = 280  # about four lines at 80 columns; `kubectl get events` has the rest

EventRow = tuple[str, str, str, str, str, str]  # type, reason, age, count, object, message


def _last_seen(event: Mapping[str, Any]) -> datetime | None:
    # core/v1 sets lastTimestamp; events.k8s.io/v1 and newer emitters use series/eventTime.
    for path in (
        ("series", "lastObservedTime"),
        ("lastTimestamp",),
        ("eventTime",),
        ("firstTimestamp",),
        ("metadata", "creationTimestamp"),
    ):
        when = parse_time(dig(event, *path))
        if when is not None:
            return when
    return None


def _count(event: Mapping[str, Any]) -> int:
    return max(as_int(dig(event, "series", "count")), as_int(event.get("count")), 1)


def event_rows(
    events: Sequence[Any], now: datetime, rollout_name: str = "", limit: int = MAX_EVENTS
) -> tuple[EventRow, ...]:
    """Plain rows (already cleaned), newest first; malformed entries are skipped, not fatal."""
    dated: list[tuple[float, str, int, Mapping[str, Any]]] = []
    for index, event in enumerate(events):
        if not isinstance(event, Mapping):
            continue
        when = _last_seen(event)
        # Events of one second arrive through several watches in any order: the name settles it.
        name = as_str(dig(event, "metadata", "name"))
        dated.append((when.timestamp() if when else float("-inf"), name, index, event))
    dated.sort(key=lambda item: item[:3], reverse=True)
    rows: list[EventRow] = []
    for stamp, _, _, event in dated[:limit]:
        age = "" if stamp == float("-inf") else coarse_age(human_duration(now.timestamp() - stamp))
        obj = dig(event, "involvedObject") or dig(event, "regarding") or {}
        obj_name = as_str(dig(obj, "name"))
        # The rollout's own events need no object column; its ReplicaSets' and pods' do.
        where = "" if not obj_name or obj_name == rollout_name else f"{as_str(dig(obj, 'kind'))}/{obj_name}"
        count = _count(event)
        rows.append(
            (
                clean(as_str(event.get("type")) or "Normal", 16),
                clean(as_str(event.get("reason")), 40),
                age,
                f"×{count}" if count > 1 else "",
                clean(where, 60),
                clean(as_str(event.get("message")) or as_str(event.get("note")), MAX_MESSAGE),
            )
        )
    return tuple(rows)


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
        events: Sequence[Any],
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
