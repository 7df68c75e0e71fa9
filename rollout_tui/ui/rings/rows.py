"""The rings view's rows: one app, one cell per ring, and what to do next (Rich Text, no widgets).

Every fact comes from the model: the cells (`model.rings.ring_cells`), the verdict
(`model.ring_gate.verdict`) or, while a wave runs for the app, the wave's own state. Only the
countdowns are computed here, at the moment they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text

from rollout_tui.model.durations import human_duration
from rollout_tui.model.icons import Glyphs
from rollout_tui.model.ring_config import RingConfig
from rollout_tui.model.ring_gate import Verdict, verdict
from rollout_tui.model.rings import Member, RingCell, Target, group_apps, lead_target, ring_cells
from rollout_tui.model.waves import BAKING, CANCELLED, DONE, ROLLING, STOPPED, Transition, Wave

from ..detail.timefmt import countdown
from ..safe import clean
from ..styles import ATTENTION_STYLE, status_style

APP_WIDTH, NARROW_APP_WIDTH = 16, 12
MIN_CELL, MAX_CELL, VERDICT_MIN = 14, 30, 16
COMPACT = 30  # a verdict column narrower than this shows the short form


@dataclass(frozen=True, slots=True)
class WaveView:
    """A wave as the rings view shows it: its state and its transitions so far."""

    wave: Wave
    transitions: tuple[Transition, ...]

    @property
    def bake_until(self) -> datetime | None:
        for transition in reversed(self.transitions):
            if transition.event == "ring-baking" and transition.ring == self.wave.ring:
                return transition.until
        return None


@dataclass(frozen=True, slots=True)
class AppRow:
    app: str
    members: tuple[Member, ...]
    cells: tuple[RingCell, ...]
    target: Target | str
    verdict: Verdict
    wave: WaveView | None


def app_rows(
    members: Iterable[Member],
    config: RingConfig,
    stale: Mapping[str, str],
    read_only: Iterable[str],
    waves: Mapping[str, WaveView],
    now: datetime,
) -> list[AppRow]:
    locked = tuple(read_only)
    rows = []
    for app, found in group_apps(members, config).items():
        wave = waves.get(app)
        target: Target | str = wave.wave.plan.target if wave is not None else lead_target(found, config)
        cells = ring_cells(found, config, target if isinstance(target, Target) else None, stale, locked)
        rows.append(AppRow(app, found, cells, target, verdict(cells, target, now), wave))
    return rows


def widths(total: int, rings: int) -> tuple[int, int, int]:
    """(app, ring cell, verdict) widths for a screen `total` columns wide: every column plus one
    space fits, and the verdict gets what the cells leave."""
    app = APP_WIDTH if total >= 100 else NARROW_APP_WIDTH
    spare = max(total - 1 - (app + 1) - rings - 1, 0)  # the scrollbar's column, each column's space
    cell = max(MIN_CELL, min(MAX_CELL, int(spare * 0.55) // max(rings, 1)))
    return app, cell, max(spare - cell * rings, VERDICT_MIN)


def cell_text(cell: RingCell, glyphs: Glyphs, now: datetime) -> Text:
    """ "✔ green ◷4m12s" (baking), "◌ green 1/5 34%", "✔ blue" (dim: not at the target), "? stale"."""
    if cell.empty:
        return Text(f"{glyphs.bullet} not here", style="dim")
    if cell.stale:
        return Text(f"{glyphs.unknown} stale {clean(cell.image, 20)}", style="yellow")
    status = cell.status or "Unknown"
    text = Text(f"{glyphs.of_status(status)} ", style=status_style(status))
    if cell.failure:
        return text.append(clean(cell.image, 24), style="bold red")
    text.append(clean(cell.image, 24), style="" if cell.at_target else "dim")
    if not cell.healthy and cell.at_target:
        if cell.step:
            text.append(f" {clean(cell.step, 8)}")
        if cell.weight is not None and status != "Healthy":
            text.append(f" {cell.weight}%")
    ends = cell.bake_ends_at()
    if ends is not None and cell.at_target:
        left = (ends - now).total_seconds()
        if left > 0:
            text.append(f" {glyphs.waiting}{countdown(left)}", style="cyan")
        else:
            text.append(" baked", style="green")
    return text


def verdict_cell(row: AppRow, now: datetime, width: int = 200, mark: str = "⟳") -> Text:
    """The verdict, or the app's wave; under `COMPACT` columns the short form ("ring 1 in 4m12s")."""
    if row.wave is not None:
        return wave_text(row.wave, now, compact=width < COMPACT, mark=mark)
    style = {"failing": ATTENTION_STYLE["failing"], "holding": "yellow", "ready": "bold", "done": "green"}
    text = compact_verdict(row.verdict, now) if width < COMPACT else row.verdict.at(now, countdown)
    return Text(clean(text, 200), style=style.get(row.verdict.kind, ""))


