"""No widget can trap the keyboard: whatever was pressed before, Esc (a few times) and `q` quit,
in the interactive shell and on the wall, at a normal and at a tiny terminal size."""

from __future__ import annotations

import random
from typing import Any

import pytest
from textual import events
from textual.widgets import DataTable
from uihelpers import FROZEN_AT

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.keys import VIEW_KEYS
from rollout_tui.ui.wall_app import WallApp

KEYS = [k.key for k in VIEW_KEYS if k.key != "q"] + [
    *("enter", "tab", "shift+tab", "escape", "down", "up", "y", "a", "m", "backspace", "ctrl+p", "space")
]


@pytest.mark.parametrize("size", [(120, 30), (40, 10)])
@pytest.mark.parametrize("mode", ["interactive", "wall"])
async def test_escape_and_q_always_quit(fleet_factory: Any, mode: str, size: tuple[int, int]) -> None:
    fleet, contexts, _ = fleet_factory(read_only=True)
    rnd = random.Random(f"{mode}{size}")
    for _trial in range(4):
        cls = WallApp if mode == "wall" else RolloutApp
        app = cls(fleet, contexts, clock=FixedClock(FROZEN_AT), read_only=True)
        pressed = [rnd.choice(KEYS) for _ in range(30)]
        async with app.run_test(size=size) as pilot:
            await pilot.pause(0.3)
            if mode == "interactive":  # the reported trap: the filter box hidden while it has the focus
                box = app.query_one("#filter")
                box.display = True
                box.focus()
                await pilot.pause()
                box.display = False
            await pilot.press(*pressed)
            await pilot.pause(0.2)
            focused = app.focused
            assert focused is None or focused.display, f"hidden {focused} holds the focus after {pressed}"
            await pilot.press("escape", "escape", "escape", "q")
            await pilot.pause(0.3)
            assert app._exit, f"Esc and q did not quit after {pressed} (focus: {app.focused})"


async def test_focus_news_of_a_widget_already_removed_is_ignored(fleet_factory: Any) -> None:
    """A metric chart closed while its table was taking the focus: the focus event arrives for a
    widget without a screen (the soak's operator crashed the UI so)."""
    fleet, contexts, _ = fleet_factory(read_only=True)
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT), read_only=True)
    async with app.run_test(size=(120, 30)) as pilot:
        gone = DataTable(id="chart-table")
        gone.display = False
        app.post_message(events.DescendantFocus(gone))
        await pilot.pause(0.2)
        await pilot.press("q")
        await pilot.pause(0.2)
    assert app.return_code == 0
