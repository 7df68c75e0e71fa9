"""Focus and keys at the app level: Tab shows where it went, `m` from the table opens the selected
rollout's metric chart (or says why not) (issue 10, defect 12)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from uihelpers import FROZEN_AT, screen_text, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.detail import MetricChartScreen
from rollout_tui.ui.overview import OverviewTable

FAILED = "sim/default/rollout-background-analysis"  # a failed analysis with measurements
BLUE_GREEN = "sim/jesse-test/bluegreen-demo"  # no analysis at all


async def started(app: RolloutApp, pilot: Any, key: str) -> OverviewTable:
    table = app.query_one(OverviewTable)
    await wait_until(pilot, lambda: table.row_count == 10, what="rows")
    assert table.select_key(key)
    await pilot.pause()
    return table


async def detail_synced(app: RolloutApp, pilot: Any, key: str) -> None:
    await wait_until(pilot, lambda: app.feed.watch is not None and app.feed.key == key, what="watch")
    assert await asyncio.to_thread(app.feed.watch.wait_synced, 10)
    await pilot.pause(0.2)


async def test_first_tab_in_wide_mode_shows_that_the_detail_has_focus(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(160, 40)) as pilot:
        await started(app, pilot, FAILED)
        await detail_synced(app, pilot, FAILED)
        detail = app.query_one("#detail")
        unfocused = detail.styles.border_left[0]
        await pilot.press("tab")
        await pilot.pause(0.2)
        assert app.focused is not None and detail in app.focused.ancestors_with_self
        assert app.focused.region.width > 0 and app.focused.display  # a visible widget
        assert detail.styles.border_left[0] != unfocused  # the edge of the detail says so
        await pilot.press("shift+tab")
        await pilot.pause(0.2)
        assert isinstance(app.focused, OverviewTable) and detail.styles.border_left[0] == unfocused


@pytest.mark.parametrize("size", [(160, 40), (80, 24)], ids=["wide", "narrow"])
async def test_m_on_the_table_opens_the_first_metric_chart(fleet_factory: Any, size: tuple[int, int]) -> None:
    fleet, contexts, _ = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=size) as pilot:
        table = await started(app, pilot, FAILED)
        assert app.focused is table
        await pilot.press("m")  # narrow: the detail screen opens, then its chart
        await wait_until(pilot, lambda: isinstance(app.screen, MetricChartScreen), timeout=15, what="chart")
        assert "rollout-background-analysis" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, MetricChartScreen))


async def test_m_says_why_there_is_no_chart(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(160, 40)) as pilot:
        await started(app, pilot, BLUE_GREEN)
        await detail_synced(app, pilot, BLUE_GREEN)
        await pilot.press("m")
        await wait_until(
            pilot, lambda: any("metric" in str(n.message) for n in app._notifications), what="why not"
        )
        assert not isinstance(app.screen, MetricChartScreen)
