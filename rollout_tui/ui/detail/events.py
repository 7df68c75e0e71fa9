"""Recent Kubernetes Events for the rollout: newest first, bounded, one line each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from rollout_tui.model.durations import human_duration
from rollout_tui.model.fields import as_int, as_str, dig, parse_time
from rollout_tui.ui.detail.text import clean, safe

MAX_EVENTS = 50

EventRow = tuple[str, str, str, str, str, str]  # type, reason, age, count, object, message


def _last_seen(event: Mapping[str, Any]) -> datetime | None:
    # core/v1 sets lastTimestamp; events.k8s.io/v1 and newer emitters use series/eventTime.
    for path in (("series", "lastObservedTime"), ("lastTimestamp",), ("eventTime",),
                 ("firstTimestamp",), ("metadata", "creationTimestamp")):
        when = parse_time(dig(event, *path))
        if when is not None:
            return when
    return None


def _count(event: Mapping[str, Any]) -> int:
    return max(as_int(dig(event, "series", "count")), as_int(event.get("count")), 1)


def event_rows(events: Sequence[Any], now: datetime, rollout_name: str = "",
               limit: int = MAX_EVENTS) -> tuple[EventRow, ...]:
    """Plain rows (already cleaned), newest first; malformed entries are skipped, not fatal."""
    dated: list[tuple[float, int, Mapping[str, Any]]] = []
    for index, event in enumerate(events):
        if not isinstance(event, Mapping):
            continue
        when = _last_seen(event)
        dated.append((when.timestamp() if when else float("-inf"), index, event))
    dated.sort(key=lambda item: (item[0], item[1]), reverse=True)
    rows: list[EventRow] = []
    for stamp, _, event in dated[:limit]:
        age = "" if stamp == float("-inf") else human_duration(now.timestamp() - stamp)
        obj = dig(event, "involvedObject") or dig(event, "regarding") or {}
        obj_name = as_str(dig(obj, "name"))
        # The rollout's own events need no object column; its ReplicaSets' and pods' do.
        where = "" if not obj_name or obj_name == rollout_name else f"{as_str(dig(obj, 'kind'))}/{obj_name}"
        count = _count(event)
        rows.append((
            clean(as_str(event.get("type")) or "Normal", 16),
            clean(as_str(event.get("reason")), 40),
            age,
            f"×{count}" if count > 1 else "",
            clean(where, 60),
            clean(as_str(event.get("message")) or as_str(event.get("note")), 400),
        ))
    return tuple(rows)


def events_renderable(rows: Sequence[EventRow], ascii_only: bool = False) -> Table | Text:
    if not rows:
        return Text("No events.", style="dim")
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(no_wrap=True)  # type
    table.add_column(no_wrap=True)  # reason
    table.add_column(no_wrap=True, justify="right")  # age
    table.add_column(no_wrap=True)  # count
    table.add_column(ratio=1, no_wrap=True, overflow="crop" if ascii_only else "ellipsis")  # object + message
    for kind, reason, age, count, where, message in rows:
        warning = kind == "Warning"
        if ascii_only:
            count = count.replace("×", "x")
        detail = Text.assemble(safe(where, "dim"), " " if where else "", safe(message))
        table.add_row(
            safe(kind, "bold red" if warning else "dim"),
            safe(reason, "yellow" if warning else ""),
            safe(age, "dim"),
            safe(count, "dim"),
            detail,
        )
    return table


class EventsView(Static):
    """Repaints only when the visible rows change (ages tick at most once a second)."""

    DEFAULT_CSS = """
    EventsView { height: auto; }
    """

    def __init__(self, ascii_only: bool = False, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.ascii_only = ascii_only
        self._rows: tuple[EventRow, ...] | None = None

    def show(self, events: Sequence[Any], now: datetime, rollout_name: str, limit: int = MAX_EVENTS) -> bool:
        rows = event_rows(events, now, rollout_name, limit)
        if rows == self._rows:
            return False
        self._rows = rows
        self.update(events_renderable(rows, self.ascii_only))
        return True
