"""What the detail pane says and how it draws it: events that stay in their column at 80x24,
words that mean what they say, ASCII that is ASCII."""

from __future__ import annotations

from typing import Any

from detailhelpers import DetailApp, event, events_of, failed_analysis_objects, screen_lines

from rollout_tui.ui.detail import DetailPane, MetricChartScreen
from tests.fixtures.sets import recorded
from tests.ui.detail_scenes import ANALYSIS_STEP, updating
from tests.ui.test_detail_live import SimCluster

FAILED_EVENTS = events_of(failed_analysis_objects())

LONG_EVENT = (
    'Failed to pull image "registry.example.com/team/checkout:2026-01-15-rc3": rpc error: code = '
    "NotFound desc = failed to resolve reference: not found on any of the three mirrors tried"
)


async def test_long_event_messages_wrap_under_their_column_not_to_column_0() -> None:
    events = [
        event("Warning", "Failed", f"{LONG_EVENT} #{i}", 10 * i, obj=("Pod", "checkout-7d9f-x2wz4"))
        for i in range(4)
    ]
    app = DetailApp(objects=recorded("canary-weights"), events=events)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.query_one(DetailPane).query_one("#detail-body").scroll_end(animate=False)
        await pilot.pause()
        lines = screen_lines(app)
        start = next(i for i, line in enumerate(lines) if line.startswith("Events"))
        section = [line.rstrip() for line in lines[start + 1 :]]
        assert section and section[0].startswith("Warning"), section
        for line in section:
            # an event's first line, or its message continued under the reason: never a line that
            # starts at column 0 with the middle of a message, never a blank line between events
            assert line.startswith("Warning ") or (line.startswith(" " * 8) and line.strip()), section
        assert sum(line.startswith("Warning") for line in section) == 4
        assert section[-1].strip().endswith("tried #3")  # the end of the message is still there


# ---- analysis sparklines -----------------------------------------------------------------


def _running_analysis(values: list[float]) -> SimCluster:
    """shop updating with its background success-rate analysis measured as `values` (oldest first)."""
    sim = updating(mode="pass", ticks=6, background=True)
    run = next(
        r
        for r in sim.store.list("analysisruns", "default")[0]
        if r["metadata"]["labels"].get("rollout-type") == "Background"
    )

    def measured(obj: dict[str, Any]) -> None:
        result = obj["status"]["metricResults"][0]
        template = result["measurements"][0]
        result["measurements"] = [dict(template, value=f"[{v}]", phase="Successful") for v in values]

    sim.store.mutate("analysisruns", "default", run["metadata"]["name"], measured)
    return sim


def _spark_rows(app: DetailApp) -> list[str]:
    """The two sparkline rows of the first metric (the lines after its "success-rate" head)."""
    lines = screen_lines(app)
    head = next(i for i, line in enumerate(lines) if line.startswith("success-rate "))
    return [line.split(" measured")[0].split(" inconcl")[0].rstrip() for line in lines[head + 1 : head + 3]]


async def test_sparkline_scale_holds_the_thresholds_so_small_changes_look_small() -> None:
    # succ >= 0.95, fail < 0.9 (SUCCESS_RATE_TEMPLATE); a healthy metric wobbling by 0.02
    sim = _running_analysis([0.9657, 0.9721, 0.9839])
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        sim.show(app.query_one(DetailPane))
        await pilot.pause()
        top, bottom = _spark_rows(app)
        assert bottom[:3] == "███", (top, bottom)  # all three well above the failure line
        # the scale runs from the failure threshold: 0.9657 is high, not the lowest bar
        assert top[0] not in " ▁", (top, bottom)
        assert top[2] == "█"
        # the thresholds are on the sparkline's scale: dotted lines where no bar covers them
        assert "┈" in top[3:] and "┈" in bottom[3:], (top, bottom)


async def test_analysis_section_does_not_say_no_runs_while_the_tree_lists_older_ones() -> None:
    sim = updating(mode="fail", ticks=12, background=True)  # revision 2's background analysis fails
    sim.set_image("shop:v3")  # revision 3: at step 0, its analysis starts at step 1
    sim.controller.tick(1)
    app = DetailApp()
    async with app.run_test(size=(100, 60)) as pilot:
        info = sim.show(app.query_one(DetailPane))
        await pilot.pause()
        assert info.revisions[0].revision == 3 and not info.revisions[0].analysisruns
        older = [run for rev in info.revisions[1:] for run in rev.analysisruns]
        assert older, "revision 2's run is in the tree"
        lines = [line.rstrip() for line in screen_lines(app)]
        note = lines[lines.index("Analysis") + 1]
        assert note != "No analysis runs.", note
        assert "revision 3" in note and "1 older run in the tree" in note, note


# ---- --ascii and the chart -----------------------------------------------------------------


def _non_ascii(app: DetailApp) -> set[str]:
    return {ch for line in screen_lines(app) for ch in line if ord(ch) > 126}


async def test_ascii_metric_chart_and_its_frame_are_ascii() -> None:
    app = DetailApp(ascii_only=True, objects=failed_analysis_objects(), events=FAILED_EVENTS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not _non_ascii(app)  # the pane itself, its scrollbar included
        app.query_one(DetailPane).open_chart()
        await pilot.pause()
        assert isinstance(app.screen, MetricChartScreen)
        assert not _non_ascii(app)  # the chart's border, plot, table and its scrollbars


async def test_ascii_chart_legend_marks_each_phase_with_its_own_glyph() -> None:
    app = DetailApp(ascii_only=True, objects=failed_analysis_objects(), events=FAILED_EVENTS)
    async with app.run_test(size=(100, 40)) as pilot:
        app.query_one(DetailPane).open_chart()
        await pilot.pause()
        legend = next(line for line in screen_lines(app) if "success 0.95" in line)
        assert "x Successful" not in legend, legend  # "x" is the Degraded/Failed glyph
        assert "+ Successful" in legend and "x Failed" in legend, legend  # the phases this run measured


async def test_ascii_completed_steps_do_not_look_like_degraded() -> None:
    steps = [{"setWeight": 25}, {"pause": {"duration": "10s"}}, ANALYSIS_STEP, {"setWeight": 75}]
    sim = updating(steps, mode="fail", ticks=12)
    app = DetailApp(ascii_only=True)
    async with app.run_test(size=(100, 40)) as pilot:
        sim.show(app.query_one(DetailPane))
        await pilot.pause()
        lines = screen_lines(app)
        status = next(line for line in lines if line.startswith("Status"))
        degraded = status.split()[1]
        assert "Degraded" in status and degraded == "x", status
        done = next(line for line in lines if "setWeight 25" in line)
        assert done.split()[0] != degraded, (done, status)  # a completed step is not a failure
        failed = next(line for line in lines if " 2 analysis" in line)
        assert failed.split()[0] == degraded  # the step that failed is


async def test_toasts_on_the_chart_leave_its_measurements_visible_at_80x24() -> None:
    app = DetailApp(objects=failed_analysis_objects(), events=FAILED_EVENTS)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.query_one(DetailPane).open_chart()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MetricChartScreen)
        before = [line for line in screen_lines(app) if "[0." in line]
        app.notify("west platform/gateway aborted: error-rate assessed Failed", title="Needs you", timeout=60)
        await pilot.pause(0.5)
        after = [line for line in screen_lines(app) if "[0." in line]
        assert before and after == before, (before, after)  # every row of the table, uncovered
        assert any("▌ Needs you" in line for line in screen_lines(app))  # and the toast is shown
