"""The detail pane as the shell feeds it, over the simulator's real HTTP: which cluster it is in, in
every layout; "loading…" only while its watches list; keys that reach every section."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from detailhelpers import NOW, DetailApp
from uihelpers import running_fleet, screen_text, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.detail import DetailPane
from rollout_tui.ui.detail.tree import RevisionTree
from rollout_tui.ui.overview import OverviewTable
from rollout_tui.ui.screens.detail import DetailScreen
from rollout_tui.ui.wall_app import WallApp
from tests.ui.detail_scenes import STEPS, manifest, paused_shop, updating
from tests.ui.test_detail_live import _shop_rollout

CLOCK = FixedClock(NOW + timedelta(minutes=5))  # the simulated objects are from NOW onwards


@contextmanager
def two_clusters(tmp_path: Path) -> Iterator[tuple[Any, list[str]]]:
    """east and west, each a simulator serving the same paused rollout (frozen: no controller)."""
    with running_fleet(tmp_path, contexts=("east", "west"), load=[paused_shop(tmp_path)]) as (fleet, ctxs, _):
        yield fleet, ctxs


def _summary_title(app: Any) -> str:
    """The summary's first line: "Rollout  ⟳ default/shop  Canary  age 2m  cluster west"."""
    lines = screen_text(app).splitlines()
    return next((line for line in lines if "Rollout " in line and "default/shop" in line), "")


async def _select(app: RolloutApp, pilot: Any, key: str) -> None:
    table = app.query_one(OverviewTable)
    await wait_until(pilot, lambda: table.row_count == 2, what="both clusters' rows")
    assert table.select_key(key)
    await pilot.pause()


async def test_detail_says_which_cluster_in_the_wide_shell(tmp_path: Path) -> None:
    with two_clusters(tmp_path) as (fleet, contexts):
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(200, 50)) as pilot:
            await _select(app, pilot, "west/default/shop")
            await wait_until(pilot, lambda: _summary_title(app), what="the detail")
            assert "cluster west" in _summary_title(app), _summary_title(app)
            await _select(app, pilot, "east/default/shop")
            await wait_until(pilot, lambda: "cluster east" in _summary_title(app), what="east's detail")


async def test_detail_says_which_cluster_on_the_narrow_detail_screen(tmp_path: Path) -> None:
    with two_clusters(tmp_path) as (fleet, contexts):
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(80, 24)) as pilot:
            await _select(app, pilot, "west/default/shop")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen), what="the detail screen")
            await wait_until(pilot, lambda: _summary_title(app), what="the detail")
            assert "cluster west" in _summary_title(app), screen_text(app)


async def test_detail_says_which_cluster_on_the_wall(tmp_path: Path) -> None:
    with two_clusters(tmp_path) as (fleet, contexts):
        app = WallApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(200, 50)) as pilot:
            pane = app.query_one(DetailPane)
            await wait_until(pilot, lambda: pane.info is not None and _summary_title(app), what="the detail")
            shown = str(app.layout.showing).split("/")[0]  # the row key: context/namespace/name
            assert f"cluster {shown}" in _summary_title(app), _summary_title(app)


# ---- loading -------------------------------------------------------------------------------


def _bare_rollout(tmp_path: Path) -> Path:
    """A rollout nothing has acted on yet: no ReplicaSets, runs or events to list."""
    rollout = _shop_rollout()
    rollout["metadata"].update(uid="bare-uid", creationTimestamp="2026-01-15T12:00:00Z")
    manifest = tmp_path / "bare.yaml"
    manifest.write_text(yaml.safe_dump(rollout))
    return manifest


def _sections(app: Any) -> dict[str, str]:
    """The first line under each detail heading."""
    lines = [line.split("│")[-1].strip() for line in screen_text(app).splitlines()]
    return {h: lines[i + 1] for i, h in enumerate(lines) if h in ("Revisions", "Analysis", "Events")}


