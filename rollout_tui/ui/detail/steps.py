"""Step progress: canary steps with done/current/pending markers, the traffic bar and countdowns;
for blue-green, the phase pipeline (preview up, awaiting promotion, active switched, old scaled down)."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text

from rollout_tui.model import bluegreen as bg
from rollout_tui.model.analysis import AnalysisRunInfo
from rollout_tui.model.icons import IconSet, analysis_status_kind
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.model.steps import CURRENT, DONE, StepInfo, StepsInfo
from rollout_tui.ui.detail.bar import weight_bar
from rollout_tui.ui.detail.lines import LinesView
from rollout_tui.ui.detail.text import KIND_STYLE, Glyphs, icon_set, safe
from rollout_tui.ui.detail.timefmt import countdown

# Longer step lists are windowed around the current step, so the tree stays in view.
MAX_STEP_LINES_COMPACT = 6  # 80x24
MAX_STEP_LINES_ROOMY = 14


def _remaining(value: timedelta | None, elapsed: timedelta) -> timedelta | None:
    """A model countdown (computed when the info was built) advanced by the clock since then."""
    return None if value is None else max(timedelta(0), value - elapsed)


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _newest(runs: tuple[AnalysisRunInfo, ...], rollout_type: str) -> AnalysisRunInfo | None:
    matching = [r for r in runs if r.rollout_type == rollout_type]
    return matching[-1] if matching else None  # runs are revision desc, creation asc


def _newest_revision_runs(info: RolloutInfo) -> tuple[AnalysisRunInfo, ...]:
    return info.revisions[0].analysisruns if info.revisions else ()


def _run_state(run: AnalysisRunInfo, icons: IconSet) -> Text:
    kind = analysis_status_kind(run.status)
    style = KIND_STYLE.get(kind, "")
    text = Text.assemble((icons.status(kind), style), " ", safe(run.status or "Pending", style))
    counts = [
        (icons.ok, run.successful, "green"),
        (icons.bad, run.failed, "red"),
        (icons.unknown, run.inconclusive, "yellow"),
        (icons.warning, run.error, "red"),
    ]
    for glyph, count, count_style in counts:
        if count:
            text.append(f" {glyph}{count}", style=count_style)
    return text


def _step_what(step: StepInfo, glyphs: Glyphs) -> Text:
    if step.kind == "setWeight":
        return Text(f"setWeight {step.weight}")
    if step.kind == "pause":
        if step.indefinite_pause:
            return Text(f"pause {glyphs.infinity}")
        return Text.assemble("pause ", safe(step.description.removeprefix("pause: "), limit=20))
    if step.kind in ("analysis", "experiment"):
        return (
            Text.assemble(step.kind, " ", safe(step.detail, "dim", limit=60))
            if step.detail
            else Text(step.kind)
        )
    return safe(step.description, limit=60)


def _step_line(step: StepInfo, info: RolloutInfo, elapsed: timedelta, glyphs: Glyphs, icons: IconSet) -> Text:
    steps = info.steps
    assert steps is not None
    if step.state == DONE:
        marker, style = glyphs.done, "green"
    elif step.state == CURRENT and not steps.aborted:
        marker, style = glyphs.current, "bold"
    elif step.state == CURRENT:
        marker, style = icons.bad, "red"
    else:
        marker, style = glyphs.pending, "dim"
    line = Text.assemble((f" {marker} ", style), (f"{step.index + 1:>2} ", "dim"))
    what = _step_what(step, glyphs)
    what.stylize(style if step.state != DONE else "")
    line.append_text(what)
    if step.state != CURRENT:
        return line
    note = Text()
    if steps.aborted:
        note.append("aborted", style="bold red")
    elif step.kind == "pause" and step.indefinite_pause:
        note.append("awaiting promotion", style="bold yellow")
    elif step.kind == "pause":
        left = _remaining(step.remaining, elapsed)
        if left is not None:
            note.append(f"{countdown(left.total_seconds())} left", style="bold yellow")
        elif "CanaryPauseStep" not in info.pause_reasons:
            note.append("starting", style="dim")
    elif step.kind == "analysis":
        run = _newest(_newest_revision_runs(info), "Step")
        if run is not None:
            note.append_text(_run_state(run, icons))
    elif step.kind == "experiment" and info.revisions and info.revisions[0].experiments:
        exp = info.revisions[0].experiments[-1]
        style = KIND_STYLE.get(exp.icon_kind, "")
        note.append_text(Text.assemble((icons.status(exp.icon_kind), style), " ", safe(exp.status, style)))
    if note:
        line.append("  ")
        line.append_text(note)
    return line


def _window(steps: StepsInfo, limit: int) -> tuple[int, int]:
    if steps.total <= limit:
        return 0, steps.total
    current = steps.current_index or 0
    start = max(0, min(current - 1, steps.total - limit))
    return start, start + limit


def canary_lines(
    info: RolloutInfo, elapsed: timedelta, glyphs: Glyphs, ascii_only: bool, width: int, compact: bool
) -> list[Text]:
    icons = icon_set(ascii_only)
    steps = info.steps
    header = Text.assemble(("Steps ", "bold"))
    if steps is None:
        header.append("none: an update goes to 100% at once", style="dim")
    else:
        position = min((steps.current_index or 0), steps.total)
        header.append(f"{position}/{steps.total}")
        if steps.complete:
            header.append("  complete", style="green")
    header.append(f"   set {info.set_weight or '-'}  actual {info.actual_weight or '-'}", style="dim")
    background = _newest(_newest_revision_runs(info), "Background")
    if background is not None:
        header.append("   background analysis ", style="dim")
        header.append_text(_run_state(background, icons))
    lines: list[Text] = [header]
    bar_width = max(10, min(width - 24, 50))
    lines.append(weight_bar(_int(info.set_weight), _int(info.actual_weight), bar_width, glyphs))
    if steps is not None:
        start, end = _window(steps, MAX_STEP_LINES_COMPACT if compact else MAX_STEP_LINES_ROOMY)
        if start:
            lines.append(
                Text(f" {glyphs.done} {glyphs.ellipsis} {start} earlier steps done", style="dim green")
            )
        for step in steps.steps[start:end]:
            lines.append(_step_line(step, info, elapsed, glyphs, icons))
        if end < steps.total:
            lines.append(Text(f"   {glyphs.ellipsis} {steps.total - end} more steps", style="dim"))
    return lines


# The blue-green pipeline: which stage each model phase is in.
_STAGES = ("preview up", "awaiting promotion", "active switched", "old scaled down")
_PHASE_STAGE = {
    bg.PREVIEW: 0,
    bg.PRE_PROMOTION_ANALYSIS: 1,
    bg.WAITING_FOR_PROMOTION: 1,
    bg.ACTIVE_CUTOVER: 2,
    bg.POST_PROMOTION_ANALYSIS: 2,
    bg.SCALE_DOWN: 3,
    bg.COMPLETE: 4,
}


def bluegreen_lines(info: RolloutInfo, elapsed: timedelta, glyphs: Glyphs, ascii_only: bool) -> list[Text]:
    icons = icon_set(ascii_only)
    state = info.bluegreen
    assert state is not None
    header = Text.assemble(
        ("Blue-green ", "bold"), safe(state.phase, "bold red" if state.phase == bg.ABORTED else "")
    )
    lines: list[Text] = [header]
    by_hash = {rs.pod_template_hash: rs for rs in info.replicasets}
    stage_now = _PHASE_STAGE.get(state.phase, 0)
    for index, stage in enumerate(_STAGES):
        if state.phase == bg.ABORTED:
            marker, style = (icons.bad, "red") if index == 1 else (glyphs.pending, "dim")
        elif index < stage_now:
            marker, style = glyphs.done, "green"
        elif index == stage_now:
            marker, style = glyphs.current, "bold"
        else:
            marker, style = glyphs.pending, "dim"
        line = Text.assemble((f" {marker} ", style), (f"{stage:<19}", style))
        note = Text()
        if index == 0:
            preview = by_hash.get(state.preview_hash or state.current_hash)
            if preview is not None:
                note.append_text(safe(preview.name, "blue"))
                note.append(
                    f"  {preview.available}/{preview.desired if preview.desired is not None else '?'} available",
                    style="dim",
                )
        elif index == 1 and index == stage_now:
            if state.phase == bg.PRE_PROMOTION_ANALYSIS:
                note.append_text(safe(f"pre-promotion analysis {state.pre_promotion_analysis}", "yellow"))
            else:
                left = _remaining(state.auto_promotion_remaining, elapsed)
                if left is not None:
                    note.append(f"auto-promote in {countdown(left.total_seconds())}", style="bold yellow")
                else:
                    note.append("promote to switch traffic", style="bold yellow")
        elif index == 2:
            active = by_hash.get(state.active_hash)
            if active is not None:
                note.append("active: ", style="dim")
                note.append_text(safe(active.name, "green"))
            if state.phase == bg.POST_PROMOTION_ANALYSIS and index == stage_now:
                note.append_text(safe(f"  post-promotion analysis {state.post_promotion_analysis}", "yellow"))
        elif index == 3:
            left = _remaining(state.scale_down_remaining, elapsed)
            if left is not None:
                note.append(f"scale-down in {countdown(left.total_seconds())}", style="yellow")
        if note:
            line.append_text(note)
        lines.append(line)
    return lines


class StepsView(LinesView):
    """One widget per line: a ticking countdown repaints its own line only."""

    def show(
        self,
        info: RolloutInfo,
        elapsed: timedelta,
        glyphs: Glyphs,
        ascii_only: bool,
        width: int,
        compact: bool,
    ) -> bool:
        if info.bluegreen is not None:
            lines = bluegreen_lines(info, elapsed, glyphs, ascii_only)
        elif info.strategy == "Canary":
            lines = canary_lines(info, elapsed, glyphs, ascii_only, width, compact)
        else:
            lines = [Text("No strategy steps.", style="dim")]
        return self.set_lines(lines)
