"""What the screens say, word for word: the row's READY is what `list rollouts` says, help fits
80x24 whole, toasts leave the hints line and the chart's table readable, the stale refusal says
what changed once (issue 10, defects 5, 15, 18, 19)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from glancefleet import GLANCE_CLOCK, canary, stamp
from textual.widgets._toast import Toast
from uihelpers import FROZEN_AT, screen_text, wait_until

from rollout_tui.cli import main
from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.detail import MetricChartScreen
from rollout_tui.ui.keys import ACTION_KEYS, VIEW_KEYS
from rollout_tui.ui.overview import OverviewTable
from rollout_tui.ui.screens.confirm import ConfirmScreen
from rollout_tui.ui.screens.help import HelpScreen

FAILED = "sim/default/rollout-background-analysis"


def replicaset(pod_hash: str, revision: str, replicas: int, available: int) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"api-{pod_hash}",
            "namespace": "shop",
            "uid": f"uid-rs-{pod_hash}",
            "creationTimestamp": stamp(600),
            "labels": {"app": "api", "rollouts-pod-template-hash": pod_hash},
            "annotations": {"rollout.argoproj.io/revision": revision},
            "ownerReferences": [
                {
                    "apiVersion": "argoproj.io/v1alpha1",
                    "kind": "Rollout",
                    "name": "api",
                    "uid": "uid-shop-api",
                }
            ],
        },
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "api"}}},
        "status": {"replicas": replicas, "readyReplicas": available, "availableReplicas": available},
    }


def mid_update(directory: Path) -> Path:
    """A basic canary scaling up: 3 of its 4 pods ready, 2 canary pods of which 1 is available."""
    ro = canary("api", "shop", 0, phase="Progressing", message="more replicas need to be updated")
    ro["status"].update(
        currentPodHash="new",
        stableRS="old",
        replicas=4,
        updatedReplicas=2,
        readyReplicas=3,
        availableReplicas=3,
    )
    directory.mkdir(parents=True)
    objects = [ro, replicaset("new", "2", 2, 1), replicaset("old", "1", 2, 2)]
    (directory / "mid-update.yaml").write_text(yaml.safe_dump_all(objects), encoding="utf-8")
    return directory


async def test_row_ready_is_what_list_rollouts_says(tmp_path: Path, fleet_factory: Any, capsys: Any) -> None:
    fleet, contexts, sims = fleet_factory(load=[mid_update(tmp_path / "objects")])
    app = RolloutApp(fleet, contexts, clock=GLANCE_CLOCK)
    async with app.run_test(size=(120, 30)) as pilot:  # READY has room at 120 columns
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 1, what="the rollout")
        await pilot.pause(0.3)
        head, row = screen_text(app).splitlines()[1:3]
        ready = row[head.index("READY") :].split()[0]
    kubeconfig = sims[0].write_kubeconfig(tmp_path / "kubeconfig")
    assert main(["--kubeconfig", str(kubeconfig), "list", "rollouts", "-n", "shop"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("api"))
    assert ready == line.split()[5] == "3/4"  # ready / current, in both


async def test_help_fits_80x24_whole_without_backslashes(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 10)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "…" not in text and "\\" not in text
        for words in [k.help for k in VIEW_KEYS] + [spec.title for spec in ACTION_KEYS]:
            assert words in text, words
        assert '"checkout" in quotes' in " ".join(text.split())
        assert app.screen.query_one("VerticalScroll").max_scroll_y == 0  # nothing below the fold


def overlaps(toasts: list[Toast], widget: Any) -> list[str]:
    return [str(t.region) for t in toasts if t.region.overlaps(widget.region)]


async def test_toasts_leave_the_hints_line_and_the_chart_table_readable(fleet_factory: Any) -> None:
    fleet, contexts, _ = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10)
        assert table.select_key(FAILED)
        app.notify("jesse-test/canary-demo-weights aborted: a message long enough to wrap", title="sim")
        await wait_until(pilot, lambda: list(app.screen.query(Toast)), what="a toast")
        assert not overlaps(list(app.screen.query(Toast)), app.query_one("#hints"))
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MetricChartScreen), timeout=15, what="chart")
        app.notify("another alert while the chart is open", title="sim", severity="warning")
        await wait_until(pilot, lambda: list(app.screen.query(Toast)), what="a toast over the chart")
        await pilot.pause(0.3)
        assert not overlaps(list(app.screen.query(Toast)), app.screen.query_one("#chart-table"))


async def test_stale_refusal_says_what_changed_once(fleet_factory: Any) -> None:
    fleet, contexts, sims = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10)
        assert table.select_key("sim/jesse-test/bluegreen-demo")
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))

        def someone_else_promoted(obj: dict) -> None:
            obj["status"]["currentPodHash"] = "7d6b5c4a3f"
            obj["status"]["pauseConditions"] = None

        sims[0].store.mutate(
            "rollouts", "jesse-test", "bluegreen-demo", someone_else_promoted, subresource="status"
        )
        await pilot.press("tab", "enter")

        def refusals() -> list[Any]:
            return [n for n in app._notifications if n.title.startswith("Promote")]

        await wait_until(pilot, refusals, what="the refusal")
        toast = refusals()[0]
        said = f"{toast.title} {toast.message}"
        assert said.count("changed since you looked") == 1, said
        assert toast.message.startswith("not applied: changed since you looked: now rolling out"), said