async def test_detail_says_loading_while_its_watches_list_then_what_is_really_there(tmp_path: Path) -> None:
    with running_fleet(tmp_path, load=[_bare_rollout(tmp_path)]) as (fleet, contexts, sims):
        sims[0].faults.set_latency(2.0)  # the detail's lists outlast the shell's 1 s wait for them
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(200, 50)) as pilot:
            await wait_until(pilot, lambda: _sections(app), timeout=15, what="the detail's sections")
            assert _sections(app) == {"Revisions": "loading…", "Analysis": "loading…", "Events": "loading…"}
            # Every list came back empty: no watch batch says so, the pane must find out anyway.
            empty = {
                "Revisions": "No ReplicaSets yet.",
                "Analysis": "No analysis runs.",
                "Events": "No events.",
            }
            await wait_until(pilot, lambda: _sections(app) == empty, timeout=15, what=str(empty))


# ---- keys ----------------------------------------------------------------------------------


def _headings(app: Any) -> set[str]:
    return {line.strip() for line in screen_text(app).splitlines()} & {"Revisions", "Analysis", "Events"}


async def _narrow_detail(app: RolloutApp, pilot: Any) -> None:
    await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 1, what="the row")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen), what="the detail screen")
    await wait_until(pilot, lambda: _summary_title(app), what="the detail")


async def test_narrow_detail_pagedown_and_end_reach_analysis_and_events(tmp_path: Path) -> None:
    with running_fleet(tmp_path, load=[paused_shop(tmp_path, analysis=True)]) as (fleet, contexts, _):
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(80, 24)) as pilot:
            await _narrow_detail(app, pilot)
            assert type(app.focused).__name__ == "RevisionTree"
            seen: set[str] = set()
            for _ in range(4):
                await pilot.press("pagedown")
                await pilot.pause()
                seen |= _headings(app)
            assert {"Analysis", "Events"} <= seen, seen
            await pilot.press("home")
            await pilot.pause()
            assert _summary_title(app) and "Events" not in _headings(app)
            await pilot.press("end")
            await pilot.pause()
            assert "Events" in _headings(app)


async def test_tab_in_the_detail_goes_from_the_tree_to_the_metric_rows_never_to_a_container(
    tmp_path: Path,
) -> None:
    with running_fleet(tmp_path, load=[paused_shop(tmp_path, analysis=True)]) as (fleet, contexts, _):
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(200, 50)) as pilot:  # wide: Tab from the table into the pane
            pane = app.query_one(DetailPane)
            await wait_until(pilot, lambda: pane.query("MetricRow"), what="the metric rows")
            assert isinstance(app.focused, OverviewTable)
            order = []
            for _ in range(3):
                await pilot.press("tab")
                await pilot.pause()
                order.append(type(app.focused).__name__)
            assert order == ["RevisionTree", "MetricRow", "OverviewTable"], order
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(80, 24)) as pilot:  # the narrow detail screen: round the pane
            await _narrow_detail(app, pilot)
            await wait_until(pilot, lambda: app.screen.query("MetricRow"), what="the metric rows")
            order = []
            for _ in range(2):
                await pilot.press("tab")
                await pilot.pause()
                order.append(type(app.focused).__name__)
            assert order == ["MetricRow", "RevisionTree"], order


async def test_narrow_detail_keeps_its_watch_and_focus_under_a_modal(tmp_path: Path) -> None:
    """A confirmation (or the metric chart) over the narrow detail screen: the detail's watch stays
    open behind it, so the chart follows live data, and afterwards nothing reloads ("loading…",
    a hidden body that takes focus away) and the keys still reach every section."""
    with running_fleet(tmp_path, load=[paused_shop(tmp_path, analysis=True)]) as (fleet, contexts, _):
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(80, 24)) as pilot:
            await _narrow_detail(app, pilot)
            watch = app.feed.watch
            assert watch is not None and type(app.focused).__name__ == "RevisionTree"
            await pilot.press("z")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen", what="dialog")
            await pilot.press("tab", "enter")  # confirmed: the rollout changes, the pane is fed
            await wait_until(pilot, lambda: "paused by hand" in screen_text(app), what="the pause")
            assert app.feed.watch is watch, "the detail's watch was closed and opened again"
            assert type(app.focused).__name__ == "RevisionTree", app.focused
            await pilot.press("end")
            await pilot.pause()
            assert "Events" in _headings(app)
            await pilot.press("m")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "MetricChartScreen", what="chart")
            await pilot.pause(0.3)
            assert app.feed.watch is watch  # the chart's data keeps coming


