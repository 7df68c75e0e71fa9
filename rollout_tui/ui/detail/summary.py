"""Summary: identity, strategy, status and message, images with tags, replica counts, warnings."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.ui.detail.lines import Line, LinesView
from rollout_tui.ui.detail.text import KIND_STYLE, ROLE_STYLE, Glyphs, icon_set, safe, status_text
from rollout_tui.ui.rows import coarse_age

MAX_IMAGES = 6


class _Rows(list[Line]):
    def add_row(self, label: str | Text, value: Text) -> None:
        self.append((label if isinstance(label, Text) else Text(label, style="bold"), value))


def summary_lines(info: RolloutInfo, glyphs: Glyphs, ascii_only: bool, compact: bool) -> list[Line]:
    icons = icon_set(ascii_only)
    grid = _Rows()

    title = Text.assemble(
        (icons.rollout + " ", "bold"),
        safe(info.namespace, "dim"),
        ("/", "dim"),
        safe(info.name, "bold"),
        "  ",
        safe(info.strategy or "no strategy", "italic"),
        ("  age ", "dim"),
        safe(coarse_age(info.age), "dim"),
    )
    grid.add_row("Rollout", title)

    status = status_text(icons, info.icon_kind, info.status or "Unknown")
    if info.aborted:
        status.append("  aborted", style="bold red")
    for reason in info.pause_reasons:
        status.append("  ")
        status.append_text(safe(f"paused: {reason}", "yellow", limit=60))
    if info.paused:
        status.append("  spec.paused", style="yellow")
    grid.add_row("Status", status)
    if info.message:
        # Compact: about two lines at 80 columns; the full text is in `get` and the events.
        grid.add_row(
            "Message", safe(info.message, KIND_STYLE.get(info.icon_kind, ""), limit=140 if compact else 400)
        )

    images = info.images or tuple(_spec_images(info))
    for index, image in enumerate(images[:MAX_IMAGES]):
        line = safe(image.image, limit=120)
        if image.tags:
            line.append(" (")
            for i, tag in enumerate(image.tags):
                if i:
                    line.append(",")
                line.append_text(safe(tag, ROLE_STYLE.get(tag, "")))
            line.append(")")
        grid.add_row("Images" if index == 0 else "", line)
    if len(images) > MAX_IMAGES:
        grid.add_row("", Text(f"{glyphs.ellipsis} {len(images) - MAX_IMAGES} more", style="dim"))

    replicas = Text()
    for i, (label, value) in enumerate(
        (
            ("desired", info.desired),
            ("current", info.current),
            ("updated", info.updated),
            ("ready", info.ready),
            ("available", info.available),
        )
    ):
        if i:
            replicas.append(f" {glyphs.bullet} ", style="dim")
        replicas.append(f"{label} ", style="dim")
        lagging = label != "desired" and value < info.desired
        replicas.append(str(value), style="yellow" if lagging else "")
    grid.add_row("Replicas", replicas)

    if info.warnings:
        # Malformed data is worth knowing about, but must not shout over the rollout's state.
        more = f" (+{len(info.warnings) - 1} more)" if len(info.warnings) > 1 else ""
        note = Text.assemble(safe(info.warnings[0], limit=100), more)
        note.stylize("dim italic")
        grid.add_row(Text("Data", style="dim"), note)
    return list(grid)


class _SpecImage:
    def __init__(self, image: str) -> None:
        self.image, self.tags = image, ()


def _spec_images(info: RolloutInfo) -> list[Any]:
    # No running ReplicaSet yet (or a dump without them): the template's images, untagged.
    return [_SpecImage(c.image) for c in info.containers if c.image]


class SummaryView(LinesView):
    """One widget per row: a ticking age repaints one line, not the whole summary."""

    def show(self, info: RolloutInfo, glyphs: Glyphs, ascii_only: bool, compact: bool) -> bool:
        return self.set_lines(summary_lines(info, glyphs, ascii_only, compact))