def compact_verdict(verdict: Verdict, now: datetime) -> str:
    ring = f"ring {verdict.ring}" if verdict.ring is not None else ""
    if verdict.kind == "baking" and verdict.until is not None:
        left = (verdict.until - now).total_seconds()
        if verdict.ring is None:  # nothing left to start: the last bake
            return f"baked in {countdown(left)}" if left > 0 else "done"
        return f"{ring} in {countdown(left)}" if left > 0 else f"{ring} now"
    short = {
        "ready": f"{ring} now",
        "failing": f"{ring} failing",
        "rolling": f"{ring} rolling",
        "done": "done",
    }
    if verdict.kind == "holding":
        return f"{ring} read-only" if verdict.text.endswith("read-only") else f"{ring} holding"
    return short.get(verdict.kind, verdict.text)


def wave_text(view: WaveView, now: datetime, compact: bool = False, mark: str = "⟳") -> Text:
    """ "wave w-1a2b: ring 1 west baking, 32s left" — what the app's wave is doing; compact:
    "⟳ ring 1 32s" (`mark`: the glyph that stands for the wave)."""
    wave = view.wave
    if compact:
        return Text(f"{mark} {_wave_state(view, now, True)}", style=_wave_style(wave))
    return Text(f"wave {wave.plan.wave_id}: {_wave_state(view, now, False)}", style=_wave_style(wave))


def _wave_state(view: WaveView, now: datetime, compact: bool) -> str:
    wave = view.wave
    if wave.phase == DONE:
        return "done" if compact else f"done, every ring at {clean(wave.plan.target.short, 40)}"
    if wave.phase in (STOPPED, CANCELLED):
        return wave.phase if compact else f"{wave.phase}: {clean(wave.reason, 160)}"
    ring = f"ring {wave.ring}" if compact else f"ring {wave.ring} {clean(wave.ring_name, 20)}"
    if wave.holding:
        return f"{ring} holding" if compact else f"{ring} holding: {clean(wave.holding, 120)}"
    if wave.phase == BAKING and view.bake_until is not None:
        left = (view.bake_until - now).total_seconds()
        if compact:
            return f"{ring} {countdown(left)}" if left > 0 else f"{ring} checking"
        return (
            f"{ring} baking, {countdown(left)} left"
            if left > 0
            else f"{ring} baked, checking pods and analysis"
        )
    return (
        f"{ring} {'rolling' if compact else 'rolling out'}" if wave.phase == ROLLING else f"{ring} starting"
    )


def _wave_style(wave: Wave) -> str:
    if wave.phase == DONE:
        return "green"
    if wave.phase in (STOPPED, CANCELLED):
        return "bold red"
    return "yellow" if wave.holding else "cyan"


def ring_header(index: int, config: RingConfig, read_only: bool) -> str:
    """ "2 north ro": the ring's index, name, read-only; its bake when the rings' bakes differ."""
    ring = config.rings[index]
    text = f"{index} {ring.name}" + (" ro" if read_only else "")
    if len({r.bake for r in config.rings}) > 1:
        text += f" ({human_duration(ring.bake)})"
    return text
