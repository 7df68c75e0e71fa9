"""Regenerate the README screenshots from the live demo fleet.

    python screenshots/make.py            # every screenshot
    python screenshots/make.py rings      # only those whose name starts with "rings"

Starts the in-process demo clusters (east, west, north) exactly as `rollout-tui --demo` does, runs
the app headless at fixed sizes and saves SVGs here once the interesting moments have happened (a
canary in analysis, a failed analysis that aborted, a blue-green waiting for promotion, the demo's
waves moving through the rings).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from textual.widgets import Input  # noqa: E402

from rollout_tui.kube.config import prepare  # noqa: E402
from rollout_tui.kube.fleet import Fleet  # noqa: E402
from rollout_tui.ui.app import RolloutApp  # noqa: E402
from rollout_tui.ui.demo import DEMO_CLUSTERS, demo_fleet, demo_rings  # noqa: E402
from rollout_tui.ui.overview import OverviewTable  # noqa: E402
from rollout_tui.ui.rings import RingsOptions, RingsScreen  # noqa: E402
from rollout_tui.ui.rings.demo import start_demo_waves  # noqa: E402
from rollout_tui.ui.rings.plan_screen import WavePlanScreen  # noqa: E402
from rollout_tui.ui.wall_app import WallApp  # noqa: E402

SPEED = 4.0  # simulated seconds per real second: the story unfolds in about a minute


def state_of(fleet: Fleet, context: str, namespace: str, name: str) -> Any:
    """The overview's state of a rollout (the overview keeps states, not objects), or None."""
    return fleet.rollout_state(context, namespace, name)


def wait(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.25)


ONLY = tuple(sys.argv[1:])  # name prefixes to shoot (none: all)


def wanted(name: str) -> bool:
    return not ONLY or name.startswith(ONLY)


async def shoot(
    fleet: Fleet,
    clock: Any,
    name: str,
    size: tuple[int, int],
    select: str | None = None,
    keys: tuple[str, ...] = (),
    wall: bool = False,
    settle: float = 1.5,
) -> None:
    if not wanted(name):
        return
    cls: Any = WallApp if wall else RolloutApp
    app = cls(fleet, list(DEMO_CLUSTERS), theme="textual-dark", clock=clock)
    async with app.run_test(size=size) as pilot:
        table = app.query_one(OverviewTable)
        deadline = time.monotonic() + 20
        while table.row_count == 0 and time.monotonic() < deadline:
            await pilot.pause(0.1)
        if select is not None:
            table.select_key(select)
            await pilot.pause(0.2)
            if size[0] < 140:
                await pilot.press("enter")
            await pilot.pause(settle)
            app.refresh_detail(force=True)
        if keys:
            await pilot.press(*keys)
        await pilot.pause(settle)
        app.save_screenshot(f"{name}.svg", path=str(HERE))
        print(f"screenshots/{name}.svg")


async def main() -> None:
    with demo_fleet(speed=SPEED) as (kubeconfig, sims):
        clock = sims[0].clock  # simulated time runs SPEED times faster than the wall clock
        fleet = Fleet(prepare(str(kubeconfig), list(DEMO_CLUSTERS)))
        fleet.start()
        try:
            fleet.wait_synced(30)
            if any(wanted(name) for name in ("rings", "wave")):
                await rings(fleet, clock)
            wait(
                lambda: bool(getattr(state_of(fleet, "east", "shop", "storefront"), "pause_reasons", ())),
                120,
                "storefront waiting for promotion",
            )
            wait(
                lambda: getattr(state_of(fleet, "east", "payments", "ledger"), "aborted", False),
                180,
                "ledger aborted",
            )
            await shoot(fleet, clock, "overview-120x40", (120, 40))
            await shoot(fleet, clock, "overview-80x24", (80, 24))
            await shoot(fleet, clock, "detail-failed-analysis-200x60", (200, 60), "east/payments/ledger")
            await shoot(fleet, clock, "metric-chart-200x60", (200, 60), "east/payments/ledger", keys=("m",))
            await shoot(
                fleet, clock, "confirm-promote-120x40", (120, 40), "east/shop/storefront", keys=("p",)
            )
            await shoot(fleet, clock, "help-80x24", (80, 24), keys=("question_mark",))
            wait(
                lambda: (getattr(state_of(fleet, "east", "shop", "checkout"), "step_index", None) or 0) >= 2,
                120,
                "checkout in analysis",
            )
            await shoot(fleet, clock, "detail-canary-200x60", (200, 60), "east/shop/checkout")
            await shoot(fleet, clock, "detail-canary-80x24", (80, 24), "east/shop/checkout")
            await shoot(fleet, clock, "wall-160x48", (160, 48), wall=True, settle=3.0)
        finally:
            fleet.stop()


def demo_moment(waves: dict[str, Any]) -> bool:
    """api's wave stopped in ring 0, frontend's baking in ring 1 or later."""
    api, frontend = waves.get("api"), waves.get("frontend")
    return (
        api is not None
        and api.wave.finished
        and frontend is not None
        and frontend.wave.ring >= 1
        and frontend.wave.phase == "baking"
    )


async def rings(fleet: Fleet, clock: Any) -> None:
    """The rings view while the demo's waves run: frontend past ring 0, api stopped in ring 0;
    then the plan of a wave of yours (api back to green, ring by ring)."""
    options = RingsOptions(demo_rings(), open_at_start=True, on_mount=start_demo_waves)
    app = RolloutApp(fleet, list(DEMO_CLUSTERS), theme="textual-dark", clock=clock, rings=options)
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 120
        views = app.rings.waves.views
        while time.monotonic() < deadline and not demo_moment(views()):
            await pilot.pause(0.2)
        if not demo_moment(views()):
            raise SystemExit("timed out waiting for the demo's waves")
        screen = app.screen
        assert isinstance(screen, RingsScreen)
        screen.select_app("frontend")
        await pilot.pause(1.0)
        if wanted("rings"):
            app.save_screenshot("rings-120x40.svg", path=str(HERE))
            print("screenshots/rings-120x40.svg")
        if wanted("wave"):
            screen.select_app("api")
            await pilot.press("w")
            await pilot.pause(0.5)
            app.screen.query_one(Input).value = "argoproj/rollouts-demo:green"
            await pilot.press("enter")
            deadline = time.monotonic() + 20
            while not isinstance(app.screen, WavePlanScreen) and time.monotonic() < deadline:
                await pilot.pause(0.1)
            await pilot.pause(0.5)
            app.save_screenshot("wave-plan-120x40.svg", path=str(HERE))
            print("screenshots/wave-plan-120x40.svg")


if __name__ == "__main__":
    asyncio.run(main())
