"""`a`: an AnalysisRun in full, to answer "why did the analysis fail": its phase and message, and
for each metric the provider with its query, address, URL or Job ({{args}} resolved), the
conditions and limits, the counts, and every measurement with its value or error."""

from __future__ import annotations

import textwrap
from datetime import datetime

from rich.text import Text

from rollout_tui.model.analysis import AnalysisRunInfo
from rollout_tui.model.metrics import MetricPoint, MetricSeries
from rollout_tui.ui.safe import clean
from rollout_tui.ui.screens.text_screen import TextScreen
from rollout_tui.ui.textlines import TextLines

PHASE_STYLE = {
    "Successful": "green",
    "Failed": "bold red",
    "Error": "red",
    "Inconclusive": "yellow",
    "Running": "cyan",
    "Pending": "dim",
}
Line = tuple[str, str, str]  # (label, value, style of the value)
WRAP = 64  # a query longer than this goes on as many lines as it needs, under itself


def _wrapped(label: str, value: str, style: str = "") -> list[Line]:
    parts = textwrap.wrap(value, WRAP, break_long_words=True, break_on_hyphens=False) or [""]
    return [(label if i == 0 else "", part, style) for i, part in enumerate(parts)]


def _time(when: datetime | None) -> str:
    return when.strftime("%H:%M:%SZ") if when is not None else "--:--:--"


def _point(point: MetricPoint) -> Line:
    value = point.raw or "(no value)"
    if point.message:
        value = f"{value}  error: {point.message}" if point.raw else f"error: {point.message}"
    return (f"  {_time(point.started)}  {point.phase or '?'}", value, PHASE_STYLE.get(point.phase, ""))


def _limits(series: MetricSeries) -> str:
    def limit(value: int | None) -> str:
        return "unlimited" if value is None else str(value)

    parts = [
        f"failed {series.failed}/{limit(series.failure_limit)}",
        f"inconclusive {series.inconclusive}/{limit(series.inconclusive_limit)}",
        f"consecutive errors {series.consecutive_error}/{limit(series.consecutive_error_limit)}",
        f"measured {series.count}/{series.wanted_count or 'until stopped'}",
    ]
    if series.interval:
        parts.append(f"every {series.interval}")
    return " · ".join(parts)


def metric_lines(series: MetricSeries) -> list[Line]:
    lines: list[Line] = [
        (
            f"metric {series.name}",
            f"{series.phase or 'Pending'}  provider {series.provider or '?'}",
            PHASE_STYLE.get(series.phase, "bold"),
        )
    ]
    for key, value in series.provider_fields:
        lines += _wrapped(f"  {key}", value)
    for kind, condition in (("success", series.success_condition), ("failure", series.failure_condition)):
        if condition:
            lines += _wrapped(f"  {kind}", condition, "green" if kind == "success" else "red")
    lines += _wrapped("  limits", _limits(series))
    if series.message:
        lines += _wrapped("  message", series.message, "yellow")
    lines += [(f"  {breach}", "", "bold red") for breach in series.limit_breaches]
    lines.append(("  measurements", "" if series.points else "none yet", "dim"))
    lines += [_point(p) for p in series.points]
    lines.append(("", "", ""))
    return lines


def run_lines(run: AnalysisRunInfo) -> list[Line]:
    lines: list[Line] = [("phase", run.status or "Pending", PHASE_STYLE.get(run.status, ""))]
    if run.message:
        lines += _wrapped("message", run.message, "yellow")
    kind = f"{run.rollout_type}" + (f" (step {run.step_index})" if run.step_index is not None else "")
    if kind:
        lines.append(("started by", kind, ""))
    lines.append(("", "", ""))
    for series in run.metrics:
        lines += metric_lines(series)
    return lines


def format_line(line: Line) -> Text:
    label, value, style = line
    text = Text(clean(label, 120).ljust(14), style="dim" if label.startswith(" ") else "bold")
    text.append(" ")
    text.append(clean(value, 2000), style=style)
    return text


class AnalysisScreen(TextScreen):
    def __init__(self, run: AnalysisRunInfo) -> None:
        title = Text.assemble(("Analysis  ", "bold"), clean(f"{run.namespace}/{run.name}", 300))
        self.view_lines: TextLines[Line] = TextLines(
            format_line, plain=lambda line: f"{line[0]} {line[1]}", id="analysis"
        )
        super().__init__(title, [(Text("analysis"), self.view_lines)])
        self.run = run

    def on_mount(self) -> None:
        super().on_mount()
        self.view_lines.set_items(run_lines(self.run))
        self.status(f"{len(self.run.metrics)} metrics · / search · Esc back")

    def reload(self, run: AnalysisRunInfo) -> None:
        """A newer version of the run (a measurement came in): show it, keeping the place."""
        if run != self.run:
            self.run = run
            top = self.view_lines.scroll_y
            self.view_lines.set_items(run_lines(run))
            self.view_lines.scroll_to(y=top, animate=False)
