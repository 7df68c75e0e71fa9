"""The rings view and its wave plan built from a config file, as the launcher builds them, against
three simulated clusters over HTTP: the file's ring names, bakes and app-label."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from uihelpers import screen_text, wait_until

from rollout_tui.cli import parse
from rollout_tui.settings import parse_settings
from rollout_tui.ui.launch import build_app
from rollout_tui.ui.rings import RingsScreen
from rollout_tui.ui.rings.plan_screen import WavePlanScreen
from rollout_tui.ui.screens.prompt import PromptScreen
from tests.kube.ringsim import CLUSTERS, GREEN, NAMESPACE, app_rollout, three_clusters

CONFIG = """\
app-label: app.kubernetes.io/name
ring-bake: 5m
rings:
  - name: canary
    contexts: [east]
    bake: 15m
  - name: wide
    contexts: [west, north]
"""


async def test_the_config_files_rings_group_by_label_and_plan_the_wave(tmp_path: Path) -> None:
    settings = parse_settings(CONFIG, str(tmp_path / "config.yaml"))
    # storefront is the app "shop" by its label; the rollout merely named shop is no app here
    apps = (app_rollout("storefront", labels={"app.kubernetes.io/name": "shop"}), app_rollout("shop"))
    with three_clusters(tmp_path, apps=apps) as c:
        app = build_app(c.fleet(), list(CLUSTERS), parse(["--rings"]), settings, clock=c.clock)
        async with app.run_test(size=(160, 40)) as pilot:
            screen = await wait_until(pilot, lambda: isinstance(app.screen, RingsScreen) and app.screen)
            await wait_until(pilot, lambda: screen.rows, what="rows")
            assert [row.app for row in screen.rows] == ["shop"]
            (row,) = screen.rows
            assert [sorted(m.where for m in cell.members) for cell in row.cells] == [
                [f"east/{NAMESPACE}/storefront"],
                [f"north/{NAMESPACE}/storefront", f"west/{NAMESPACE}/storefront"],
            ]
            await wait_until(pilot, lambda: "0 canary (15m)" in screen_text(app), what="the ring headings")
            assert "1 wide (5m)" in screen_text(app)
            await pilot.press("w")
            await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen), what="the image prompt")
            app.screen.query_one(Input).value = GREEN
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, WavePlanScreen), what="the plan")
            plan = screen_text(app)
            assert "ring 0 canary (east)  bake 15m" in plan and "ring 1 wide (west+north)  bake 5m" in plan
            for cluster in CLUSTERS:
                assert f"set image  {cluster}: set the image of container web of {NAMESPACE}/storefront" in plan
            assert f"{NAMESPACE}/shop " not in plan
