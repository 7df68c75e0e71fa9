"""The detail's step progress tells the truth the controller leaves behind: step numbers agree
everywhere, a step a promote jumped over is skipped (not passed), the step whose analysis failed is
the failed one (an abort sends currentStepIndex back to 0), a completed rollout's traffic is all on
the stable. Objects come from the simulated controller (tests/ui/test_detail_pane.SimCluster).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from detailhelpers import DetailApp, pane_text
from rich.text import Text
from textual.widgets import Static
from uihelpers import FROZEN_AT, running_fleet, screen_text, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.detail import DetailPane
from rollout_tui.ui.detail.bar import CANARY_STYLE
from rollout_tui.ui.detail.steps import StepsView
from rollout_tui.ui.overview import OverviewTable
from rollout_tui.ui.screens.confirm import ConfirmScreen
from tests.ui.detail_scenes import ANALYSIS_STEP, manifest, updating
from tests.ui.test_detail_live import SimCluster


def _rollout(sim: SimCluster) -> dict[str, Any]:
    return sim.store.get("rollouts", "default", "shop")


def _step_lines(app: DetailApp) -> list[str]:
    """The step rows on screen: " ✔  2 setWeight 50"."""
    return [
        line.rstrip()
        for line in pane_text(app).splitlines()
        if line[1:2].strip() and line[3:6].strip().isdigit()
    ]


async def test_completed_rollout_bar_is_all_stable_and_claims_no_canary_weight() -> None:
    sim = updating([{"setWeight": 50}, {"pause": {"duration": "10s"}}])
    for _ in range(10):
        sim.controller.tick(10)
    status = _rollout(sim)["status"]
    assert status["stableRS"] == status["currentPodHash"], status  # fully promoted
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        sim.show(pane)
        await pilot.pause()
        header, bar = (line for line in pane.query_one(StepsView).lines[:2] if isinstance(line, Text))
        assert "complete" in header.plain and "actual 100" in header.plain
        # Every request goes to the stable (which is the new revision): no canary-coloured cell, and
        # no "0 canary" contradicting the header's (and the plugin's) weight of 100.
        assert not [span for span in bar.spans if span.style == CANARY_STYLE], bar.spans
        assert "▓" not in bar.plain and "canary" not in bar.plain, bar.plain
        assert bar.plain.startswith("stable 100 ")


async def test_step_numbers_agree_between_header_rows_and_the_promote_dialog(tmp_path: Path) -> None:
    """ "Step 3/8" is the step at index 3 (the plugin's currentStepIndex): the header, the row marked
    current and the promote confirmation all name that step by that number."""
    steps = [
        {"setWeight": 10},
        {"pause": {"duration": "10s"}},
        {"setWeight": 20},
        {"pause": {}},
        {"setWeight": 40},
        {"pause": {"duration": "10s"}},
        {"setWeight": 60},
        {"pause": {"duration": "10s"}},
    ]
    sim = updating(steps)
    for _ in range(6):
        sim.controller.tick(10)
    assert _rollout(sim)["status"]["currentStepIndex"] == 3
    with running_fleet(tmp_path, load=[manifest(sim, tmp_path / "objects.yaml")]) as (fleet, contexts, _):
        app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
        async with app.run_test(size=(200, 50)) as pilot:  # wide: the detail beside the table
            table = app.query_one(OverviewTable)
            await wait_until(pilot, lambda: table.row_count == 1, what="the shop row")
            await wait_until(pilot, lambda: "setWeight 60" in screen_text(app), what="the detail's steps")
            text = screen_text(app)
            assert "Step 3/8" in text, text
            assert " ▶  3 pause" in text, text  # the current row: index 3, the indefinite pause
            assert " ✔  2 setWeight 20" in text and " ○  4 setWeight 40" in text
            await pilot.press("p")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="promote dialog")
            summary = app.screen.query_one("#summary", Static)
            said = str(getattr(summary, "content", "") or summary.renderable)
            assert "step 3/8 (pause)" in said and "step 4/8 (setWeight 40)" in said, said


async def test_promote_past_a_running_analysis_shows_the_step_skipped_not_passed() -> None:
    sim = updating([{"setWeight": 25}, ANALYSIS_STEP, {"setWeight": 50}, {"pause": {}}])
    for _ in range(4):
        sim.controller.tick(10)
    rollout = _rollout(sim)
    assert rollout["status"]["currentStepIndex"] == 1
    run = next(
        r for r in sim.store.list("analysisruns", "default")[0] if r["metadata"]["name"].endswith("-1")
    )
    assert run["status"]["phase"] == "Running"
    # The operator pauses by hand, then promotes: the plugin's getPatches (cmd/promote/promote.go)
    # with no pause condition moves the step index on, jumping over the analysis.
    sim.store.patch("rollouts", "default", "shop", {"spec": {"paused": True}}, "application/merge-patch+json")
    sim.controller.tick(1)
    sim.store.patch(
        "rollouts",
        "default",
        "shop",
        {"status": {"currentStepIndex": 2}},
        "application/merge-patch+json",
        subresource="status",
    )
    sim.store.patch(
        "rollouts", "default", "shop", {"spec": {"paused": False}}, "application/merge-patch+json"
    )
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        sim.controller.tick(5)
        sim.show(pane)
        await pilot.pause()
        assert " ↷  1 analysis success-rate  skipped" in _step_lines(app), _step_lines(app)
        # The controller cancels the run it jumped over (reconcileStepBasedAnalysisRun); a terminated
        # run reports Successful "Run Terminated" (analysis/analysis.go), which is still no pass.
        name = run["metadata"]["name"]
        sim.store.mutate("analysisruns", "default", name, lambda o: o["spec"].__setitem__("terminate", True))
        sim.controller.tick(5)
        phase = sim.store.get("analysisruns", "default", name)["status"]
        assert (phase["phase"], phase.get("message")) == ("Successful", "Run Terminated")
        sim.show(pane)
        await pilot.pause()
        lines = _step_lines(app)
        assert " ↷  1 analysis success-rate  skipped" in lines, lines
        assert not any(line.startswith(" ✔  1") for line in lines), lines


async def test_analysis_failing_at_step_3_fails_step_3_with_its_run_and_metric() -> None:
    steps = [
        {"setWeight": 25},
        {"pause": {"duration": "10s"}},
        {"setWeight": 50},
        ANALYSIS_STEP,
        {"setWeight": 75},
    ]
    sim = updating(steps, mode="fail")
    for _ in range(15):
        sim.controller.tick(10)
    status = _rollout(sim)["status"]
    # What the controller leaves behind (syncRolloutStatusCanary in rollout/canary.go): aborted, and
    # currentStepIndex back at 0, so the index says nothing about where it failed.
    assert status.get("abort") is True and status["currentStepIndex"] == 0, status
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        info = sim.show(pane := app.query_one(DetailPane))
        await pilot.pause()
        run = next(r for r in info.analysisruns if r.step_index == 3)
        lines = _step_lines(app)
        assert " ✖  3 analysis success-rate  failed" in lines, lines
        # How far it got; step 0, where the controller put the index back, did not fail.
        assert " ✔  0 setWeight 25" in lines and " ✔  2 setWeight 50" in lines, lines
        text = pane_text(app)
        assert "aborted at step 3" in text
        failure = next(line for line in text.splitlines() if run.name in line)
        assert "success-rate: failed (3) > failureLimit (2)" in failure, failure
        assert pane.info is not None and pane.info.steps is not None and pane.info.steps.failed_at == 3


async def test_paused_by_hand_the_pane_says_resume_keeps_the_step_and_promote_moves_on() -> None:
    """Resume (Z, spec.paused=false) keeps the step; promote also moves the step index on, so during
    an analysis it skips it: the pane says which does what before the operator picks one."""
    sim = updating([{"setWeight": 25}, ANALYSIS_STEP, {"setWeight": 50}, {"pause": {}}])
    for _ in range(4):
        sim.controller.tick(10)
    sim.store.patch("rollouts", "default", "shop", {"spec": {"paused": True}}, "application/merge-patch+json")
    sim.controller.tick(1)
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        sim.show(app.query_one(DetailPane))
        await pilot.pause()
        text = pane_text(app)
        current = next(line for line in _step_lines(app) if line.startswith(" ▶"))
        assert current.startswith(" ▶  1 analysis success-rate") and "paused by hand" in current, current
        assert "Z resume: unpause, stay at this step" in text, text
        assert "p promote: go on to step 2/4 (setWeight 50)" in text, text


async def test_steps_window_counts_one_earlier_step_in_the_singular() -> None:
    steps = [{"setWeight": 10}, {"setWeight": 20}, {"pause": {}}] + [
        {"setWeight": 30 + 10 * i} for i in range(6)
    ]
    sim = updating(steps)
    for _ in range(4):
        sim.controller.tick(10)
    assert _rollout(sim)["status"]["currentStepIndex"] == 2
    app = DetailApp()
    async with app.run_test(size=(80, 24)) as pilot:  # compact: long step lists are windowed
        sim.show(app.query_one(DetailPane))
        await pilot.pause()
        lines = [line.rstrip() for line in pane_text(app).splitlines()]
        assert " ✔ … 1 earlier step" in lines, lines
        assert not any("earlier steps" in line for line in lines)
