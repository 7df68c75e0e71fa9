"""The bottom lines at 80 columns: the footer shows whole keys by priority then `? more`, never a
key cut in half; the hints line says why actions are greyed in whole reasons (issue 10, defect 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from glancefleet import GLANCE_CLOCK, write_glance_fleet
from textual.widgets._footer import FooterKey
from uihelpers import screen_text, wait_until

from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable


async def test_footer_shows_whole_keys_then_more_at_80_columns(fleet_factory: Any, tmp_path: Path) -> None:
    fleet, names, _ = fleet_factory(load=[write_glance_fleet(tmp_path / "objects")])
    app = RolloutApp(fleet, names, clock=GLANCE_CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 12, what="rows")
        assert table.select_key("sim/shop/checkout")  # paused at a step: promote, abort... possible

        def footer() -> str:
            return screen_text(app).splitlines()[-1].rstrip()

        await wait_until(pilot, lambda: "x Abort" in footer(), what="the footer for checkout")
        keys = list(app.screen.query(FooterKey))
        assert keys and all(key.region.right <= 80 for key in keys), [(k.key, k.region) for k in keys]
        assert footer().endswith("? more")
        for whole in ("p Promote", "x Abort", "/ Filter", "q Quit"):
            assert whole in footer(), footer()
        # the line above says why the greyed ones are greyed, in whole reasons
        hints = screen_text(app).splitlines()[-2].strip()
        parts = app.flow.hints(app.selected_entry)
        assert hints and "…" not in hints
        assert all(part in parts for part in hints.split(app.glyphs.sep)), hints
