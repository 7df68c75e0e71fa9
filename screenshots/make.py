"""Regenerate the README screenshots from the live demo fleet.

    python screenshots/make.py

Starts the two in-process demo clusters (east, west) exactly as `rollout-tui --demo` does, runs the
app headless at fixed sizes and saves SVGs here once the interesting moments have happened (a
canary in analysis, a failed analysis that aborted, a blue-green waiting for promotion).
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

from rollout_tui.kube.config import prepare  # noqa: E402
from rollout_tui.kube.fleet import Fleet  # noqa: E402
from rollout_tui.ui.app import RolloutApp  # noqa: E402
from rollout_tui.ui.demo import DEMO_CLUSTERS, demo_fleet  # noqa: E402
from rollout_tui.ui.overview import OverviewTable  # noqa: E402
from rollout_tui.ui.wall_app import WallApp  # noqa: E402

SPEED = 4.0  # simulated seconds per real second: the story unfolds in about a minute


def status_of(fleet: Fleet, context: str, namespace: str, name: str) -> dict:
    obj = fleet.rollout(context, namespace, name) or {}
    return obj.get("status") or {}


def wait(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.25)


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
            app._refresh_detail(force=True)
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
            wait(
                lambda: status_of(fleet, "east", "shop", "storefront").get("pauseConditions") is not None,
                120,
                "storefront waiting for promotion",
            )
            wait(
                lambda: status_of(fleet, "east", "payments", "ledger").get("abort") is True,
                180,
                "ledger aborted",
            )
            await shoot(fleet, clock, "overview-120x40", (120, 40))
            await shoot(fleet, clock, "overview-80x24", (80, 24))
            await shoot(fleet, clock, "detail-failed-analysis-200x60", (200, 60), "east/payments/ledger")
            await shoot(
                fleet, clock, "metric-chart-200x60", (200, 60), "east/payments/ledger", keys=("tab", "m")
            )
            await shoot(
                fleet, clock, "confirm-promote-120x40", (120, 40), "east/shop/storefront", keys=("p",)
            )
            await shoot(fleet, clock, "help-80x24", (80, 24), keys=("question_mark",))
            wait(
                lambda: (status_of(fleet, "east", "shop", "checkout").get("currentStepIndex") or 0) >= 2,
                120,
                "checkout in analysis",
            )
            await shoot(fleet, clock, "detail-canary-200x60", (200, 60), "east/shop/checkout")
            await shoot(fleet, clock, "detail-canary-80x24", (80, 24), "east/shop/checkout")
            await shoot(fleet, clock, "wall-160x48", (160, 48), wall=True, settle=3.0)
        finally:
            fleet.stop()


if __name__ == "__main__":
    asyncio.run(main())
