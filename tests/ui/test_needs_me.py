"""What needs me, first-class: the mark and the reason in each row, and countdowns that tick in
their own row only (issue 10: "needs me")."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from glancefleet import GLANCE_CLOCK, NOW, write_glance_fleet
from uihelpers import screen_text, wait_until

from rollout_tui.model.attention import attention
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable


class SteppedClock:
    """A clock the test moves by hand (the app only ever asks `now()`)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def glance(fleet_factory: Any, tmp_path: Path, **kwargs: Any) -> tuple[Any, list[str], list[Any]]:
    return fleet_factory(load=[write_glance_fleet(tmp_path / "objects")], **kwargs)


def rows_by_name(app: RolloutApp) -> dict[str, str]:
    """Each table line as the operator reads it, by rollout name (the screen under the header)."""
    lines = screen_text(app).splitlines()[2:]
    out = {}
    for entry, line in zip(app.visible_entries, lines, strict=False):
        out[entry.state.name] = line
    return out


async def test_each_row_shows_its_needs_me_mark_and_its_reason(fleet_factory: Any, tmp_path: Path) -> None:
    fleet, contexts, _ = glance(fleet_factory, tmp_path)
    app = RolloutApp(fleet, contexts, clock=GLANCE_CLOCK)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 12, what="12 rollouts")
        await pilot.pause(0.3)
        rows = rows_by_name(app)
        expected = {
            "ledger": ("!", 'aborted: Metric "error-rate" assessed'),
            "cart": ("!", "ProgressDeadlineExceeded: ReplicaSet"),
            "uploader": ("!", "stuck: no progress for over 10m"),
            "fraud-model": ("?", "inconclusive analysis: promote or abort"),
            "search-api": ("?", "paused by hand"),
            "checkout": ("?", "waiting for promotion at step 3/8"),
            "storefront": ("?", "waiting for promotion"),
            "config-api": (" ", "auto-promotion in 25s"),
            "gateway": (" ", "analysis running"),
            "indexer": (" ", "pause ends in 4m12s"),
        }
        for name, (mark, reason) in expected.items():
            assert rows[name].startswith(f"{mark} "), rows[name]
            assert reason in rows[name], rows[name]
        # the needs-me first sort: the seven marked rows come first
        assert [line[0] for line in rows.values()] == list("!!!????     ")
        for entry in app.visible_entries:  # every row says what the model says, nothing derived
            assert attention(entry.state, NOW).line(NOW)[:20] in rows[entry.state.name]


async def test_countdown_ticks_in_its_own_row_only(fleet_factory: Any, tmp_path: Path) -> None:
    fleet, contexts, _ = glance(fleet_factory, tmp_path)
    clock = SteppedClock(NOW)
    app = RolloutApp(fleet, contexts, clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 12, what="12 rollouts")
        await pilot.pause(0.3)
        before = dict(table._cells)
        clock.at = NOW + timedelta(seconds=1)
        await wait_until(pilot, lambda: "pause ends in 4m11s" in screen_text(app), what="the tick")
        ticking = {"sim/search/indexer", "sim/platform/config-api"}
        assert "auto-promotion in 24s" in rows_by_name(app)["config-api"]
        for key, cells in table._cells.items():  # the others keep their very cells: not repainted
            assert (cells is before[key]) == (key not in ticking), key
