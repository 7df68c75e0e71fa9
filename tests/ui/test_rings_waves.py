"""Waves started from the rings view, driven by Pilot against three simulated clusters over HTTP.

Simulated time moves on a thread (`Ticker`) while the app runs, as it would under a real wave:
the plan is shown and confirmed once, progress appears in the rings view as it happens, and a
crash-looping image stops the wave in ring 0 with rings 1 and 2 untouched.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Input
from uihelpers import press, screen_text, wait_until

from rollout_tui.model.ring_config import default_rings
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.rings import RingsOptions, RingsScreen
from rollout_tui.ui.rings.plan_screen import StopWaveScreen, WavePlanScreen
from rollout_tui.ui.screens.prompt import PromptScreen
from tests.kube.ringsim import APP, BLUE, CLUSTERS, CRASH, GREEN, Clusters, Ticker, three_clusters

BAKE = timedelta(seconds=30)


def make_app(c: Clusters) -> RolloutApp:
    fleet = c.fleet()
    app = RolloutApp(
        fleet,
        list(CLUSTERS),
        clock=c.clock,
        rings=RingsOptions(default_rings(CLUSTERS, BAKE), open_at_start=True),
    )
    app.rings.waves.poll = 0.01
    return app


async def plan_for(pilot: Any, image: str) -> WavePlanScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, RingsScreen) and app.screen.rows, what="rings")
    await pilot.press("w")
    await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen), what="the image prompt")
    box = app.screen.query_one(Input)
    assert box.value == BLUE  # what ring 0 runs is offered
    box.value = image
    await pilot.press("enter")
    return await wait_until(
        pilot, lambda: isinstance(app.screen, WavePlanScreen) and app.screen, what="the plan"
    )


async def test_the_plan_lists_every_write_and_enter_does_not_start_it(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        app = make_app(c)
        async with app.run_test(size=(120, 40)) as pilot:
            plan = await plan_for(pilot, GREEN)
            text = screen_text(app)
            for cluster in CLUSTERS:
                assert f"set image  {cluster}: set the image of container web of web/{APP} to {GREEN}" in text
            assert "on failure: stop (nothing is aborted)" in text and "closing the UI stops it" in text
            await pilot.press("enter")  # Cancel has the focus
            await wait_until(pilot, lambda: isinstance(app.screen, RingsScreen), what="back, nothing started")
            assert not app.rings.waves.views() and plan.plan.ok
        for cluster in CLUSTERS:
            assert c.stored(cluster)["spec"]["template"]["spec"]["containers"][0]["image"] == BLUE


async def test_a_crash_looping_wave_stops_in_ring_0_shown_in_the_rings_view(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        untouched = {k: c.stored(k)["metadata"]["resourceVersion"] for k in CLUSTERS[1:]}
        app = make_app(c)
        async with app.run_test(size=(120, 40)) as pilot:
            await plan_for(pilot, CRASH)
            await press(pilot, "#plan-abort")
            assert "on failure: abort the failing ring and stop" in screen_text(app)
            with Ticker(c):
                await press(pilot, "#confirm")
                await wait_until(
                    pilot,
                    lambda: APP in app.rings.waves.views() and app.rings.waves.views()[APP].wave.finished,
                    timeout=30,
                    what="the wave to stop",
                )
            screen = app.screen
            assert isinstance(screen, RingsScreen)
            screen.refresh_rows()
            await pilot.pause()
            text = screen_text(app)
            assert "ring 0 east: ring 0 (east) failed: east/web/frontend: new pods" in text
            assert "ring 0 east: east: rollout 'frontend' aborted" in text
            assert "stopped: ring 0 (east) failed" in text
        assert c.stored("east")["status"]["abort"] is True
        for cluster, version in untouched.items():
            assert c.stored(cluster)["metadata"]["resourceVersion"] == version


async def test_a_good_wave_shows_its_progress_ring_by_ring_until_done(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        app = make_app(c)
        async with app.run_test(size=(120, 40)) as pilot:
            await plan_for(pilot, GREEN)
            with Ticker(c, pace=0.03):  # slow enough for each step to stay in the log a while
                await press(pilot, "#confirm")
                await wait_until(
                    pilot,
                    lambda: "ring 1 west: starting: 1 write" in screen_text(app),
                    timeout=30,
                    what="ring 1",
                )
                await wait_until(
                    pilot,
                    lambda: "done: every ring healthy at green" in screen_text(app),
                    timeout=30,
                    what="done",
                )
            assert "ring 2 north: healthy at green: baking 30s" in screen_text(app)
        for cluster in CLUSTERS:
            assert c.stored(cluster)["spec"]["template"]["spec"]["containers"][0]["image"] == GREEN


async def test_stopping_a_wave_writes_nothing_more(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        north = c.stored("north")["metadata"]["resourceVersion"]
        app = make_app(c)
        async with app.run_test(size=(120, 40)) as pilot:
            await plan_for(pilot, GREEN)
            await press(pilot, "#confirm")
            views = app.rings.waves.views
            await wait_until(pilot, lambda: APP in views() and views()[APP].wave.ring == 0, what="started")
            with Ticker(c, pace=0.01):  # ring 0 rolls out and starts baking
                await wait_until(
                    pilot, lambda: views()[APP].wave.phase == "baking", timeout=30, what="baking"
                )
            await pilot.press("s")
            await wait_until(pilot, lambda: isinstance(app.screen, StopWaveScreen), what="asked")
            await press(pilot, "#confirm")
            await wait_until(pilot, lambda: views()[APP].wave.phase == "cancelled", what="cancelled")
            assert "cancelled: stopped by the operator" in views()[APP].transitions[-1].text
            c.advance(120)  # long past the bake: nothing more is written
            await pilot.pause(0.2)
        assert c.stored("west")["spec"]["template"]["spec"]["containers"][0]["image"] == BLUE
        assert c.stored("north")["metadata"]["resourceVersion"] == north


async def test_a_read_only_ui_shows_the_plan_refused_and_cannot_start_it(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        fleet = c.fleet(read_only=True)
        options = RingsOptions(default_rings(CLUSTERS, BAKE), open_at_start=True)
        app = RolloutApp(fleet, list(CLUSTERS), clock=c.clock, read_only=True, rings=options)
        async with app.run_test(size=(120, 40)) as pilot:
            plan = await plan_for(pilot, GREEN)
            assert not plan.plan.ok
            assert (
                "REFUSED    east/web/frontend: east is read-only, a wave cannot write there"
                in screen_text(app)
            )
            assert app.screen.query_one("#confirm").disabled


async def test_a_type_name_context_makes_the_plan_ask_for_the_apps_name(tmp_path: Path) -> None:
    from rollout_tui.settings import parse_settings

    settings = parse_settings("contexts:\n  west:\n    confirm: type-name\n", "/etc/c.yaml")
    with three_clusters(tmp_path) as c:
        options = RingsOptions(default_rings(CLUSTERS, BAKE), open_at_start=True)
        app = RolloutApp(c.fleet(), list(CLUSTERS), clock=c.clock, rings=options, settings=settings)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await plan_for(pilot, GREEN)
            assert screen.query_one("#confirm").disabled and f"Type {APP} to enable" in screen_text(app)
            screen.query_one("#plan-type-name", Input).value = APP
            await pilot.pause()
            assert not screen.query_one("#confirm").disabled


async def test_closing_the_ui_stops_its_wave(tmp_path: Path) -> None:
    """A wave started in the UI lives as long as the UI: once it closes, nothing more is written,
    though the clusters' time runs on past ring 0's bake."""
    with three_clusters(tmp_path) as c:
        west = c.stored("west")["metadata"]["resourceVersion"]
        app = make_app(c)
        views = app.rings.waves.views
        async with app.run_test(size=(120, 40)) as pilot:
            await plan_for(pilot, GREEN)
            await press(pilot, "#confirm")
            with Ticker(c, pace=0.01):
                await wait_until(
                    pilot,
                    lambda: APP in views() and views()[APP].wave.phase == "baking",
                    timeout=30,
                    what="baking",
                )
            await pilot.press("q")  # simulated time stands still: ring 0 is still baking
        deadline = time.monotonic() + 5  # the worker thread sees the stop at its next pass
        while not views()[APP].wave.finished and time.monotonic() < deadline:
            time.sleep(0.01)
        with Ticker(c, pace=0.01):
            bake_over = c.clock.now() + BAKE + timedelta(seconds=10)
            while c.clock.now() < bake_over:
                time.sleep(0.05)
        assert views()[APP].wave.phase == "cancelled" and "the UI closed" in views()[APP].wave.reason
        assert c.stored("west")["metadata"]["resourceVersion"] == west
