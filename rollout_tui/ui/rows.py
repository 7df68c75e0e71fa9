"""Overview rows: one rollout as a tuple of cell Texts, with stable keys and fixed columns.

Pure (rich only). Fixed column widths spare DataTable from measuring every cell, and keep the
layout still while values change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from .glyphs import Glyphs
from .safe import ELLIPSIS, clean, safe_text

STATUS_STYLE = {
    "Healthy": "green",
    "Progressing": "cyan",
    "Paused": "yellow",
    "Degraded": "bold red",
    "Unknown": "magenta",
}


@dataclass(frozen=True)
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


def row_key(context: str, namespace: str, name: str) -> str:
    return f"{context}/{namespace}/{name}"


@dataclass(frozen=True)
class Entry:
    """One rollout as the shell holds it: raw object (for actions and detail) + its summary."""

    context: str
    rollout: dict[str, Any]
    summary: Any  # rollout_tui.model.summary.RolloutSummary

    @property
    def key(self) -> str:
        return row_key(self.context, self.summary.namespace, self.summary.name)

    @property
    def status(self) -> str:
        return str(self.summary.status or "Unknown")

    @property
    def message(self) -> str:
        return str(self.summary.message or "")

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.summary.labels or ())


def _strategy(value: Any) -> str:
    text = str(value or "").lower()
    return {"bluegreen": "BG", "canary": "C"}.get(text, "?")


def fit(text: Text, width: int, ascii_only: bool = False) -> Text:
    """Exactly ``width`` cells plus one space: DataTable runs with no padding so 80 columns fit."""
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


def _pair(a: Any, b: Any) -> str:
    return f"{'-' if a is None else a}/{'-' if b is None else b}"


def cells(entry: Entry, glyphs: Glyphs, show_context: bool) -> tuple[Text, ...]:
    s = entry.summary
    status = entry.status
    style = STATUS_STYLE.get(status, "")
    status_cell = Text(f"{glyphs.status(status)} {clean(status, 11)}", style=style, no_wrap=True)
    weight = "-" if str(s.strategy).lower() == "bluegreen" else _pair(s.set_weight, s.actual_weight)
    if getattr(s, "actual_weight_estimated", False):
        weight += "~"  # derived from replica counts, not reported by the traffic router
    out = [
        safe_text(s.namespace, limit=63),
        safe_text(s.name, limit=253),
        Text(_strategy(s.strategy)),
        status_cell,
        Text(clean(s.step or "-", 8)),
        Text(clean(weight, 8)),
        Text(_pair(s.ready, s.desired)),
        Text(coarse_age(clean(s.age, 6))),
        safe_text(entry.message, style="dim" if status == "Healthy" else "", limit=200),
    ]
    if show_context:
        out.insert(0, safe_text(entry.context, limit=40))
    return tuple(
        fit(text, col.width, glyphs.ascii) for text, col in zip(out, columns(show_context), strict=True)
    )


# Sort orders, each a key function over entries. "attention" first puts trouble on top.
_STATUS_RANK = {"Degraded": 0, "Unknown": 1, "Paused": 2, "Progressing": 3, "Healthy": 4}


SORTS: dict[str, Callable[[Entry], Any]] = {
    "name": lambda e: (e.summary.name, e.summary.namespace, e.context),
    "namespace": lambda e: (e.summary.namespace, e.summary.name, e.context),
    "context": lambda e: (e.context, e.summary.namespace, e.summary.name),
    "status": lambda e: (_STATUS_RANK.get(e.status, 1), e.context, e.summary.namespace, e.summary.name),
    "age": lambda e: (-(e.summary.created.timestamp() if e.summary.created else 0.0), e.summary.name),
    "strategy": lambda e: (str(e.summary.strategy), e.summary.name),
    "step": lambda e: (str(e.summary.step), e.summary.name),
}
SORT_ORDER = ("context", "namespace", "name", "status", "age", "strategy", "step")
