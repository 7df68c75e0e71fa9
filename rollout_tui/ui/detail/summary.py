"""Summary: identity and cluster, strategy, status and message, what needs a human, images with
tags, replica counts, warnings about malformed data."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from rollout_tui.model.attention import attention
from rollout_tui.model.icons import Glyphs
from rollout_tui.model.images import ImageInfo
from rollout_tui.model.incident import incident_reasons
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.ui.detail.lines import Line, LinesView
from rollout_tui.ui.detail.text import safe, status_text
from rollout_tui.ui.rows import age_cell
from rollout_tui.ui.styles import ATTENTION_STYLE, KIND_STYLE, ROLE_STYLE

MAX_IMAGES = 6


def _row(label: str | Text, value: Text) -> Line:
    return (label if isinstance(label, Text) else Text(label, style="bold"), value)


def _title(info: RolloutInfo, glyphs: Glyphs, context: str, now: datetime) -> Text:
    state = info.state
    title = Text.assemble(
        (glyphs.rollout + " ", "bold"),
        safe(state.namespace, "dim"),
        ("/", "dim"),
        safe(state.name, "bold"),
        "  ",
        safe(state.strategy or "no strategy", "italic"),
        ("  age ", "dim"),
        safe(age_cell(state.created, now), "dim"),
    )
    if context:
        title.append("  cluster ", style="dim")
        title.append_text(safe(context, "bold", limit=40))
    return title


def _status(info: RolloutInfo, glyphs: Glyphs, now: datetime) -> Text:
    state = info.state
    status = status_text(glyphs, state.icon_kind, state.status or "Unknown")
    needs = attention(state, now, incident_reasons(info))  # what the row says too (FleetView.refine)
    if needs.reasons:
        status.append("  ")
        status.append_text(safe(needs.headline, ATTENTION_STYLE.get(needs.level, ""), limit=80))
    for reason in state.pause_reasons:
        status.append("  ")
        status.append_text(safe(f"paused: {reason}", "yellow", limit=60))
    return status


def _image_line(image: ImageInfo) -> Text:
    line = safe(image.image, limit=120)
    if image.tags:
        line.append(" (")
        for i, tag in enumerate(image.tags):
            if i:
                line.append(",")
            line.append_text(safe(tag, ROLE_STYLE.get(tag, "")))
        line.append(")")
    return line


def _replicas(info: RolloutInfo, glyphs: Glyphs) -> Text:
    state = info.state
    replicas = Text()
    counts = (
        ("desired", state.replicas.desired),
        ("current", state.replicas.current),
        ("updated", state.replicas.updated),
        ("ready", state.replicas.ready),
        ("available", state.replicas.available),
    )
    for i, (label, value) in enumerate(counts):
        if i:
            replicas.append(f" {glyphs.bullet} ", style="dim")
        replicas.append(f"{label} ", style="dim")
        replicas.append(
            str(value), style="yellow" if label != "desired" and value < state.replicas.desired else ""
        )
    return replicas


def summary_lines(
    info: RolloutInfo, glyphs: Glyphs, compact: bool, context: str, now: datetime
) -> list[Line]:
    state = info.state
    lines = [_row("Rollout", _title(info, glyphs, context, now)), _row("Status", _status(info, glyphs, now))]
    if state.message:
        # Compact: about two lines at 80 columns; the full text is in `get` and the events.
        limit = 140 if compact else 400
        lines.append(_row("Message", safe(state.message, KIND_STYLE.get(state.icon_kind, ""), limit=limit)))
    images = info.images or tuple(ImageInfo(c.image) for c in info.containers if c.image)
    for index, image in enumerate(images[:MAX_IMAGES]):
        lines.append(_row("Images" if index == 0 else "", _image_line(image)))
    if len(images) > MAX_IMAGES:
        lines.append(_row("", Text(f"{glyphs.ellipsis} {len(images) - MAX_IMAGES} more", style="dim")))
    lines.append(_row("Replicas", _replicas(info, glyphs)))
    if info.warnings:
        # Malformed data is worth knowing about, but must not shout over the rollout's state.
        more = f" (+{len(info.warnings) - 1} more)" if len(info.warnings) > 1 else ""
        note = Text.assemble(safe(info.warnings[0], limit=100), more)
        note.stylize("dim italic")
        lines.append(_row(Text("Data", style="dim"), note))
    return lines


class SummaryView(LinesView):
    """One widget per row: a ticking age repaints one line, not the whole summary."""

    def show(self, info: RolloutInfo, glyphs: Glyphs, compact: bool, context: str, now: datetime) -> bool:
        return self.set_lines(summary_lines(info, glyphs, compact, context, now))
