"""80 columns keep what matters: why a rollout needs you stays on screen with one cluster and with
two, the footer shows whole keys and `? more`, the hints line whole reasons, and End goes to the
last row (issue 10, defects 1 and 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from glancefleet import GLANCE_CLOCK, write_glance_fleet
from uihelpers import screen_text, wait_until

from rollout_tui.ui import rows
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable


def keys_of(width: int, show_context: bool) -> list[str]:
    return [c.key for c in rows.layout(width, show_context)]


@pytest.mark.parametrize("show_context", [False, True], ids=["one-cluster", "two-clusters"])
def test_columns_give_way_by_priority_and_message_stays(show_context: bool) -> None:
    gone_at: dict[str, int] = {}
    for width in range(160, 59, -1):
        columns = rows.layout(width, show_context)
        message = next(c for c in columns if c.key == rows.MESSAGE)
        assert message.width >= rows.MESSAGE_MIN
        if width >= 79:
            assert sum(c.width + 1 for c in columns) <= width, width  # nothing off screen
            assert {"attention", "name", "status", rows.MESSAGE} <= {c.key for c in columns}
            assert ("context" in keys_of(width, show_context)) == show_context
        for key in ("strategy", "ready", "age", "weight", "step"):
            if key not in {c.key for c in columns}:
                gone_at.setdefault(key, width)
    # MESSAGE beats AGE beats READY: READY goes first (at a wider table), then AGE
    order = [key for key, narrower, _ in rows.GIVE_WAY if not narrower and key in gone_at]
    assert sorted(order, key=lambda key: -gone_at[key]) == order
    assert gone_at["ready"] > gone_at["age"]


@pytest.mark.parametrize("contexts", [("sim",), ("east", "west")], ids=["one-cluster", "two-clusters"])
async def test_80_columns_keep_why_each_rollout_needs_you_on_screen(
    fleet_factory: Any, tmp_path: Path, contexts: tuple[str, ...]
) -> None:
    fleet, names, _ = fleet_factory(load=[write_glance_fleet(tmp_path / "objects")], contexts=contexts)
    app = RolloutApp(fleet, names, clock=GLANCE_CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 12 * len(contexts), what="rows")
        await pilot.pause(0.3)
        lines = screen_text(app).splitlines()
        assert "MESSAGE" in lines[1] and ("CTX" in lines[1]) == (len(contexts) > 1)
        body = "\n".join(lines[2:])
        for reason in ("aborted: Metric", "ProgressDeadlineExc", "stuck: no progress", "inconclusive analy"):
            assert reason in body, reason
        assert "waiting for promotion" in body and "pause ends in 4m12s" in body
        assert "need you" in lines[0] and "live" in lines[0]


async def test_end_goes_to_the_last_row_and_home_to_the_first(fleet_factory: Any, tmp_path: Path) -> None:
    fleet, names, _ = fleet_factory(
        load=[write_glance_fleet(tmp_path / "objects")], contexts=("east", "west")
    )
    app = RolloutApp(fleet, names, clock=GLANCE_CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 24, what="rows")
        await pilot.press("end")
        await wait_until(pilot, lambda: table.cursor_row == 23, what="the last row")
        assert table.scroll_x == 0 and table.selected_key == table.keys[-1]
        await pilot.press("home")
        await wait_until(pilot, lambda: table.cursor_row == 0, what="the first row")


async def test_name_columns_are_as_wide_as_their_longest_name_and_message_gets_the_rest(
    fleet_factory: Any, tmp_path: Path
) -> None:
    """At 80 columns a fixed 21-cell NAME cut the Degraded and aborted reasons before their point
    (`aborted: Metric "err…`) although no name was longer than 11 cells."""
    fleet, names, _ = fleet_factory(load=[write_glance_fleet(tmp_path / "objects")], contexts=("sim",))
    app = RolloutApp(fleet, names, clock=GLANCE_CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 12, what="rows")
        await pilot.pause(0.3)
        longest = max(len(e.state.name) for e in app.visible_entries)
        assert {c.key: c.width for c in table.column_plan}["name"] == longest
        body = "\n".join(screen_text(app).splitlines()[2:])
        assert 'aborted: Metric "error-rate"' in body
        assert "ProgressDeadlineExceeded: Repli" in body and "inconclusive analysis: promote" in body
