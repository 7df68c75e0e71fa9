"""SVG snapshots of the shell's screens at 80x24 and 160x48.

Frozen simulator (fixtures, no controller), FixedClock: nothing on screen moves between runs.
Update after a reviewed change with ``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from uihelpers import FROZEN_AT, running_fleet, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, list[str]]]:
    with running_fleet(Path(tmp_path_factory.mktemp("snap"))) as (fleet, contexts, _sims):
        yield fleet, contexts


def make_app(frozen: tuple[Any, list[str]]) -> RolloutApp:
    fleet, contexts = frozen
    return RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT), theme="textual-dark")


def select(key: str | None, open_detail: bool = False, then: tuple[str, ...] = ()) -> Any:
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10, what="rows")
        wide = app.screen.has_class("-wide")
        if key is not None:
            assert table.select_key(key)
            await pilot.pause()
            # Narrow: Enter opens the detail screen. Wide: the detail already sits beside the table
            # (Enter would only move focus into it, which under load can race the layout).
            if open_detail and not wide:
                await pilot.press("enter")
        if open_detail or wide:  # the detail must be complete, not half-loaded
            wanted = key or table.selected_key
            await wait_until(
                pilot, lambda: app.feed.watch is not None and app.feed.key == wanted, what="watch"
            )
            assert await asyncio.to_thread(app.feed.watch.wait_synced, 10)
            await pilot.pause(0.2)
            app.refresh_detail(force=True)
        if then:
            before = app.screen
            await pilot.press(*then)
            await wait_until(pilot, lambda: app.screen is not before, what="the screen the keys open")
        await pilot.pause(0.5)
        await pilot.wait_for_scheduled_animations()

    return run_before


CANARY = "sim/jesse-test/canary-demo"
BLUE_GREEN = "sim/jesse-test/bluegreen-demo"
FAILED = "sim/default/rollout-background-analysis"


@pytest.mark.parametrize("size", SIZES)
def test_overview(snap_compare: Any, frozen: Any, size: str) -> None:
    assert snap_compare(make_app(frozen), terminal_size=SIZES[size], run_before=select(None))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", [CANARY, BLUE_GREEN, FAILED], ids=["canary", "bluegreen", "failed-analysis"])
def test_detail(snap_compare: Any, frozen: Any, size: str, key: str) -> None:
    assert snap_compare(make_app(frozen), terminal_size=SIZES[size], run_before=select(key, open_detail=True))


@pytest.mark.parametrize("size", SIZES)
def test_metric_chart(snap_compare: Any, frozen: Any, size: str) -> None:
    assert snap_compare(make_app(frozen), terminal_size=SIZES[size], run_before=select(FAILED, True, ("m",)))


@pytest.mark.parametrize("size", SIZES)
def test_confirm_modal(snap_compare: Any, frozen: Any, size: str) -> None:
    assert snap_compare(
        make_app(frozen), terminal_size=SIZES[size], run_before=select(BLUE_GREEN, False, ("p",))
    )


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, frozen: Any, size: str) -> None:
    assert snap_compare(
        make_app(frozen), terminal_size=SIZES[size], run_before=select(None, False, ("question_mark",))
    )
