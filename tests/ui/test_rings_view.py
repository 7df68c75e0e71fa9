"""The rings view: snapshots of four apps at four moments of a rollout across three clusters, and
what it says about stale and read-only clusters.

The clusters are simulated on one manual clock and then left still (no controller ticks while the
app runs): with a FixedClock at the simulators' time, nothing on screen moves between runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from uihelpers import screen_text, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.model.ring_config import default_rings
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.rings import RingsOptions, RingsScreen
from tests.kube.ringsim import CLUSTERS, STAGED_APPS, app_rollout, staged, three_clusters

SIZES = {"80x24": (80, 24), "200x60": (200, 60)}


@pytest.fixture(scope="module")
def still(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    apps = tuple(app_rollout(name) for name in STAGED_APPS)
    with three_clusters(Path(tmp_path_factory.mktemp("rings")), apps=apps) as c:
        staged(c)
        fleet = c.fleet(read_only_contexts=("north",))
        c.settle(fleet)
        yield c, fleet


def make_app(still: tuple[Any, Any]) -> RolloutApp:
    c, fleet = still
    options = RingsOptions(default_rings(CLUSTERS), open_at_start=True)
    return RolloutApp(
        fleet, list(CLUSTERS), clock=FixedClock(c.clock.now()), theme="textual-dark", rings=options
    )


async def rings_shown(pilot: Any) -> RingsScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, RingsScreen), what="the rings view")
    screen = app.screen
    await wait_until(pilot, lambda: len(screen.rows) == len(STAGED_APPS), what="every app")
    await pilot.pause(0.6)  # one refresh after the last batch
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_rings_view(snap_compare: Any, still: Any, size: str) -> None:
    async def run_before(pilot: Any) -> None:
        screen = await rings_shown(pilot)
        screen.select_app("frontend")
        await pilot.pause(0.2)

    assert snap_compare(make_app(still), terminal_size=SIZES[size], run_before=run_before)


async def test_each_app_says_what_comes_next(still: Any) -> None:
    app = make_app(still)
    async with app.run_test(size=(200, 40)) as pilot:
        screen = await rings_shown(pilot)
        text = screen_text(app)
        verdicts = {row.app: row.verdict.at(app.clock.now(), str) for row in screen.rows}
        assert verdicts["frontend"].startswith("ring 1 may start in ")
        # the overview's attention, which names what the canary's pods say (model.incident)
        assert verdicts["api"] == "ring 0 failing: east: canary pods failing: crash loop"
        assert verdicts["search"] == "holding: ring 2 read-only"
        assert verdicts["catalog"] == "every ring at green"
        assert "✔ green ◷9m12s" in text  # frontend in east: 48 s into its 10 m bake
        assert "ring 1 may start in 9m12s" in text


async def test_a_stale_cluster_is_shown_stale_never_healthy(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        fleet = c.fleet()
        app = RolloutApp(fleet, list(CLUSTERS), clock=c.clock, rings=RingsOptions(open_at_start=True))
        async with app.run_test(size=(120, 30)) as pilot:
            screen = await wait_until(pilot, lambda: isinstance(app.screen, RingsScreen) and app.screen)
            await wait_until(pilot, lambda: screen.rows, what="rows")
            c.sims["west"].stop()
            await wait_until(pilot, lambda: "? stale" in screen_text(app), timeout=20, what="west stale")
            (row,) = screen.rows
            assert not row.cells[1].healthy and row.cells[1].stale.startswith("west ")
            assert "may start" not in screen_text(app).split("frontend", 1)[1].splitlines()[0]
