"""Read-only and wall modes write nothing whatever is pressed; outages show as stale and recover."""

from __future__ import annotations

from typing import Any

from uihelpers import FROZEN_AT, screen_text, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.keys import ACTION_KEYS, VIEW_KEYS
from rollout_tui.ui.overview import OverviewTable
from rollout_tui.ui.wall import WallBanner
from rollout_tui.ui.wall_app import WallApp

# every key the shell binds, plus what an operator may hit inside modals
EVERY_KEY = (
    [k.key for k in ACTION_KEYS]
    + ["enter", "tab", "enter", "y", "escape"]
    + [k.key for k in VIEW_KEYS if k.key != "q"]
    + ["escape", "escape", "ctrl+p", "escape"]
)


async def press_everything(app: Any, pilot: Any) -> None:
    table = app.query_one(OverviewTable)
    for row in (0, 2, table.row_count - 1):  # aborted, paused blue-green, degraded canary
        table.move_cursor(row=row)
        await pilot.press(*(k.key for k in ACTION_KEYS))  # no modal opens: nothing to confirm
    await pilot.press(*EVERY_KEY)
    await pilot.pause(0.5)


async def test_read_only_sends_zero_writes(fleet_factory: Any, request_log: Any) -> None:
    fleet, contexts, _ = fleet_factory(read_only=True)
    assert fleet.actions(contexts[0]) is None  # no write path exists at all
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT), read_only=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 10)
        assert app.check_action("act", ("promote",)) is False  # hidden, not merely greyed
        await press_everything(app, pilot)
        assert "Promote" not in screen_text(app).splitlines()[-1]
    assert request_log.requests, "the request log saw the fleet's reads"
    assert request_log.writes() == []


async def test_wall_mode_sends_zero_writes_and_cycles_attention(fleet_factory: Any, request_log: Any) -> None:
    fleet, contexts, _ = fleet_factory(read_only=True)
    app = WallApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 10)
        assert not app.use_command_palette and app.animation_level == "none"
        await wait_until(
            pilot, lambda: app.layout.showing is not None, what="a rollout needing attention on show"
        )
        first = app.layout.showing
        banner = str(app.query_one(WallBanner)._last)
        needs = sum(e.attention.needs_me for e in app.visible_entries)  # what the header counts
        assert needs > 1 and f"1/{needs} need you" in banner and app.view.entries[first].state.name in banner
        app.layout.next_rollout()
        await pilot.pause()
        assert app.layout.showing != first  # cycles through the rollouts that need attention
        await press_everything(app, pilot)
    assert request_log.writes() == []


async def test_wall_all_healthy_board(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory(read_only=True, load=())
    app = WallApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(
            pilot, lambda: "Nothing needs you: 0 healthy" in screen_text(app), what="quiet board"
        )


async def test_disconnect_shows_stale_then_recovers(fleet_factory: Any) -> None:
    fleet, contexts, sims = fleet_factory(contexts=("east", "west"))
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(160, 30)) as pilot:
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 20)
        sims[1].faults.restart(down_seconds=4.0)  # west goes away: watches cut, connections refused

        def header() -> str:
            return screen_text(app).splitlines()[0]

        await wait_until(
            pilot, lambda: "no data from west for" in header(), timeout=15, what="west shown as stale"
        )
        await wait_until(pilot, lambda: "east live" in header(), what="east unaffected")
        assert app.query_one(OverviewTable).row_count == 20  # last known data stays on screen
        # both live again: one "live" for the fleet
        await wait_until(
            pilot, lambda: header().rstrip().endswith("· live"), timeout=30, what="west recovered"
        )
