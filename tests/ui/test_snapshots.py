"""SVG snapshots of the shell's screens at 80x24 and 160x48.

Frozen simulator (fixtures, no controller), FixedClock: nothing on screen moves between runs.
Update after a reviewed change with ``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from uihelpers import FROZEN_AT, running_fleet, settled, shell_is_wide, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, list[str]]]:
    with running_fleet(Path(tmp_path_factory.mktemp("snap"))) as (fleet, contexts, _sims):
        yield fleet, contexts


def make_app(frozen: tuple[Any, list[str]]) -> RolloutApp:
    fleet, contexts = frozen
    return RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT), theme="textual-dark")


def footer_has(app: RolloutApp, description: str) -> bool:
    """Whether a footer on screen (under a modal too) shows that key: it recomposes after each
    change of what may be done, and a snapshot must not catch it in between."""
    from textual.widgets._footer import FooterKey

    keys = (key for screen in app.screen_stack for key in screen.query(FooterKey))
    return any(key.description == description for key in keys)


def select(key: str | None, open_detail: bool = False, then: tuple[str, ...] = ()) -> Any:
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10, what="rows")
        wide = await shell_is_wide(pilot)
        if key is not None:
            assert table.select_key(key)
            await pilot.pause()
            # Narrow: Enter opens the detail screen. Wide: the detail already sits beside the table
            # (Enter would only move focus into it, which under load can race the layout).
            if open_detail and not wide:
                await pilot.press("enter")
        if open_detail or wide:  # the detail must be complete, not half-loaded
            wanted = key or table.selected_key
            await wait_until(
                pilot, lambda: app.feed.watch is not None and app.feed.key == wanted, what="watch"
            )
            assert await asyncio.to_thread(app.feed.watch.wait_synced, 10)
            await pilot.pause(0.2)
            app.refresh_detail(force=True)
        if then:
            before = app.screen
            await pilot.press(*then)
            await wait_until(pilot, lambda: app.screen is not before, what="the screen the keys open")
        await wait_until(pilot, lambda: footer_has(app, "Quit"), what="the footer, recomposed")
        await pilot.wait_for_scheduled_animations()
        await settled(pilot)

    return run_before


CANARY = "sim/jesse-test/canary-demo"
BLUE_GREEN = "sim/jesse-test/bluegreen-demo"
FAILED = "sim/default/rollout-background-analysis"


@pytest.mark.parametrize("size", SIZES)
def test_overview(snap_compare: Any, frozen: Any, size: str) -> None:
    assert snap_compare(make_app(frozen), terminal_size=SIZES[size], run_before=select(None))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", [CANARY, BLUE_GREEN, FAILED], ids=["canary", "bluegreen", "failed-analysis"])
def test_detail(snap_compare: Any, frozen: Any, size: str, key: str) -> None:
    assert snap_compare(make_app(frozen), terminal_size=SIZES[size], run_before=select(key, open_detail=True))


@pytest.mark.parametrize("size", SIZES)
def test_metric_chart(snap_compare: Any, frozen: Any, size: str) -> None:
    assert snap_compare(make_app(frozen), terminal_size=SIZES[size], run_before=select(FAILED, True, ("m",)))


@pytest.mark.parametrize("size", SIZES)
def test_confirm_modal(snap_compare: Any, frozen: Any, size: str) -> None:
    assert snap_compare(
        make_app(frozen), terminal_size=SIZES[size], run_before=select(BLUE_GREEN, False, ("p",))
    )


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, frozen: Any, size: str) -> None:
    assert snap_compare(
        make_app(frozen), terminal_size=SIZES[size], run_before=select(None, False, ("question_mark",))
    )


# --- what needs me, at 80x24 with one and with two clusters, and at 200x60 --------------------------
# The hand-written glance fleet (tests/ui/glancefleet.py): a rollout in every attention state, so the
# marks, the reasons (Degraded, aborted, stuck, waiting, countdowns) and the header's counts show.
GLANCE = {
    "80x24-one-cluster": ((80, 24), ("sim",)),
    "80x24-two-clusters": ((80, 24), ("east", "west")),
    "200x60-one-cluster": ((200, 60), ("sim",)),
}


@pytest.fixture(scope="module")
def glance_fleets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, ...], Any]]:
    from glancefleet import write_glance_fleet

    root = Path(tmp_path_factory.mktemp("glance"))
    objects = write_glance_fleet(root / "objects")
    with (
        running_fleet(root / "one", load=[objects]) as (one, _, _),
        running_fleet(root / "two", contexts=("east", "west"), load=[objects]) as (two, _, _),
    ):
        yield {("sim",): one, ("east", "west"): two}


@pytest.mark.parametrize("case", GLANCE)
def test_overview_needs_me(snap_compare: Any, glance_fleets: Any, case: str) -> None:
    from glancefleet import GLANCE_CLOCK

    size, contexts = GLANCE[case]
    app = RolloutApp(glance_fleets[contexts], list(contexts), clock=GLANCE_CLOCK, theme="textual-dark")

    async def run_before(pilot: Any) -> None:
        table = pilot.app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 12 * len(contexts), what="rows")
        if await shell_is_wide(pilot):  # the detail of the first row, complete
            await wait_until(pilot, lambda: app.feed.watch is not None, what="watch")
            assert await asyncio.to_thread(app.feed.watch.wait_synced, 10)
            await pilot.pause(0.2)
            app.refresh_detail(force=True)
        await wait_until(pilot, lambda: footer_has(pilot.app, "Quit"), what="the footer")
        await pilot.wait_for_scheduled_animations()
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
