"""The first list is shown page by page, and the table works while it loads (real HTTP, Pilot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from uihelpers import FROZEN_AT, screen_text, wait_until

from rollout_tui.kube.config import prepare
from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.reflector import ReflectorParams
from rollout_tui.model.clock import FixedClock
from rollout_tui.sim import Simulator
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable

COUNT, PAGE = 120, 20


def _rollout(index: int) -> dict[str, Any]:
    name = f"svc-{index:03d}"
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": f"team-{index % 3}"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {"canary": {"steps": [{"setWeight": 50}, {"pause": {}}]}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": f"{name}:1"}]},
            },
        },
    }


async def test_rows_are_shown_and_usable_while_the_first_list_loads(tmp_path: Path) -> None:
    sim = Simulator(port=0, controller=False).start()
    fleet = None
    try:
        for index in range(COUNT):
            sim.store.create("rollouts", _rollout(index))
        sim.faults.set_latency(0.25)  # each page takes a while: the list loads for ~1.5 s
        kubeconfig = sim.write_kubeconfig(tmp_path / "kubeconfig", context="sim")
        contexts = prepare(str(kubeconfig), ["sim"], False, True)
        fleet = Fleet(contexts, read_only=True, audit=None, params=ReflectorParams(page_size=PAGE)).start()
        app = RolloutApp(fleet, ["sim"], clock=FixedClock(FROZEN_AT), read_only=True)
        async with app.run_test(size=(120, 30)) as pilot:
            table = app.query_one(OverviewTable)

            def loading() -> bool:
                header = screen_text(app).splitlines()[0]
                return "loading" in header and f"/ ~{COUNT}" in header and 0 < table.row_count < COUNT

            await wait_until(pilot, loading, what="rows shown with 'loading N / ~120' in the header")
            first = table.selected_key
            await pilot.press("down", "down")
            assert table.selected_key != first  # the cursor moves while the rest is listed
            chosen = table.selected_key
            assert chosen is not None
            await pilot.press("slash", *chosen.rsplit("/", 1)[1])
            await wait_until(pilot, lambda: table.keys == [chosen], what="the filter applied while loading")
            await pilot.press("escape")
            await wait_until(pilot, lambda: table.row_count == COUNT, timeout=20, what="every page")
            await wait_until(pilot, lambda: " live" in screen_text(app).splitlines()[0], what="live")
            assert table.selected_key == chosen  # moved by the operator: it stayed on its rollout
            assert f"{COUNT}" in screen_text(app).splitlines()[0]
    finally:
        if fleet is not None:
            fleet.stop()
        sim.stop()
