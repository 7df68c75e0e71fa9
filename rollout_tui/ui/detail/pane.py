"""DetailPane: everything about one rollout, updated in place when its objects change.

`show()` is called when the rollout's view was rebuilt (its objects changed); `tick()` moves ages
and countdowns once a second from the same view. Each section compares what it would draw with
what it drew and repaints only on change; the tree is patched in place; nothing is recomposed, so
scroll position, tree expansion/cursor and focus survive.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Region
from textual.reactive import var
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from rollout_tui.model.clock import Clock
from rollout_tui.model.icons import glyphs_for
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.model.state import RolloutState
from rollout_tui.ui.detail.ascii import ascii_scrollbars
from rollout_tui.ui.detail.chart import ChartData, MetricChartScreen
from rollout_tui.ui.detail.events import MAX_EVENTS, EventsView, events_heading
from rollout_tui.ui.detail.facts import FactsView
from rollout_tui.ui.detail.incident_keys import IncidentKeys
from rollout_tui.ui.detail.metrics import (
    MetricRow,
    MetricsView,
    MetricView,
    chart_data,
    empty_note,
    live_metrics,
)
from rollout_tui.ui.detail.steps import StepsView
from rollout_tui.ui.detail.summary import SummaryView
from rollout_tui.ui.detail.tree import RevisionTree, revision_specs
from rollout_tui.ui.detail.treesync import NodeData

WIDE_AT = 110  # pane width from which summary and steps sit side by side
COMPACT_BELOW = 32  # pane height under which long lists are windowed


class DetailPane(IncidentKeys):
    """The rollout detail. The shell calls `show(info, events, clock)` and `clear()`."""

    BINDINGS = [  # noqa: RUF012 - Textual reads this class attribute
        Binding("m", "open_chart", "Metric chart", tooltip="Chart of the focused (or first) analysis metric"),
        # Priority: the focused tree (a ScrollView as tall as its content) would take these keys and
        # scroll nothing, so Analysis and Events were out of reach from the keyboard.
        Binding("pageup", "scroll_body('page_up')", "Page up", show=False, priority=True),
        Binding("pagedown", "scroll_body('page_down')", "Page down", show=False, priority=True),
        Binding("home", "scroll_body('scroll_home')", "Top", show=False, priority=True),
        Binding("end", "scroll_body('scroll_end')", "Bottom", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    DetailPane { height: 1fr; }
    DetailPane > #detail-body { height: 1fr; scrollbar-size-vertical: 1; }
    DetailPane #detail-top { height: auto; layout: vertical; }
    DetailPane.-wide #detail-top { layout: horizontal; }
    DetailPane.-wide #detail-top > SummaryView { width: 1fr; margin-right: 2; }
    DetailPane.-wide #detail-top > StepsView { width: 1fr; }
    DetailPane .detail-heading { height: 1; margin-top: 1; text-style: bold; color: $text-accent; }
    DetailPane StepsView { margin-top: 1; }
    DetailPane.-wide StepsView { margin-top: 0; }
    DetailPane #detail-empty { height: 1fr; content-align: center middle; color: $text-muted; }
    DetailPane #detail-tree-empty { height: 1; color: $text-muted; }
    """

    compact: var[bool] = var(True)

    def __init__(
        self, ascii_only: bool = False, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.ascii_only = ascii_only
        self._glyphs = glyphs_for(ascii_only)
        self.info: RolloutInfo | None = None
        self._events: Sequence[Any] = ()
        self._clock: Clock | None = None
        self._cluster = ""
        self._loading = False  # some of the rollout's objects are still being listed
        self._identity: tuple[str, str, str] | None = None
        self._metrics: tuple[MetricView, ...] = ()
        self._chart: MetricChartScreen | None = None
        self._highlighted: TreeNode[NodeData] | None = None  # the tree node the body last followed
        self._pending: tuple[RolloutInfo, Sequence[Any], Clock, bool, str] | None = None
        self._ready = False  # children composed and mounted
        self.repaints = 0  # sections repainted since mount (tests and benchmarks read it)
        self._events_heading = Text("Events")

    def compose(self) -> ComposeResult:
        yield Static(Text("No rollout selected."), id="detail-empty")
        # Not focusable itself: Tab goes tree -> metric rows, never to an invisible container.
        with VerticalScroll(id="detail-body", can_focus=False):
            with Horizontal(id="detail-top"):
                yield SummaryView()
                yield StepsView(keymap=getattr(self.app, "keymap_overrides", None))
            yield FactsView(id="detail-facts")
            yield Static(Text("Revisions"), classes="detail-heading")
            yield Static(Text("loading…"), id="detail-tree-empty")
            yield RevisionTree(self.ascii_only, id="detail-tree")
            yield Static(Text("Analysis"), classes="detail-heading")
            yield MetricsView(self._glyphs, self.ascii_only)
            yield Static(Text("Events"), classes="detail-heading", id="detail-events-heading")
            yield EventsView(ascii_only=self.ascii_only)

    def on_mount(self) -> None:
        self.query_one("#detail-body").display = False
        if self.ascii_only:
            ascii_scrollbars(self.query_one("#detail-body"))
        # Countdowns move with the clock between batches; a tick that changes nothing paints nothing.
        self.set_interval(1.0, self.tick, name="detail-countdown")
        self._ready = True
        if self._pending is not None:
            self.show(*self._pending)

    # ---- the shell's API -------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """Children composed and mounted (a detail screen being pushed is not ready yet)."""
        return self._ready

    def show(
        self, info: RolloutInfo, events: Sequence[Any], clock: Clock, loading: bool = False, context: str = ""
    ) -> None:
        """Display `info` and its events; ages and countdowns are computed against `clock`.

        `loading`: some of its objects are still being listed (absent ones may yet come)."""
        if not self._ready:  # e.g. a DetailScreen fed before it is shown
            self._pending = (info, events, clock, loading, context)
            return
        self._pending = None
        state = info.state
        identity = (state.namespace, state.name, state.uid)
        if identity != self._identity:
            self._switch_rollout(identity)
        self.info, self._events, self._clock, self._cluster = info, events, clock, context
        self._loading = loading
        self.query_one("#detail-empty").display = False
        self.query_one("#detail-body").display = True
        empty = self.query_one("#detail-tree-empty", Static)
        empty.update(Text("loading…" if loading else "No ReplicaSets yet.", style="dim"))
        self._render_sections()

    def show_loading(self, state: RolloutState) -> None:
        """A rollout whose objects are being listed: say so instead of showing an empty tree."""
        if not self._ready:
            return
        self.query_one("#detail-body").display = False
        empty = self.query_one("#detail-empty", Static)
        empty.update(Text(f"loading {state.target}…", style="dim"))
        empty.display = True

    def clear(self) -> None:
        """Nothing selected: an empty, quiet pane."""
        self._pending = None
        if not self._ready:
            return
        self.info, self._events, self._identity = None, (), None
        self.query_one("#detail-body").display = False
        empty = self.query_one("#detail-empty", Static)
        empty.update(Text("No rollout selected."))
        empty.display = True
        self._reset_sections()

    def focus(self, scroll_visible: bool = True) -> DetailPane:
        """The pane itself takes no keys: focus goes to the revision tree (the shell calls this)."""
        trees = self.query(RevisionTree)
        if trees:
            # The pane keeps its own scroll (the top, for a rollout just opened): centring the tree
            # would push the summary and steps off the screen.
            trees.first().focus(scroll_visible=False)
        else:  # called before our children are mounted
            self.call_after_refresh(self.focus, scroll_visible)
        return self

    def selected_revision(self) -> int | None:
        """The revision of the node under the tree cursor (for undo), else None."""
        return self.query_one(RevisionTree).selected_revision()

    def tick(self) -> None:
        """Advance ages and countdowns to the clock; cheap no-op when nothing visible changed."""
        if self.info is not None and self._clock is not None:
            self._render_timed()

    # ---- rendering -------------------------------------------------------------------------

    def _render_sections(self) -> None:
        info = self.info
        assert info is not None and self._clock is not None
        self._render_timed()
        self._metrics = live_metrics(info)
        note = empty_note(info, self._loading)
        self.repaints += self.query_one(MetricsView).show(self._metrics, note)
        self._update_chart()

    def _render_timed(self) -> bool:
        """The sections that show ages or countdowns (each repaints only what changed)."""
        info = self.info
        assert info is not None and self._clock is not None
        now = self._clock.now()
        changed = self.query_one(SummaryView).show(info, self._glyphs, self.compact, self._cluster, now)
        changed |= self.query_one(FactsView).show(info, self._glyphs)
        changed |= self._render_steps()
        stats = self.query_one(RevisionTree).apply(revision_specs(info, self._glyphs, now))
        changed |= bool(stats.added or stats.removed or stats.relabelled)
        self.query_one("#detail-tree-empty").display = not info.revisions
        changed |= self._render_events()
        self.repaints += changed
        return changed

    def _render_steps(self) -> bool:
        assert self.info is not None and self._clock is not None
        width = self.query_one(StepsView).content_size.width or self.size.width or 80
        view = self.query_one(StepsView)
        return view.show(self.info, self._clock.now(), self._glyphs, width, self.compact)

    def _render_events(self) -> bool:
        assert self.info is not None and self._clock is not None
        heading = events_heading(self.info, self._clock.now(), self._glyphs)
        if heading != self._events_heading:
            self._events_heading = heading
            self.query_one("#detail-events-heading", Static).update(heading)
        limit = 10 if self.compact else MAX_EVENTS
        view = self.query_one(EventsView)
        return view.show(self._events, self._clock.now(), self.info.state.name, limit, self._loading)

    def _switch_rollout(self, identity: tuple[str, str, str]) -> None:
        # Another rollout: its tree starts fresh (expansion defaults), scrolled to the top.
        self._reset_sections()
        self._identity = identity
        self.query_one("#detail-body", VerticalScroll).scroll_home(animate=False)

    def _reset_sections(self) -> None:
        self.query_one(RevisionTree).apply(())
        self.query_one(MetricsView).show(())

    # ---- layout ----------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE_AT, "-wide")
        compact = self.size.height < COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact
            if self.info is not None:
                self._render_sections()
        elif self.info is not None:
            self._render_steps()  # the traffic bar follows the width

    def on_steps_view_width_changed(self, _message: StepsView.WidthChanged) -> None:
        if self.info is not None and self._clock is not None:
            self._render_steps()

    @on(Tree.NodeHighlighted, "#detail-tree")
    def _follow_cursor(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        # The tree is as tall as its content, so the outer scroll must keep the cursor in view when
        # it moves to another node. A batch that adds lines above it re-highlights the same node:
        # following that would undo the operator's PageDown/End.
        if event.node is self._highlighted:
            return
        self._highlighted = event.node
        tree = self.query_one(RevisionTree)
        body = self.query_one("#detail-body", VerticalScroll)
        line = event.node.line
        if line >= 0:
            top = tree.region.y - body.content_region.y + round(body.scroll_y)
            body.scroll_to_region(Region(0, top + line, 1, 1), animate=False, immediate=True)

    def action_scroll_body(self, how: str) -> None:
        """Page or jump through the whole pane, whichever of its parts has focus."""
        body = self.query_one("#detail-body", VerticalScroll)
        {
            "page_up": body.action_page_up,
            "page_down": body.action_page_down,
            "scroll_home": body.action_scroll_home,
            "scroll_end": body.action_scroll_end,
        }[how]()

    # ---- metric chart ----------------------------------------------------------------------

    @on(MetricRow.Selected)
    def _row_selected(self, event: MetricRow.Selected) -> None:
        self.open_chart(event.row.view.key)

    @on(Tree.NodeSelected, "#detail-tree")
    def _node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        data = event.node.data
        if data is not None and data.kind == "AnalysisRun":
            key = next((m.key for m in self._metrics if m.run.name == data.ref), None)
            if key is None and self.info is not None:
                run = next((r for r in self.info.analysisruns if r.name == data.ref), None)
                if run is not None and run.metrics:
                    key = f"{run.name}/{run.metrics[0].name}"
            if key is not None:
                self.open_chart(key)

    def action_open_chart(self) -> None:
        focused = self.screen.focused
        self.open_chart(focused.view.key if isinstance(focused, MetricRow) else None)

    def open_chart(self, key: str | None = None) -> None:
        """Open the chart of metric `key` ("run/metric"), or of the first live metric."""
        view = self._find_metric(key)
        if view is None:
            self.notify("No analysis metric to chart.", severity="warning")
            return
        keys = [m.key for m in self._metrics]
        self._chart = MetricChartScreen(
            chart_data(view),
            ascii_only=self.ascii_only,
            key=view.key,
            keys=keys if view.key in keys else [view.key, *keys],
            source=self._chart_source,
        )
        self.app.push_screen(self._chart, callback=self._chart_closed)

    def _chart_source(self, key: str) -> ChartData | None:
        view = self._find_metric(key)
        return chart_data(view) if view is not None else None

    def _find_metric(self, key: str | None) -> MetricView | None:
        if key is None:
            return self._metrics[0] if self._metrics else None
        found = next((m for m in self._metrics if m.key == key), None)
        if found is None and self.info is not None:
            run_name, _, metric = key.rpartition("/")
            for run in self.info.analysisruns + tuple(
                r for e in self.info.experiments for r in e.analysisruns
            ):
                if run.name == run_name:
                    series = next((s for s in run.metrics if s.name == metric), None)
                    if series is not None:
                        return MetricView(key, run, series)
        return found

    def _update_chart(self) -> None:
        if self._chart is not None and self._chart.is_attached:
            self._chart.reload()

    def _chart_closed(self, _: None) -> None:
        self._chart = None
