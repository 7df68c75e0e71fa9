"""Step progress: canary steps with done/current/pending/skipped/failed marks, the traffic bar and
countdowns; for blue-green, the phase pipeline (preview up, awaiting promotion, active switched,
old scaled down). Everything shown is read from the model (`RolloutInfo`, its `RolloutState`):
countdowns are the state's deadlines against `now`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events
from textual.message import Message

from rollout_tui.model import bluegreen as bg
from rollout_tui.model.actions import action
from rollout_tui.model.analysis import AnalysisRunInfo
from rollout_tui.model.icons import Glyphs, analysis_status_kind
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.model.steps import CURRENT, DONE, FAILED, SKIPPED, StepInfo, StepsInfo
from rollout_tui.ui.detail.bar import promoted_bar, weight_bar
from rollout_tui.ui.detail.lines import Line, LinesView
from rollout_tui.ui.detail.text import safe
from rollout_tui.ui.detail.timefmt import countdown
from rollout_tui.ui.keys import display
from rollout_tui.ui.styles import KIND_STYLE

# Longer step lists are windowed around the current step, so the tree stays in view.
MAX_STEP_LINES_COMPACT = 6  # 80x24
MAX_STEP_LINES_ROOMY = 14


def _left(deadline: datetime | None, now: datetime) -> str | None:
    return None if deadline is None else countdown(max(0.0, (deadline - now).total_seconds()))


def _newest(runs: tuple[AnalysisRunInfo, ...], rollout_type: str) -> AnalysisRunInfo | None:
    matching = [r for r in runs if r.rollout_type == rollout_type]
    return matching[-1] if matching else None  # runs are revision desc, creation asc


def _newest_revision_runs(info: RolloutInfo) -> tuple[AnalysisRunInfo, ...]:
    return info.revisions[0].analysisruns if info.revisions else ()


def _run_state(run: AnalysisRunInfo, glyphs: Glyphs) -> Text:
    kind = analysis_status_kind(run.status)
    style = KIND_STYLE.get(kind, "")
    text = Text.assemble((glyphs.status(kind), style), " ", safe(run.status or "Pending", style))
    counts = [
        (glyphs.ok, run.successful, "green"),
        (glyphs.bad, run.failed, "red"),
        (glyphs.unknown, run.inconclusive, "yellow"),
        (glyphs.warning, run.error, "red"),
    ]
    for glyph, count, count_style in counts:
        if count:
            text.append(f" {glyph}{count}", style=count_style)
    return text


def _step_what(step: StepInfo, glyphs: Glyphs) -> Text:
    spec = step.spec
    if spec.kind == "pause" and spec.indefinite:
        return Text(f"pause {glyphs.infinity}")
    if spec.kind in ("analysis", "experiment") and spec.detail:
        return Text.assemble(spec.kind, " ", safe(spec.detail, "dim", limit=60))
    return safe(spec.label, limit=60)


_MARKS = {
    DONE: ("ok", "green"),
    CURRENT: ("current", "bold"),
    SKIPPED: ("skipped", "dim yellow"),
    FAILED: ("bad", "red"),
}


def _mark(step: StepInfo, glyphs: Glyphs) -> tuple[str, str]:
    name, style = _MARKS.get(step.state, ("pending", "dim"))
    return str(getattr(glyphs, name)), style


def _current_note(step: StepInfo, info: RolloutInfo, now: datetime, glyphs: Glyphs) -> Text:
    state, note = info.state, Text()
    if step.spec.kind == "pause" and step.spec.indefinite:
        note.append("awaiting promotion", style="bold yellow")
    elif step.spec.kind == "pause":
        left = _left(state.pause_ends_at, now)
        if left is not None:
            note.append(f"{left} left", style="bold yellow")
        elif "CanaryPauseStep" not in state.pause_reasons:
            note.append("starting", style="dim")
    elif step.spec.kind == "analysis":
        run = _newest(_newest_revision_runs(info), "Step")
        if run is not None:
            note.append_text(_run_state(run, glyphs))
    elif step.spec.kind == "experiment" and info.revisions and info.revisions[0].experiments:
        exp = info.revisions[0].experiments[-1]
        style = KIND_STYLE.get(exp.icon_kind, "")
        note.append_text(Text.assemble((glyphs.status(exp.icon_kind), style), " ", safe(exp.status, style)))
    if state.paused_by_hand:
        note.append(" paused by hand" if note else "paused by hand", style="bold yellow")
    return note


_STATE_WORDS = {SKIPPED: ("skipped", "dim yellow"), FAILED: ("failed", "bold red")}


def _step_line(step: StepInfo, info: RolloutInfo, now: datetime, glyphs: Glyphs) -> Text:
    marker, style = _mark(step, glyphs)
    line = Text.assemble((f" {marker} ", style), (f"{step.spec.index:>2} ", "dim"))
    what = _step_what(step, glyphs)
    what.stylize(style if step.state != DONE else "")
    line.append_text(what)
    word = _STATE_WORDS.get(step.state)
    if word is not None:
        line.append(f"  {word[0]}", style=word[1])
    if step.state == CURRENT:
        note = _current_note(step, info, now, glyphs)
        if note:
            line.append("  ")
            line.append_text(note)
    return line


def _key(action_id: str, keymap: Mapping[str, str]) -> str:
    """The key the operator presses for an action: the config's keymap, else the registry's."""
    return display(keymap.get(action_id, action(action_id).key).split(",")[0].strip())


def _paused_hint(info: RolloutInfo, keymap: Mapping[str, str]) -> Line:
    """Under the current step of a rollout paused by hand: what resume and promote would each do
    (promote also moves the step on, as the plugin's promote does: it can skip an analysis)."""
    state = info.state
    following = state.next_step.numbered(state.step_count) if state.next_step else "the end of the steps"
    hint = Text.assemble(
        (f"{_key('resume', keymap)} ", "bold"),
        ("resume: unpause, stay at this step", "dim"),
        ("  ", "dim"),
        (f"{_key('promote', keymap)} ", "bold"),
        (f"promote: go on to {following}", "dim"),
    )
    return (Text(""), hint)


def _failure_line(step: StepInfo) -> Line:
    """Under a failed step: the metric and why, then the run (wrapping under itself)."""
    text = safe(step.failure, "red", limit=200)
    if step.run:
        text.append("  ")
        text.append_text(safe(step.run, "dim", limit=80))
    return (Text(""), text)


def _window(steps: StepsInfo, limit: int) -> tuple[int, int]:
    if steps.total <= limit:
        return 0, steps.total
    focus = steps.failed_at if steps.failed_at is not None else steps.position
    start = max(0, min(focus - 1, steps.total - limit))
    return start, start + limit


def _header(info: RolloutInfo, glyphs: Glyphs, width: int) -> list[Line]:
    """ "Step 3/8  set 40  actual 40", then the background analysis beside it if it fits, else on a
    line of its own (a Text wrapping would continue at column 0)."""
    state, steps = info.state, info.steps
    header = Text.assemble(("Step ", "bold"))
    if steps is None:
        header.append("none: an update goes to 100% at once", style="dim")
    else:
        header.append(state.step_label or f"{steps.position}/{steps.total}")
        if steps.aborted:
            at = f" at step {steps.failed_at}" if steps.failed_at is not None else ""
            header.append(f"  aborted{at}", style="bold red")
        elif steps.complete:
            header.append("  complete", style="green")
    actual = f"{state.actual_weight}{'~' if state.actual_weight_estimated else ''}"
    header.append(f"   set {state.set_weight}  actual {actual}", style="dim")
    if state.weights_verified is False:
        header.append("  not verified", style="bold yellow")
    run = _newest(_newest_revision_runs(info), "Background")
    if run is None:
        return [header]
    background = Text.assemble(("background analysis ", "dim"), _run_state(run, glyphs))
    if header.cell_len + 3 + background.cell_len <= width:
        return [Text.assemble(header, "   ", background)]
    return [header, background]


def canary_lines(
    info: RolloutInfo,
    now: datetime,
    glyphs: Glyphs,
    width: int,
    compact: bool,
    keymap: Mapping[str, str] | None = None,
) -> list[Line]:
    state, steps = info.state, info.steps
    lines: list[Line] = [*_header(info, glyphs, width)]
    bar_width = max(10, min(width - 24, 50))
    if state.fully_promoted:  # the canary has become the stable: every request goes to it
        lines.append(promoted_bar(bar_width, glyphs, state.max_weight))
    else:
        lines.append(weight_bar(state.set_weight, state.actual_weight, bar_width, glyphs, state.max_weight))
    if steps is not None:
        start, end = _window(steps, MAX_STEP_LINES_COMPACT if compact else MAX_STEP_LINES_ROOMY)
        if start:
            word = "step" if start == 1 else "steps"
            lines.append(Text(f" {glyphs.done} {glyphs.ellipsis} {start} earlier {word}", style="dim green"))
        for step in steps.steps[start:end]:
            lines.append(_step_line(step, info, now, glyphs))
            if step.state == FAILED and step.failure:
                lines.append(_failure_line(step))
            elif step.state == CURRENT and state.paused_by_hand:
                lines.append(_paused_hint(info, keymap or {}))
        if end < steps.total:
            more = steps.total - end
            lines.append(
                Text(f"   {glyphs.ellipsis} {more} more {'step' if more == 1 else 'steps'}", style="dim")
            )
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


def _stage_note(index: int, stage_now: int, info: RolloutInfo, now: datetime) -> Text:
    state = info.bluegreen
    assert state is not None
    by_hash = {rs.pod_template_hash: rs for rs in info.replicasets}
    note = Text()
    if index == 0:
        preview = by_hash.get(state.preview_hash or state.current_hash)
        if preview is not None:
            note.append_text(safe(preview.name, "blue"))
            desired = preview.desired if preview.desired is not None else "?"
            note.append(f"  {preview.available}/{desired} available", style="dim")
    elif index == 1 and index == stage_now:
        if state.phase == bg.PRE_PROMOTION_ANALYSIS:
            note.append_text(safe(f"pre-promotion analysis {state.pre_promotion_analysis}", "yellow"))
        else:
            left = _left(state.auto_promote_at, now)
            text = f"auto-promote in {left}" if left is not None else "promote to switch traffic"
            note.append(text, style="bold yellow")
    elif index == 2:
        active = by_hash.get(state.active_hash)
        if active is not None:
            note.append("active: ", style="dim")
            note.append_text(safe(active.name, "green"))
        if state.phase == bg.POST_PROMOTION_ANALYSIS and index == stage_now:
            note.append_text(safe(f"  post-promotion analysis {state.post_promotion_analysis}", "yellow"))
    elif index == 3:
        left = _left(state.scale_down_at, now)
        if left is not None:
            note.append(f"scale-down in {left}", style="yellow")
    return note


def bluegreen_lines(info: RolloutInfo, now: datetime, glyphs: Glyphs) -> list[Line]:
    state = info.bluegreen
    assert state is not None
    phase_style = "bold red" if state.phase == bg.ABORTED else ""
    lines: list[Line] = [Text.assemble(("Blue-green ", "bold"), safe(state.phase, phase_style))]
    stage_now = _PHASE_STAGE.get(state.phase, 0)
    for index, stage in enumerate(_STAGES):
        if state.phase == bg.ABORTED:
            marker, style = (glyphs.bad, "red") if index == 1 else (glyphs.pending, "dim")
        elif index < stage_now:
            marker, style = glyphs.done, "green"
        elif index == stage_now:
            marker, style = glyphs.current, "bold"
        else:
            marker, style = glyphs.pending, "dim"
        line = Text.assemble((f" {marker} ", style), (f"{stage:<19}", style))
        line.append_text(_stage_note(index, stage_now, info, now))
        lines.append(line)
    return lines


class StepsView(LinesView):
    """One widget per line: a ticking countdown repaints its own line only. `keymap`: the config's
    binding id -> keys, for the keys the lines name."""

    def __init__(self, keymap: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keymap = dict(keymap or {})

    class WidthChanged(Message):
        """The view got wider or narrower without the pane resizing (the body's scrollbar came or
        went): the traffic bar must be drawn again for the new width."""

    _last_width = 0  # what the view was last laid out at (0: not yet)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._last_width:
            self._last_width = event.size.width
            self.post_message(self.WidthChanged())

    def show(self, info: RolloutInfo, now: datetime, glyphs: Glyphs, width: int, compact: bool) -> bool:
        if info.bluegreen is not None:
            lines = bluegreen_lines(info, now, glyphs)
        elif info.state.strategy == "Canary":
            lines = canary_lines(info, now, glyphs, width, compact, self.keymap)
        else:
            lines = [Text("No strategy steps.", style="dim")]
        return self.set_lines(lines)
