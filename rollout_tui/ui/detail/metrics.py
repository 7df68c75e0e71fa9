"""Live analysis metrics: one row per metric with a sparkline, last value, thresholds and the
counts that decide the run (failed n/limit, inconclusive, consecutive errors), coloured by phase."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from rollout_tui.model.analysis import AnalysisRunInfo
from rollout_tui.model.icons import Glyphs
from rollout_tui.model.metrics import MetricSeries
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.ui.detail.chart import OUTCOME_Y, PHASE_STYLE, ChartData, Measurement
from rollout_tui.ui.detail.spark import MetricSpark, SparkData
from rollout_tui.ui.detail.text import safe

MAX_RUNS = 3
MAX_METRICS = 8
_OPS_UNICODE = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}


@dataclass(frozen=True)
class MetricView:
    key: str  # "<run>/<metric>": stable across updates
    run: AnalysisRunInfo
    series: MetricSeries


NO_RUNS = "No analysis runs."


def empty_note(info: RolloutInfo, loading: bool = False) -> str:
    """Why `live_metrics` found nothing: runs still listing, none at all, or only older revisions'
    (which the tree lists: Enter on one charts it)."""
    runs = (*info.analysisruns, *(r for exp in info.experiments for r in exp.analysisruns))
    if loading and not runs:
        return "loading…"
    if not runs:
        return NO_RUNS
    newest = info.revisions[0].revision if info.revisions else 0
    if any(run.revision == newest for run in runs):
        return f"The analysis runs of revision {newest} have no metrics yet."
    older = "1 older run" if len(runs) == 1 else f"{len(runs)} older runs"
    return f"No analysis for revision {newest}; {older} in the tree (Enter on one opens its chart)."


def live_metrics(info: RolloutInfo) -> tuple[MetricView, ...]:
    """Metrics worth watching: every running run, then the newest revision's runs, bounded."""
    runs = [r for r in info.analysisruns if r.status in ("Running", "Pending", "")]
    newest = info.revisions[0].analysisruns if info.revisions else ()
    for exp in info.revisions[0].experiments if info.revisions else ():
        newest = (*newest, *exp.analysisruns)
    runs += [r for r in reversed(newest) if r not in runs]
    views = [
        MetricView(f"{run.name}/{series.name}", run, series)
        for run in runs[:MAX_RUNS]
        for series in run.metrics
    ]
    return tuple(views[:MAX_METRICS])


def spark_data(series: MetricSeries) -> SparkData:
    """Measured values, each in its phase's colour, with the metric's thresholds (failure first: it
    wins a shared row); valueless job metrics plot their outcomes on 0..1 (ok, ? half, failed)."""
    measured = [p for p in series.points if p.value is not None]
    if measured:
        values = tuple(float(p.value or 0.0) for p in measured)
        thresholds = tuple(
            sorted(((t.kind, t.value) for t in series.thresholds), key=lambda t: t[0] != "failure")
        )
        return SparkData(values, tuple(PHASE_STYLE.get(p.phase, "") for p in measured), thresholds)
    outcomes = [p for p in series.points if p.phase in OUTCOME_Y]
    styles = tuple(PHASE_STYLE.get(p.phase, "") for p in outcomes)
    return SparkData(tuple(OUTCOME_Y[p.phase] for p in outcomes), styles, scale=(0.0, 1.0))


def _number(value: float) -> str:
    return f"{value:.4g}"


def describe(view: MetricView, glyphs: Glyphs, ascii_only: bool) -> Text:
    """Line 1: name, run, phase, last value and thresholds."""
    series = view.series
    style = PHASE_STYLE.get(series.phase, "")
    line = Text.assemble(safe(series.name, "bold", limit=40), " ", safe(series.phase or "Pending", style))
    if series.points:
        last = series.points[-1]
        shown = _number(last.value) if last.value is not None else (last.raw or last.phase)
        line.append("  last ", style="dim")
        line.append_text(safe(shown, PHASE_STYLE.get(last.phase, ""), limit=24))
    for threshold in series.thresholds:
        op = threshold.op if ascii_only else _OPS_UNICODE.get(threshold.op, threshold.op)
        colour = "green" if threshold.kind == "success" else "red"
        line.append(f"  {threshold.kind[:4]} ", style="dim")
        line.append(f"{op} {_number(threshold.value)}", style=colour)
    if not series.thresholds:
        # Not a numeric threshold (e.g. `result == "true"`): the condition itself says what passes.
        for kind, condition in (("succ", series.success_condition), ("fail", series.failure_condition)):
            if condition:
                line.append(f"  {kind} ", style="dim")
                line.append_text(safe(condition, "green" if kind == "succ" else "red", limit=40))
    line.append("  ")
    line.append_text(safe(view.run.name, "dim", limit=60))
    return line


def _count(label: str, value: int, limit: int | None, always: bool = False) -> Text | None:
    if not value and not always and limit in (None, 0):
        return None
    text = Text(f"{label} ", style="dim")
    if limit is None:
        text.append(str(value))
        return text
    # The controller fails the metric when count > limit: at the limit, one more is fatal.
    style = "bold red" if value > limit else "yellow" if value == limit and value else ""
    text.append(f"{value}/{limit}", style=style)
    if value > limit:
        text.append(" (limit)", style="bold red")
    return text


