"""`--rings [RINGS]` and `--bake` on the UI's command line, the config file's rings, and the demo's
rings; the rings view and a wave's plan as the launcher builds them from a config file, against
three simulated clusters over HTTP."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input
from uihelpers import screen_text, wait_until

from rollout_tui.cli import parse
from rollout_tui.settings import parse_settings
from rollout_tui.ui.launch import LaunchError, build_app, rings_options
from rollout_tui.ui.rings import RingsScreen
from rollout_tui.ui.rings.plan_screen import WavePlanScreen
from rollout_tui.ui.screens.prompt import PromptScreen
from rollout_tui.ui.settings_check import problems
from tests.kube.ringsim import CLUSTERS, GREEN, NAMESPACE, app_rollout, three_clusters

CONTEXTS = ["east", "west", "north"]


def test_without_rings_the_view_is_one_ring_per_context_and_not_opened() -> None:
    options = rings_options(parse([]), CONTEXTS)
    assert options.open_at_start is False and options.on_mount is None
    assert [r.contexts for r in options.config.rings] == [("east",), ("west",), ("north",)]
    assert {r.bake for r in options.config.rings} == {timedelta(minutes=10)}


def test_rings_and_bake_from_the_flags() -> None:
    options = rings_options(parse(["--rings", "canary=east,wide=west+north", "--bake", "90s"]), CONTEXTS)
    assert options.open_at_start is True
    assert [(r.name, r.contexts, r.bake) for r in options.config.rings] == [
        ("canary", ("east",), timedelta(seconds=90)),
        ("wide", ("west", "north"), timedelta(seconds=90)),
    ]
    assert rings_options(parse(["--rings"]), CONTEXTS).open_at_start is True


def test_the_demo_bakes_briefly_and_starts_its_waves() -> None:
    options = rings_options(parse(["--demo"]), CONTEXTS)
    assert options.on_mount is not None and {r.bake for r in options.config.rings} == {timedelta(seconds=40)}


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        (["--rings", "east,south"], "no context 'south'"),
        (["--rings", "east,east"], "in two rings"),
        (["--bake", "soon"], "--bake 'soon'"),
    ],
)
def test_bad_rings_or_bake_are_one_line(argv: list[str], why: str) -> None:
    with pytest.raises(LaunchError, match=why):
        rings_options(parse(argv), CONTEXTS)


RINGS_FILE = """\
app-label: app.kubernetes.io/name
ring-bake: 5m
rings:
  - name: canary
    contexts: [east]
    bake: 15m
  - name: wide
    contexts: [west, north]
"""


def test_the_config_files_rings_unless_the_flags_say_otherwise() -> None:
    settings = parse_settings(RINGS_FILE, "/etc/c.yaml")
    options = rings_options(parse([]), CONTEXTS, settings)
    assert [(r.name, r.contexts, r.bake) for r in options.config.rings] == [
        ("canary", ("east",), timedelta(minutes=15)),
        ("wide", ("west", "north"), timedelta(minutes=5)),
    ]
    assert options.config.app_label == "app.kubernetes.io/name"
    baked = rings_options(parse(["--bake", "1m"]), CONTEXTS, settings)
    assert {r.bake for r in baked.config.rings} == {timedelta(minutes=1)}
    flagged = rings_options(parse(["--rings", "east,west"]), CONTEXTS, settings)
    assert [r.name for r in flagged.config.rings] == ["east", "west"]
    assert flagged.config.app_label == "app.kubernetes.io/name" and flagged.config.rings[0].bake == timedelta(
        minutes=5
    )
    # --context flags name the rings, in their order; the file's app-label and ring-bake still hold
    named = rings_options(parse(["--context", "west", "--context", "east"]), ["west", "east"], settings)
    assert [(r.name, r.bake) for r in named.config.rings] == [
        ("west", timedelta(minutes=5)),
        ("east", timedelta(minutes=5)),
    ]
    assert named.config.app_label == "app.kubernetes.io/name"


def test_a_bad_ring_in_the_config_file_is_an_error_with_its_line() -> None:
    settings = parse_settings("theme: nord\nrings:\n  - contexts: []\n", "/etc/c.yaml")
    errors, _ = problems(settings)
    assert errors == ["config /etc/c.yaml line 2: rings[0].contexts: at least one context"]
    bake = parse_settings("ring-bake: soon\n", "/etc/c.yaml")
    assert problems(bake)[0] == [
        "config /etc/c.yaml line 1: ring-bake: a duration such as 10m, 90s or 1h (not 'soon')"
    ]


async def test_the_config_files_rings_group_by_label_and_plan_the_wave(tmp_path: Path) -> None:
    settings = parse_settings(RINGS_FILE, str(tmp_path / "config.yaml"))
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
                assert (
                    f"set image  {cluster}: set the image of container web of {NAMESPACE}/storefront" in plan
                )
            assert f"{NAMESPACE}/shop " not in plan
