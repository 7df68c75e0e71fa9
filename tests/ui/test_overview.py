"""Overview against a simulator over real HTTP: rows, navigation, filter, quick filters, sort, scope."""

from __future__ import annotations

from typing import Any

from uihelpers import FROZEN_AT, screen_text, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable


def make_app(fleet: Any, contexts: list[str], **kwargs: Any) -> RolloutApp:
    return RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT), **kwargs)


def names(app: RolloutApp) -> list[str]:
    return [app.view.entries[k].state.name for k in app.query_one(OverviewTable).keys]


async def test_rows_navigation_filter_and_sort(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory()
    app = make_app(fleet, contexts)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10, what="10 rollouts")
        text = screen_text(app)
        assert "bluegreen-demo" in text and "rollout-background-a" in text
        assert "sim" in text.splitlines()[0] and "live" in text.splitlines()[0]
        first = table.selected_key
        await pilot.press("down", "down")
        moved = table.selected_key
        assert moved != first

        await pilot.press("slash", *"pingpong")
        await wait_until(pilot, lambda: names(app) == ["canary-demo-pingpong"], what="filtered to pingpong")
        assert "filter: pingpong" in screen_text(app).splitlines()[0]
        await pilot.press("escape")
        await wait_until(pilot, lambda: table.row_count == 10, what="filter cleared")
        assert table.selected_key == "sim/jesse-test/canary-demo-pingpong"  # cursor stays on its rollout
        moved = table.selected_key

        await pilot.press("slash", *'!canary, "bluegreen-demo"')
        await wait_until(pilot, lambda: names(app) == ["bluegreen-demo"], what="exact + negation")
        await pilot.press("enter", "escape")

        await pilot.press("exclamation_mark")  # needs attention: degraded, paused awaiting promotion...
        await wait_until(pilot, lambda: app.table_query.quick == "attention")
        assert set(names(app)) >= {"bluegreen-demo", "rollout-background-analysis"}
        await pilot.press("exclamation_mark")
        await wait_until(pilot, lambda: table.row_count == 10)

        moved = table.selected_key
        await pilot.press("o", "o")  # needs-me first (the default) -> namespace -> name
        await wait_until(pilot, lambda: app.table_query.sort == "name")
        assert names(app) == sorted(names(app))
        await pilot.press("O")
        await wait_until(pilot, lambda: names(app) == sorted(names(app), reverse=True), what="reversed")
        assert table.selected_key == moved
        # A reorder repaints the lines that changed: each line on screen shows the rollout at its position.
        await pilot.pause()
        lines = screen_text(app).splitlines()
        first = next(i for i, line in enumerate(lines) if "NAMESPACE" in line) + 1
        for index in range(table.row_count):
            drawn = "".join(cell.plain for cell in table.row_cells(index)).rstrip()
            assert lines[first + index].strip().startswith(drawn.strip()[:60])


async def test_namespace_and_context_switching(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory(contexts=("east", "west"))
    app = make_app(fleet, contexts)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 20, what="both clusters")
        assert screen_text(app).splitlines()[0].rstrip().endswith("· live")  # every context live
        await pilot.press("n")  # picker: "all namespaces", default, jesse-test
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: app.table_query.namespace == "default")
        assert {app.view.entries[k].state.namespace for k in table.keys} == {"default"}
        assert table.row_count == 4
        await pilot.press("c", "down", "down", "enter")  # context picker: all, east, west
        await wait_until(pilot, lambda: app.table_query.context == "west")
        assert table.row_count == 2 and all(k.startswith("west/") for k in table.keys)
        app.change_query(namespace="", context="")
        await wait_until(pilot, lambda: table.row_count == 20)


async def test_command_palette_switches_namespace(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory()
    app = make_app(fleet, contexts)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 10)
        await pilot.press("ctrl+p", *"Namespace: default")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.table_query.namespace == "default", what="palette command ran")
        assert app.query_one(OverviewTable).row_count == 2


async def test_ascii_glyphs(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory()
    app = make_app(fleet, contexts, ascii_glyphs=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 10)
        await pilot.pause(0.5)
        text = screen_text(app)
        assert "x Degraded" in text and "= Paused" in text
        assert not any(ch in text for ch in "✖॥✔◌·—")


async def test_detail_watch_follows_the_selection(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory()
    app = make_app(fleet, contexts)
    async with app.run_test(size=(160, 40)) as pilot:  # wide: the detail sits beside the table
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10)
        await wait_until(pilot, lambda: app.feed.watch is not None, what="a watch for the first rollout")
        first = app.feed.watch
        await pilot.press("down")
        await wait_until(
            pilot,
            lambda: app.feed.watch is not None and app.feed.watch is not first,
            what="a watch for the next rollout",
        )
        assert first.closed and not app.feed.watch.closed
        assert app.feed.key == table.selected_key
    assert app.feed.watch is None  # closed on exit


async def test_narrow_detail_screen_opens_and_closes_its_watch(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory()
    app = make_app(fleet, contexts)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10)
        assert table.select_key("sim/jesse-test/bluegreen-demo")
        await pilot.pause()
        assert app.feed.watch is None  # nothing watched for a row merely highlighted on a narrow screen
        await pilot.press("enter")
        await wait_until(pilot, lambda: "revision" in screen_text(app), what="detail screen with its tree")
        watch = app.feed.watch
        await pilot.press("escape")
        await wait_until(pilot, lambda: watch.closed, what="watch closed with the screen")
        assert app.screen is app.default_screen


async def test_mouse_header_sorts_and_a_second_click_on_a_row_opens_it(fleet_factory: Any) -> None:
    from rollout_tui.ui.screens.detail import DetailScreen

    fleet, contexts, _ = fleet_factory()
    app = make_app(fleet, contexts)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10)
        keys = [column.key for column in table.table_columns]  # the needs-me mark, NAMESPACE, NAME...
        name_x = sum(column.width for column in table.table_columns[: keys.index("name")]) + 2
        await pilot.click(OverviewTable, offset=(name_x, 0))
        await wait_until(pilot, lambda: app.table_query.sort == "name", what="sorted by the clicked column")
        assert names(app) == sorted(names(app))
        await pilot.click(OverviewTable, offset=(name_x, 3))  # line 3: the third row
        assert table.cursor_row == 2 and not isinstance(app.screen, DetailScreen)
        await pilot.click(OverviewTable, offset=(name_x, 3))
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen), what="the detail of that row")
        assert app.selected_entry is not None and app.selected_entry.key == table.keys[2]
