"""What needs me, first-class: the mark and the reason in each row, countdowns that tick in their
own row only, header counts by attention for exactly the rows shown, and a wall banner that counts
what the header counts (issue 10: "needs me", defects 2 and 3)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from glancefleet import GLANCE_CLOCK, NOW, write_glance_fleet
from uihelpers import screen_text, wait_until

from rollout_tui.model.attention import attention
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable
from rollout_tui.ui.wall import WallBanner
from rollout_tui.ui.wall_app import WallApp


class SteppedClock:
    """A clock the test moves by hand (the app only ever asks `now()`)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def glance(fleet_factory: Any, tmp_path: Path, **kwargs: Any) -> tuple[Any, list[str], list[Any]]:
    return fleet_factory(load=[write_glance_fleet(tmp_path / "objects")], **kwargs)


def rows_by_name(app: RolloutApp) -> dict[str, str]:
    """Each table line as the operator reads it, by rollout name (the screen under the header)."""
    lines = screen_text(app).splitlines()[2:]
    out = {}
    for entry, line in zip(app.visible_entries, lines, strict=False):
        out[entry.state.name] = line
    return out


def header(app: RolloutApp) -> str:
    return screen_text(app).splitlines()[0]


async def test_each_row_shows_its_needs_me_mark_and_its_reason(fleet_factory: Any, tmp_path: Path) -> None:
    fleet, contexts, _ = glance(fleet_factory, tmp_path)
    app = RolloutApp(fleet, contexts, clock=GLANCE_CLOCK)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 12, what="12 rollouts")
        await pilot.pause(0.3)
        rows = rows_by_name(app)
        expected = {
            "ledger": ("!", 'aborted: Metric "error-rate" assessed'),
            "cart": ("!", "ProgressDeadlineExceeded: ReplicaSet"),
            "uploader": ("!", "stuck: no progress for over 10m"),
            "fraud-model": ("?", "inconclusive analysis: promote or abort"),
            "search-api": ("?", "paused by hand"),
            "checkout": ("?", "waiting for promotion at step 3/8"),
            "storefront": ("?", "waiting for promotion"),
            "config-api": (" ", "auto-promotion in 25s"),
            "gateway": (" ", "analysis running"),
            "indexer": (" ", "pause ends in 4m12s"),
        }
        for name, (mark, reason) in expected.items():
            assert rows[name].startswith(f"{mark} "), rows[name]
            assert reason in rows[name], rows[name]
        # the needs-me first sort: the seven marked rows come first
        assert [line[0] for line in rows.values()] == list("!!!????     ")
        for entry in app.visible_entries:  # every row says what the model says, nothing derived
            assert attention(entry.state, NOW).line(NOW)[:20] in rows[entry.state.name]


async def test_countdown_ticks_in_its_own_row_only(fleet_factory: Any, tmp_path: Path) -> None:
    fleet, contexts, _ = glance(fleet_factory, tmp_path)
    clock = SteppedClock(NOW)
    app = RolloutApp(fleet, contexts, clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 12, what="12 rollouts")
        await pilot.pause(0.3)
        before = dict(table._cells)
        clock.at = NOW + timedelta(seconds=1)
        await wait_until(pilot, lambda: "pause ends in 4m11s" in screen_text(app), what="the tick")
        ticking = {"sim/search/indexer", "sim/platform/config-api"}
        assert "auto-promotion in 24s" in rows_by_name(app)["config-api"]
        for key, cells in table._cells.items():  # the others keep their very cells: not repainted
            assert (cells is before[key]) == (key not in ticking), key


async def test_header_counts_what_needs_you_apart_from_what_carries_on(
    fleet_factory: Any, tmp_path: Path
) -> None:
    fleet, contexts, _ = glance(fleet_factory, tmp_path)
    app = RolloutApp(fleet, contexts, clock=GLANCE_CLOCK)
    async with app.run_test(size=(200, 30)) as pilot:
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 12)
        counts = (
            "12 rollouts · 7 need you (2 failing, 1 stuck, 4 waiting) · 3 on their way · 2 healthy · live"
        )
        await wait_until(pilot, lambda: counts in header(app), what=counts)


