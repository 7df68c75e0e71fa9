"""Nothing the UI builds per refresh outlives the refresh: widgets recomposed away are freed."""

from __future__ import annotations

import gc
from typing import Any

from uihelpers import FROZEN_AT, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable


def live(kind: type) -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, kind))


async def test_footer_keys_recomposed_on_every_selection_are_freed(fleet_factory: Any) -> None:
    from textual.widgets._footer import FooterKey

    fleet, contexts, _ = fleet_factory()  # not read-only: what the keys allow changes per rollout
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10)
        earlier = live(FooterKey)  # the process's: earlier tests' apps in this worker may hold some
        for _ in range(15):
            for row in (0, 2, 5, 9):  # aborted, paused, healthy...: the footer changes each time
                table.move_cursor(row=row)
                await pilot.pause(0.05)
        shown = len(list(app.query(FooterKey)))
        assert shown > 0
        # Removed widgets are pruned by their parent's message loop, later under load: a leak keeps
        # them for good, a busy machine only for a while.
        await wait_until(
            pilot, lambda: live(FooterKey) - earlier <= 2 * shown, timeout=10, what="recomposed keys freed"
        )


async def test_widgets_gone_from_the_screen_leave_no_render_cache_behind(fleet_factory: Any) -> None:
    """Textual #6665: a removed widget's StylesCache (and every Strip it cached) was kept by an
    lru_cache on one of its methods; opening and closing the detail leaked one per widget."""
    from textual._styles_cache import StylesCache
    from textual.widget import Widget

    fleet, contexts, _ = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))

    def widgets() -> int:
        return sum(1 for screen in app.screen_stack for _ in screen.walk_children(Widget)) + len(
            app.screen_stack
        )

    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10)
        earlier, shown = live(StylesCache), widgets()  # other apps of this worker may hold some
        for round_ in range(8):
            table.move_cursor(row=round_ % 10)
            await pilot.press("enter")  # the detail screen: dozens of widgets, each with a StylesCache
            await pilot.pause(0.3)
            await pilot.press("escape")
            await pilot.pause(0.1)
        # one per live widget; before the fix, +25 per detail opened and closed
        await wait_until(
            pilot,
            lambda: live(StylesCache) - earlier <= widgets() - shown + 20,
            timeout=10,
            what="removed widgets' caches freed",
        )