def counts(series: MetricSeries, glyphs: Glyphs) -> Text:
    """Two lines beside the sparkline: measured/wanted, ok, failed n/limit; then inconclusive
    n/limit and errors n/limit."""
    taken = Text("measured ", style="dim")
    taken.append(str(series.count))
    if series.wanted_count:
        taken.append(f"/{series.wanted_count}")
    first: list[Text | None] = [taken]
    if series.successful:
        first.append(Text.assemble(("ok ", "dim"), (str(series.successful), "green")))
    first.append(_count("failed", series.failed, series.failure_limit, always=True))
    second = [
        _count("inconcl", series.inconclusive, series.inconclusive_limit),
        _count("errors", series.consecutive_error, series.consecutive_error_limit),
    ]
    separator = Text(f" {glyphs.bullet} ", style="dim")
    lines = [separator.join(part for part in group if part is not None) for group in (first, second)]
    return Text("\n").join(lines)


def chart_data(view: MetricView) -> ChartData:
    series = view.series
    return ChartData(
        title=f"{series.name} ({view.run.name})",
        phase=series.phase,
        measurements=tuple(Measurement(p.started, p.value, p.raw, p.phase, p.message) for p in series.points),
        success=tuple(t.value for t in series.thresholds if t.kind == "success"),
        failure=tuple(t.value for t in series.thresholds if t.kind == "failure"),
        summary="   ".join(filter(None, (_condition(series, "success"), _condition(series, "failure")))),
    )


def _condition(series: MetricSeries, kind: str) -> str:
    """The condition as evaluated ({{args}} resolved) when the model could parse it, else as written."""
    raw = series.success_condition if kind == "success" else series.failure_condition
    clauses = [t.clause for t in series.thresholds if t.kind == kind]
    shown = " && ".join(clauses) if clauses and "{{" in raw else raw
    return f"{kind}: {shown}" if shown else ""


class MetricRow(Widget, can_focus=True):
    """Three lines: description, then a two-row sparkline beside the counts. Enter or click opens
    the chart."""

    DEFAULT_CSS = """
    MetricRow { height: 3; }
    MetricRow:focus { background: $boost; }
    MetricRow > .metric-head { height: 1; }
    MetricRow > Horizontal { height: 2; }
    MetricRow .metric-counts { width: auto; height: 2; }
    """

    class Selected(Message):
        def __init__(self, row: MetricRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, view: MetricView, glyphs: Glyphs, ascii_only: bool) -> None:
        super().__init__(classes=f"-{(view.series.phase or 'pending').lower()}")
        self.view = view
        self._glyphs = glyphs
        self._ascii = ascii_only

    def compose(self) -> ComposeResult:
        yield Static(describe(self.view, self._glyphs, self._ascii), classes="metric-head")
        with Horizontal():
            yield MetricSpark(spark_data(self.view.series), self._ascii)
            yield Static(counts(self.view.series, self._glyphs), classes="metric-counts")

    def update_view(self, view: MetricView) -> bool:
        if view == self.view:
            return False
        old_phase = (self.view.series.phase or "pending").lower()
        self.view = view
        new_phase = (view.series.phase or "pending").lower()
        if old_phase != new_phase:
            self.remove_class(f"-{old_phase}")
            self.add_class(f"-{new_phase}")
        if not self.query(".metric-head"):  # mounted, not composed yet: compose shows this view
            return True
        self.query_one(".metric-head", Static).update(describe(view, self._glyphs, self._ascii))
        self.query_one(".metric-counts", Static).update(counts(view.series, self._glyphs))
        self.query_one(MetricSpark).update(spark_data(view.series))
        return True

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Selected(self))

    def key_enter(self) -> None:
        self.post_message(self.Selected(self))


class MetricsView(Vertical):
    """Rows keyed by run/metric: existing rows update in place, so focus and layout stay put."""

    DEFAULT_CSS = """
    MetricsView { height: auto; }
    MetricsView > .metrics-empty { height: auto; color: $text-muted; }
    """

    def __init__(self, glyphs: Glyphs, ascii_only: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._glyphs = glyphs
        self._ascii = ascii_only
        self._keys: tuple[str, ...] = ()
        self._note = NO_RUNS

    def compose(self) -> ComposeResult:
        yield Static(Text(NO_RUNS), classes="metrics-empty")

    def rows(self) -> list[MetricRow]:
        return list(self.query(MetricRow))

    def show(self, views: tuple[MetricView, ...], note: str = NO_RUNS) -> bool:
        """Show `views`; `note` says why there are none (see `empty_note`)."""
        changed = note != self._note
        if changed:
            self._note = note
            self.query_one(".metrics-empty", Static).update(Text(note))
        keys = tuple(v.key for v in views)
        rows = {row.view.key: row for row in self.rows()}
        if keys != self._keys:
            # Membership or order changed (a new run started): rebuild the rows, keeping focus by key.
            focused = next((k for k, r in rows.items() if r.has_focus), None)
            for key, row in rows.items():
                if key not in keys:
                    row.remove()
            new_rows: list[MetricRow] = []
            for view in views:
                existing = rows.get(view.key)
                if existing is None:
                    fresh = MetricRow(view, self._glyphs, self._ascii)
                    new_rows.append(fresh)
                    self.mount(fresh)
                else:
                    existing.update_view(view)
            made = {row.view.key: row for row in new_rows}
            ordered = [rows.get(k) or made[k] for k in keys]
            for index, row in enumerate(ordered[1:], 1):
                if row.parent is self and ordered[index - 1].parent is self:  # not one being removed
                    self.move_child(row, after=ordered[index - 1])
            self.query_one(".metrics-empty").display = not views
            self._keys = keys
            if focused in keys:
                ordered[keys.index(focused)].focus()
            return True
        for view in views:
            changed |= rows[view.key].update_view(view)
        return changed
