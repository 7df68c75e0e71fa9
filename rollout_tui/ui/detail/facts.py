"""Traffic truth and the update's timing, under the summary and the steps.

Traffic: for a traffic-routed canary, what each router object actually carries (model.traffic)
beside the weight the step sets, the one the controller reports and `weights.verified`; a router
that disagrees is shown in red (and is a needs-me reason, model.incident). Duration: Argo
Rollouts 1.11's status.duration, when the controller reports it (model.timeline).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from rollout_tui.model.durations import human_duration
from rollout_tui.model.icons import Glyphs
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.model.timeline import RolloutDuration
from rollout_tui.model.traffic import RouterSplit, TrafficInfo
from rollout_tui.ui.detail.lines import Line, LinesView
from rollout_tui.ui.detail.text import safe


def _label(text: str) -> Text:
    return Text(text, style="bold")


def _router(router: RouterSplit, expected: int | None, glyphs: Glyphs) -> Text:
    text = Text.assemble(safe(router.kind, "dim", limit=30), " ", safe(router.name, limit=80), "  ")
    if router.canary is None:
        text.append_text(safe(router.note or "no split", "yellow", limit=120))
        return text
    wrong = expected is not None and router.canary != expected
    style = "bold red" if wrong else "green"
    text.append(f"canary {router.canary}% {glyphs.bullet} stable {100 - router.canary}%", style=style)
    if wrong:
        text.append(f"  {glyphs.warning} rollout says {expected}%", style="bold red")
    if router.note:
        text.append("  ")
        text.append_text(safe(router.note, "dim", limit=80))
    return text


def traffic_lines(traffic: TrafficInfo, glyphs: Glyphs) -> list[Line]:
    wanted = Text()
    for label, value in (("set", traffic.set_weight), ("controller", traffic.controller_weight)):
        if value is not None:
            wanted.append(f"{label} " if not wanted else f" {glyphs.bullet} {label} ", style="dim")
            wanted.append(f"{value}%")
    if traffic.verified is not None:
        wanted.append(f" {glyphs.bullet} verified ", style="dim")
        wanted.append(
            glyphs.ok if traffic.verified else glyphs.bad, style="green" if traffic.verified else "bold red"
        )
    lines: list[Line] = [(_label("Traffic"), wanted or Text("-", style="dim"))]
    lines += [(Text(""), _router(r, traffic.expected, glyphs)) for r in traffic.routers]
    return lines


def duration_line(duration: RolloutDuration, glyphs: Glyphs) -> Line:
    """Instants and closed totals only: a line that moved with the clock would be repainted every
    second over SSH, and the started time already says how long it runs."""
    text = Text()
    if duration.started is not None:
        text.append("started ", style="dim")
        text.append(duration.started.strftime("%H:%M:%SZ"))
    if duration.finished is not None and duration.started is not None:
        text.append(f" {glyphs.bullet} took ", style="dim")
        text.append(human_duration(duration.finished - duration.started))
    if duration.manual_pause_seconds > 0:
        text.append(f" {glyphs.bullet} manual pauses ", style="dim")
        text.append(human_duration(duration.manual_pause_seconds))
    if duration.manual_pause_started is not None:
        text.append(f" {glyphs.bullet} manual pause since ", style="dim")
        text.append(duration.manual_pause_started.strftime("%H:%M:%SZ"), style="yellow")
    if duration.finished is not None:
        text.append(f" {glyphs.bullet} finished ", style="dim")
        text.append(duration.finished.strftime("%H:%M:%SZ"))
        if duration.completion:
            text.append(" ")
            text.append_text(safe(duration.completion, "bold", limit=30))
    return (_label("Update"), text)


class FactsView(LinesView):
    DEFAULT_CSS = """
    FactsView { margin-top: 1; }
    FactsView.-empty { display: none; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def show(self, info: RolloutInfo, glyphs: Glyphs) -> bool:
        lines: list[Line] = []
        if info.traffic is not None:
            lines += traffic_lines(info.traffic, glyphs)
        if info.duration is not None:
            lines.append(duration_line(info.duration, glyphs))
        self.set_class(not lines, "-empty")
        return self.set_lines(lines)
