"""`m` from anywhere in the shell: the chart of the selected rollout's first live metric.

The detail pane charts its own metrics (its `m` wins while it has focus); from the table the app
asks it, once the rollout's detail is in: on a narrow terminal the detail screen opens first.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from .fleet_view import Entry


class ChartKey(App[None]):
    """A mixin of the app, which provides the selection, its layout and its detail pane."""

    _chart_for: str | None = None  # `m` pressed: chart this rollout once its detail is in
    layout: Any

    @property
    def selected_entry(self) -> Entry | None:
        raise NotImplementedError

    def detail_target(self) -> Entry | None:
        raise NotImplementedError

    def detail_pane(self) -> Any:
        raise NotImplementedError

    def action_metric_chart(self) -> None:
        entry = self.selected_entry
        if entry is None:
            self.notify("No rollout selected: nothing to chart.", severity="warning", markup=False)
            return
        self._chart_for = entry.key
        if not self.layout.detail_on_screen():
            self.layout.open_detail()
        self.open_wanted_chart()

    def open_wanted_chart(self) -> None:
        """Called after each detail refresh: the chart, once the detail shows that rollout."""
        entry, pane = self.detail_target(), self.detail_pane()
        if self._chart_for is None or entry is None or entry.key != self._chart_for or pane is None:
            return
        info = getattr(pane, "info", None)
        if not pane.ready or info is None or info.state.uid != entry.state.uid:
            return  # its detail is still loading: asked again when it shows
        self._chart_for = None
        pane.open_chart()  # the pane says why not when it has no metric to chart
