"""One truth: for the same rollout state, the overview row, the detail pane beside it and
`rollout-tui get rollout` show the same status, step and weights.

Each reader is read from what it shows (the table's cells, the pane's lines, the CLI's stdout),
against one simulator over real HTTP: the recorded fixture sets (and the plugin's testdata when
../shared has it) frozen, and the demo fleet moving on a manual clock, sampled at several instants
(nothing moves while a sample is read).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

from uihelpers import FROZEN_AT, screen_text, wait_until

from rollout_tui.cli import main as cli_main
from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.detail.steps import StepsView
from rollout_tui.ui.detail.summary import SummaryView
from rollout_tui.ui.overview import OverviewTable
from tests.conftest import INFO_TESTDATA

UPSTREAM_SETS = ("canary", "blue-green", "rollout-aborted", "experiment-analysis", "rollout-invalid")


def cli_facts(kubeconfig: Path, context: str, namespace: str, name: str) -> dict[str, str]:
    out = io.StringIO()
    args = ["get", "rollout", name, "-n", namespace, "--kubeconfig", str(kubeconfig), "--context", context]
    with contextlib.redirect_stdout(out):
        assert cli_main([*args, "--no-color"]) == 0
    fields = dict(re.findall(r"^ *(Status|Step|SetWeight|ActualWeight): +(.*?) *$", out.getvalue(), re.M))
    return {
        "status": fields["Status"].split(" ", 1)[1],
        "step": fields.get("Step") or "-",
        "weight": f"{fields['SetWeight']}/{fields['ActualWeight']}" if "SetWeight" in fields else "-",
    }


def row_facts(app: RolloutApp, key: str) -> dict[str, str]:
    table = app.query_one(OverviewTable)
    drawn = table.row_cells(table.keys.index(key))  # what the table draws for that row
    cells = dict(zip((c.key for c in table.column_plan), drawn, strict=True))
    return {
        "status": cells["status"].plain.split(" ", 1)[1].strip(),
        "step": cells["step"].plain.strip(),
        "weight": cells["weight"].plain.strip(),
    }


def pane_facts(app: RolloutApp) -> dict[str, str]:
    pane = app.query_one("#detail")
    status_line = pane.query_one(SummaryView).lines[1]
    assert isinstance(status_line, tuple)
    facts = {"status": status_line[1].plain.split("  ")[0].split(" ", 1)[1]}
    header = pane.query_one(StepsView).lines[0]
    assert not isinstance(header, tuple)
    found = re.match(r"Step (\S+).*set (\S+)  actual (\S+)", header.plain)
    facts["step"] = found.group(1) if found and not header.plain.startswith("Step none") else "-"
    facts["weight"] = f"{found.group(2)}/{found.group(3)}" if found else "-"
    if header.plain.startswith("Step none"):
        facts["step"] = "-"
    return facts


async def agree_on_every_rollout(app: RolloutApp, pilot: Any, kubeconfig: Path) -> int:
    table = app.query_one(OverviewTable)
    checked = 0
    for key in list(table.keys):
        context, namespace, name = key.split("/", 2)
        assert table.select_key(key)
        await wait_until(
            pilot,
            lambda key=key, name=name: (
                app.feed.key == key
                and app.feed.watch is not None
                and app.query_one("#detail").info is not None
                and app.query_one("#detail").info.state.name == name
            ),
            what=f"the detail of {key}",
        )
        await pilot.pause(0.05)
        pane = app.query_one("#detail")
        if pane.info.state.strategy == "BlueGreen":  # no steps or weights: the status must agree
            rows, panes = row_facts(app, key), {"status": pane_facts(app)["status"]}
        else:
            rows, panes = row_facts(app, key), pane_facts(app)
        cli = cli_facts(kubeconfig, context, namespace, name)
        for fact, shown in panes.items():
            assert rows[fact] == shown == cli[fact], (key, fact, rows, panes, cli, screen_text(app))
        checked += 1
    return checked


async def _agree_on_the_served_fixtures(fleet_factory: Any, tmp_path: Path, **load: Any) -> int:
    fleet, contexts, sims = fleet_factory(**load)
    kubeconfig = sims[0].write_kubeconfig(tmp_path / "cli.yaml", context=contexts[0])
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count >= 10, what="rows")
        return await agree_on_every_rollout(app, pilot, kubeconfig)


async def test_row_pane_and_cli_agree_on_the_recorded_fixtures(fleet_factory: Any, tmp_path: Path) -> None:
    assert await _agree_on_the_served_fixtures(fleet_factory, tmp_path) == 10


async def test_row_pane_and_cli_agree_on_the_upstream_testdata(
    fixtures_dir: Path, fleet_factory: Any, tmp_path: Path
) -> None:
    load = [INFO_TESTDATA / name for name in UPSTREAM_SETS]
    assert await _agree_on_the_served_fixtures(fleet_factory, tmp_path, load=load) >= 10


async def test_row_pane_and_cli_agree_on_the_demo_fleet_as_it_moves(tmp_path: Path) -> None:
    from rollout_tui.kube.config import prepare
    from rollout_tui.kube.fleet import Fleet
    from rollout_tui.sim import Simulator
    from rollout_tui.sim.clock import SimClock
    from rollout_tui.sim.controller import Controller

    sim = Simulator(port=0, scenario="demo:east", controller=False, clock=SimClock.manual()).start()
    try:
        controller = Controller(sim.store, sim.clock)
        controller.add_hook(sim.scenario.poll)
        controller.tick(5)
        kubeconfig = sim.write_kubeconfig(tmp_path / "kc.yaml", context="east")
        fleet = Fleet(prepare(str(kubeconfig), ["east"]), audit=None).start()
        assert fleet.wait_synced(10)
        app = RolloutApp(fleet, ["east"], clock=sim.clock)
        async with app.run_test(size=(200, 60)) as pilot:
            table = app.query_one(OverviewTable)
            for _sample in range(4):
                served = {
                    o["metadata"]["name"]: o["metadata"]["resourceVersion"]
                    for o in sim.store.list("rollouts")[0]
                }
                await wait_until(
                    pilot,
                    lambda served=served: (
                        {e.state.name: e.state.resource_version for e in app.view.entries.values()} == served
                    ),
                    what="the view caught up with the simulator",
                )
                assert table.row_count == len(served)
                await agree_on_every_rollout(app, pilot, kubeconfig)
                controller.tick(40)  # the demo's driver and controller move on; then nothing moves
        fleet.stop()
    finally:
        sim.stop()
