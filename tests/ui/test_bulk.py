"""Bulk actions: mark rows with space, then one confirmation for all of them and the outcome of each,
against simulated clusters over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from uihelpers import press, screen_text, wait_until

from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.bulk import BulkConfirmScreen, BulkResultScreen
from tests.kube.ringsim import CLUSTERS, GREEN, NAMESPACE, app_rollout, set_image, three_clusters


def paused_everywhere(c: Any) -> None:
    """frontend waits for promotion at step 1/2 in every cluster; api stays Healthy."""
    for cluster in CLUSTERS:
        set_image(c, cluster, "frontend", GREEN)
    assert c.run_until(lambda: all(c.stored(k)["status"].get("pauseConditions") for k in CLUSTERS), 120), (
        "frontend did not pause"
    )


def waiting_app() -> dict:
    rollout = app_rollout("frontend")
    rollout["spec"]["strategy"]["canary"]["steps"] = [{"setWeight": 50}, {"pause": {}}]
    return rollout


async def mark(pilot: Any, *keys: str) -> None:
    app = pilot.app
    for key in keys:
        assert app.table.select_key(key)
        await pilot.press("space")
    await pilot.pause()


async def test_promote_the_marked_rows_with_one_confirmation_and_each_outcome(tmp_path: Path) -> None:
    with three_clusters(tmp_path, apps=(waiting_app(), app_rollout("api"))) as c:
        paused_everywhere(c)
        fleet = c.fleet()
        app = RolloutApp(fleet, list(CLUSTERS), clock=c.clock)
        async with app.run_test(size=(140, 40)) as pilot:
            await wait_until(pilot, lambda: app.table.row_count == 6, what="rows")
            c.settle(fleet)
            await pilot.pause(0.5)
            await mark(pilot, "east/web/frontend", "west/web/frontend", "north/web/frontend", "east/web/api")
            assert "4 marked: p promote, z pause, x abort act on all of them" in screen_text(app)
            # someone else promotes north before this operator confirms
            c.sims["north"].store.patch(
                "rollouts",
                NAMESPACE,
                "frontend",
                {"status": {"pauseConditions": None}},
                "application/merge-patch+json",
                subresource="status",
            )
            await pilot.press("p")
            screen = await wait_until(pilot, lambda: isinstance(app.screen, BulkConfirmScreen) and app.screen)
            text = screen_text(app)
            assert f"east: promote {NAMESPACE}/frontend: end the pause at step 1/2 (pause)" in text
            assert "skipped east/web/api: all steps complete" in text
            assert len(screen.plan.proposals) == 3
            await press(pilot, "#confirm")
            await wait_until(pilot, lambda: isinstance(app.screen, BulkResultScreen), what="the outcomes")
            text = screen_text(app)
            assert "done    east/web/frontend: rollout 'frontend' promoted" in text
            assert "done    west/web/frontend: rollout 'frontend' promoted" in text
            assert "stale   north/web/frontend: changed since you looked" in text
            assert "skipped east/web/api: all steps complete" in text
            assert not app.bulk.marks
        for cluster in ("east", "west"):
            assert not c.stored(cluster)["status"].get("pauseConditions")


async def test_marks_show_on_the_rows_and_escape_clears_them(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        app = RolloutApp(c.fleet(), list(CLUSTERS), clock=c.clock, ascii_glyphs=True)
        async with app.run_test(size=(100, 20)) as pilot:
            await wait_until(pilot, lambda: app.table.row_count == 3, what="rows")
            await mark(pilot, "north/web/frontend")
            row = next(
                line for line in screen_text(app).splitlines() if "north" in line and "frontend" in line
            )
            assert row.startswith("* north web")  # the mark over the needs-me column, then CTX
            await pilot.press("space")  # the cursor moved down: this marks the next row
            assert app.bulk.marks == {"north/web/frontend", "west/web/frontend"}
            await pilot.press("escape")
            assert not app.bulk.marks and "marked" not in screen_text(app)


async def test_a_type_name_context_is_skipped_by_bulk_actions(tmp_path: Path) -> None:
    from rollout_tui.settings import parse_settings

    settings = parse_settings("contexts:\n  west:\n    confirm: type-name\n", "/etc/c.yaml")
    with three_clusters(tmp_path, apps=(waiting_app(),)) as c:
        paused_everywhere(c)
        fleet = c.fleet()
        app = RolloutApp(fleet, list(CLUSTERS), clock=c.clock, settings=settings)
        async with app.run_test(size=(140, 40)) as pilot:
            await wait_until(pilot, lambda: app.table.row_count == 3, what="rows")
            c.settle(fleet)
            await pilot.pause(0.5)
            await mark(pilot, "east/web/frontend", "west/web/frontend")
            await pilot.press("p")
            screen = await wait_until(pilot, lambda: isinstance(app.screen, BulkConfirmScreen) and app.screen)
            assert [p.context for p in screen.plan.proposals] == ["east"]
            assert (
                "skipped west/web/frontend: its context asks for the rollout's name to be typed"
                in screen_text(app)
            )
