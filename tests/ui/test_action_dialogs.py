"""What the action dialogs ask and say: undo refuses a revision the rollout does not have (or
already runs) before asking to confirm anything, in the wide shell and on a narrow terminal alike;
the confirmations call a revision a revision and do not say "retried" in the Retry dialog. The
simulator runs without a controller, so its store holds exactly what the UI wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from uihelpers import running_fleet, screen_text, wait_until

from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable
from rollout_tui.ui.screens.confirm import ConfirmScreen
from rollout_tui.ui.screens.prompt import PromptScreen
from tests.ui.detail_scenes import aborted_shop, paused_shop
from tests.ui.test_detail_shell import CLOCK


def toasts(app: RolloutApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _undo_to(app: RolloutApp, pilot: Any, revision: str) -> None:
    table = app.query_one(OverviewTable)
    await wait_until(pilot, lambda: table.row_count == 1, what="the shop row")
    await pilot.press("u")
    await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen), what="which revision?")
    await pilot.press("backspace", *revision, "enter")


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["narrow", "wide"])
async def test_undo_refuses_a_revision_that_does_not_exist_before_confirming(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    with running_fleet(tmp_path, load=[paused_shop(tmp_path)]) as (fleet, contexts, sims):
        before = sims[0].store.get("rollouts", "default", "shop")["metadata"]["resourceVersion"]
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=size) as pilot:
            if size[0] >= 140:  # the operator reads the detail's revisions before typing one
                await wait_until(
                    pilot,
                    lambda: (info := app.query_one("#detail").info) is not None and len(info.revisions) == 2,
                    what="the detail's revisions",
                )
            await _undo_to(app, pilot, "99")
            await wait_until(pilot, lambda: any("revision 99" in t for t in toasts(app)), what="the refusal")
            assert not isinstance(app.screen, ConfirmScreen)
            refusal = next(t for t in toasts(app) if "revision 99" in t)
            assert "unable to find specified revision 99 in history" in refusal, refusal
            if size[0] >= 140:  # the detail beside the table knows the revisions there are
                assert "(revisions: 2, 1)" in refusal, refusal
            # the current revision is refused as the plugin refuses it: nothing to roll back
            await _undo_to(app, pilot, "2")
            await wait_until(pilot, lambda: any("matches revision 2" in t for t in toasts(app)), what="no-op")
            assert not isinstance(app.screen, ConfirmScreen)
            # a revision that exists goes on to the confirmation
            await _undo_to(app, pilot, "1")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
            assert "back to revision 1" in app.screen.proposal.text
        after = sims[0].store.get("rollouts", "default", "shop")["metadata"]["resourceVersion"]
        assert after == before  # nothing was written


def _dialog_text(app: RolloutApp) -> str:
    return " ".join(line.strip(" ▊▎▌┃│") for line in screen_text(app).splitlines())


async def test_retry_dialog_does_not_promise_it_is_never_retried(tmp_path: Path) -> None:
    with running_fleet(tmp_path, load=[aborted_shop(tmp_path)]) as (fleet, contexts, _):
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 1, what="the row")
            await pilot.press("y")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the Retry dialog")
            said = _dialog_text(app)
            assert "Retry?" in said and "retry default/shop" in said, said
            assert "retried" not in said.lower().replace("retry?", ""), said


async def test_promote_fully_dialog_names_the_revision_not_its_pod_hash(tmp_path: Path) -> None:
    with running_fleet(tmp_path, load=[paused_shop(tmp_path)]) as (fleet, contexts, sims):
        pod_hash = sims[0].store.get("rollouts", "default", "shop")["status"]["currentPodHash"]
        app = RolloutApp(fleet, contexts, clock=CLOCK)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 1, what="the row")
            await pilot.press("P")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the dialog")
            text = app.screen.proposal.text
            assert f"make revision 2 ({pod_hash}) stable" in text, text
            assert f"revision {pod_hash}" not in text, text
