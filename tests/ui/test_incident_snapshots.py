"""SVG snapshots of the incident views at 80x24 and 200x60: the detail of a crash-looping canary,
its logs (previous run; stable beside canary when wide), the revision diff, the analysis in
full, the terminate confirmation, a router that disagrees, and a rollout's YAML.

The world runs on a manual clock nobody ticks here, the app on a FixedClock at the simulator's
now, so nothing moves between runs. The YAML comes from the frozen fixture cluster (its objects
keep their recorded uids). Update with ``--snapshot-update`` after looking at the screens.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from incidenthelpers import incident_world, make_app, open_rollout, put_cursor
from uihelpers import FROZEN_AT, running_fleet, settled, shell_is_wide, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable
from rollout_tui.ui.screens.logs_screen import LogsScreen

SIZES = {"80x24": (80, 24), "200x60": (200, 60)}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # The kubelet's messages name the pod's uid ("... in pod x_ns(uid)"): the simulator's uids are
    # drawn from a seeded generator here, so that the screens are the same on every run.
    rng = random.Random(13)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "rollout_tui.sim.registry.uuid.uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4)
        )
        with incident_world(Path(tmp_path_factory.mktemp("snapshots"))) as found:
            yield found


def steps(
    name: str, cursor: tuple[str, Callable[[Any], bool]] | None, keys: tuple[str, ...], settle: Any = None
) -> Any:
    async def run_before(pilot: Any) -> None:
        await open_rollout(pilot, name)
        await pilot.pause(0.3)
        pilot.app.refresh_detail(force=True)
        if cursor is not None:
            await put_cursor(pilot, *cursor)
        else:
            pilot.app.detail_pane().focus()  # the keys act on the detail (Tab, beside the table)
        if keys:
            before = pilot.app.screen
            await pilot.press(*keys)
            await wait_until(pilot, lambda: pilot.app.screen is not before, what="the screen the keys open")
        if settle is not None:
            await wait_until(pilot, lambda: settle(pilot.app), what="the screen to settle")
        await pilot.wait_for_scheduled_animations()
        await settled(pilot)

    return run_before


def canary_pod(data: Any) -> bool:
    return data.kind == "Pod" and data.ref.startswith("crash-7757")


def logs_ended(app: Any) -> bool:
    screen = app.screen
    return isinstance(screen, LogsScreen) and all(
        p.mux is not None and p.mux.state == "ended" for p in screen.log_panes
    )


@pytest.mark.parametrize("size", SIZES)
def test_crash_loop_detail(snap_compare: Any, world: Any, size: str) -> None:
    assert snap_compare(make_app(world), terminal_size=SIZES[size], run_before=steps("crash", None, ()))


@pytest.mark.parametrize("size", SIZES)
def test_crash_logs_previous(snap_compare: Any, world: Any, size: str) -> None:
    run = steps("crash", ("Pod", canary_pod), ("l", "p"), logs_ended)
    assert snap_compare(make_app(world), terminal_size=SIZES[size], run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_revision_diff(snap_compare: Any, world: Any, size: str) -> None:
    run = steps("crash", ("Revision", lambda d: d.revision == 2), ("d",))
    assert snap_compare(make_app(world), terminal_size=SIZES[size], run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_analysis_in_full(snap_compare: Any, world: Any, size: str) -> None:
    assert snap_compare(make_app(world), terminal_size=SIZES[size], run_before=steps("checked", None, ("a",)))


# The terminate confirmation has no snapshot: the tree under it lists pods whose names (drawn by
# the simulated controller in the order it reconciles) vary between runs of a shared world; its
# text and its patch are asserted in test_incident_views.py.


@pytest.mark.parametrize("size", SIZES)
def test_router_that_disagrees(snap_compare: Any, world: Any, size: str) -> None:
    assert snap_compare(make_app(world), terminal_size=SIZES[size], run_before=steps("routed", None, ()))


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with running_fleet(Path(tmp_path_factory.mktemp("frozen"))) as (fleet, contexts, _sims):
        yield fleet, contexts


@pytest.mark.parametrize("size", SIZES)
def test_rollout_yaml(snap_compare: Any, frozen: Any, size: str) -> None:
    fleet, contexts = frozen

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.select_key("sim/jesse-test/canary-demo"), what="the row")
        await pilot.pause()
        if not await shell_is_wide(pilot):
            await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: app.detail_pane() is not None and app.detail_pane().info is not None,
            what="the detail",
        )
        # Y shows the object as the detail's watches hold it: under load they may not have listed yet
        assert await asyncio.to_thread(app.feed.watch.wait_synced, 10)
        await put_cursor(pilot, "Revision")
        await pilot.press("Y")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "YamlScreen", what="the YAML")
        await pilot.press("slash", *"image", "enter")
        await pilot.pause(0.3)

    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT), theme="textual-dark")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