def _labels_above(tree: Any, node: Any) -> list[str]:
    return [tree.get_node_at_line(i).label.plain for i in range(node.line)]


async def test_a_paged_pane_stays_where_it_is_when_the_tree_changes_above_the_cursor() -> None:
    """The body follows the tree cursor when the operator moves it, not when a watch batch adds a
    node above it (which only shifts the cursor's line): PageDown/End must stick."""
    sim = updating(STEPS)
    sim.controller.tick(1)  # the canary has one pod
    app = DetailApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(DetailPane)
        sim.show(pane)
        await pilot.pause()
        tree = pane.query_one(RevisionTree)
        tree.focus()
        stable = tree.root.children[-1]
        tree.move_cursor(stable)  # the operator picks the old revision
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        body = pane.query_one("#detail-body")
        bottom, above = body.scroll_y, _labels_above(tree, stable)
        assert bottom > 0 and "Events" in _headings(app)
        # The canary grows a pod above the cursor (its first pod's "waiting ContainerCreating"
        # container line goes as it starts: the tree above changes, whatever the line count).
        sim.controller.tick(20)
        sim.show(pane)
        await pilot.pause()
        assert tree.cursor_node is stable and _labels_above(tree, stable) != above
        assert body.scroll_y == body.max_scroll_y, (body.scroll_y, body.max_scroll_y, bottom)
        assert "Events" in _headings(app)


async def test_the_paused_by_hand_hint_names_the_keys_of_the_config_keymap(tmp_path: Path) -> None:
    sim = updating(STEPS, ticks=2)
    sim.store.patch("rollouts", "default", "shop", {"spec": {"paused": True}}, "application/merge-patch+json")
    sim.controller.tick(1)
    with running_fleet(tmp_path, load=[manifest(sim, tmp_path / "paused.yaml")]) as (fleet, contexts, _):
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        app.use_keymap({"resume": "ctrl+r"})
        async with app.run_test(size=(200, 50)) as pilot:
            await wait_until(pilot, lambda: "paused by hand" in screen_text(app), what="the paused rollout")
            await wait_until(pilot, lambda: "resume: unpause" in screen_text(app), what="the hint")
            text = screen_text(app)
            assert "ctrl+r resume: unpause, stay at this step" in text, text
            assert "p promote: go on to " in text, text


async def test_wide_detail_stays_open_while_a_modal_is_being_pushed(tmp_path: Path) -> None:
    """Wide: a modal just pushed has no breakpoint class until its first resize. A detail refresh
    in that moment (a watch event) must not take "no -wide on the current screen" for "no detail
    on screen" and close the detail's watch behind the dialog, only to list it all again."""
    with running_fleet(tmp_path, load=[paused_shop(tmp_path)]) as (fleet, contexts, _):
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(200, 50)) as pilot:
            table = app.query_one(OverviewTable)
            await wait_until(pilot, lambda: table.row_count == 1, what="the row")
            await wait_until(pilot, lambda: app.feed.watch is not None, what="the detail's watch")
            watch = app.feed.watch
            app.action_help()
            assert not app.screen.has_class("-wide")  # the race this test is about
            app.refresh_detail()
            await wait_until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", what="help")
            await pilot.pause(0.2)
            assert app.feed.watch is watch, "the detail's watch was closed behind the modal"