async def test_header_counts_follow_namespace_context_and_filter(fleet_factory: Any, tmp_path: Path) -> None:
    fleet, contexts, _ = glance(fleet_factory, tmp_path, contexts=("east", "west"))
    app = RolloutApp(fleet, contexts, clock=GLANCE_CLOCK)
    async with app.run_test(size=(200, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 24, what="both clusters", timeout=30)
        app.change_query(context="west")
        await wait_until(
            pilot, lambda: "12 rollouts · 7 need you" in header(app), what="one context", timeout=30
        )
        app.change_query(namespace="shop")
        await wait_until(pilot, lambda: table.row_count == 3, timeout=30)
        shop = "3 rollouts · 3 need you (1 failing, 2 waiting) · live"
        await wait_until(pilot, lambda: shop in header(app), what=shop, timeout=30)
        app.change_query(text="check")
        await wait_until(pilot, lambda: table.row_count == 1, what="filtered to checkout", timeout=30)
        # the counts are the rows shown, and what the filter hides of what needs you is said
        check = "1 of 3 shown · 1 needs you (1 waiting) (+2 hidden by the filter) · live"
        await wait_until(pilot, lambda: check in header(app), what=check, timeout=30)


async def test_wall_banner_counts_what_the_header_counts(fleet_factory: Any, tmp_path: Path) -> None:
    fleet, contexts, sims = glance(fleet_factory, tmp_path, read_only=True)
    app = WallApp(fleet, contexts, clock=GLANCE_CLOCK)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(pilot, lambda: app.layout.showing == "sim/payments/ledger", what="worst first")

        def banner() -> str:
            return str(app.query_one(WallBanner)._last)

        def counts() -> tuple[str, str]:
            """(the banner's "of N", the header's N) of what needs a human."""
            of = re.search(r"\d+/(\d+) need", banner())
            needs = re.search(r"(\d+) need", header(app))
            return (of.group(1) if of else "?", needs.group(1) if needs else "-")

        assert counts() == ("7", "7")

        def recovered(obj: dict) -> None:
            obj["status"].update(phase="Healthy", abort=False, message="", stableRS="6f8d9c7b5")

        sims[0].store.mutate("rollouts", "payments", "ledger", recovered, subresource="status")
        await wait_until(pilot, lambda: "6 need" in header(app), what="ledger recovered")
        await pilot.pause(0.3)
        assert "HEALTHY" not in banner() and "ledger" not in banner()  # it moved on at once
        assert counts() == ("6", "6")


@pytest.mark.parametrize("contexts", [("sim",), ("east", "west")], ids=["one-cluster", "two-clusters"])
async def test_at_200_columns_each_reason_is_whole_beside_the_detail(
    fleet_factory: Any, tmp_path: Path, contexts: tuple[str, ...]
) -> None:
    """The table kept 91 columns however wide the screen, so at 200x60 "waiting for promotion at
    ste…" and "inconclusive analysis: promo…" lost their point while the detail had room to spare;
    with two clusters READY and AGE kept their cells while a reason was cut."""
    fleet, names, _ = glance(fleet_factory, tmp_path, contexts=contexts)
    app = RolloutApp(fleet, names, clock=GLANCE_CLOCK)
    async with app.run_test(size=(200, 60)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 12 * len(contexts), what="rows", timeout=30)
        await pilot.pause(0.3)
        rows = rows_by_name(app)
        assert "waiting for promotion at step 3/8 " in rows["checkout"]
        assert "inconclusive analysis: promote or abort " in rows["fraud-model"]
        assert 'aborted: Metric "error-rate" assessed' in rows["ledger"]
        assert app.query_one("#detail").region.width >= 80  # the detail keeps a readable width
