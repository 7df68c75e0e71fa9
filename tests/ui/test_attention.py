"""Attention: a rollout turning aborted or starting to wait for promotion raises a toast, rings the
bell and (with --notify) writes a desktop-notification escape; the first sighting never alerts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ptyrun import PtyApp
from uihelpers import FROZEN_AT, fixture_paths, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.sim import Simulator
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable


def abort(obj: dict) -> None:
    obj["status"]["abort"] = True
    obj["status"]["phase"] = "Degraded"
    obj["status"]["message"] = "RolloutAborted: \x1b]0;pwned\x07 metric failed"


async def test_toast_when_a_rollout_aborts(fleet_factory: Any) -> None:
    fleet, contexts, sims = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: app.query_one(OverviewTable).row_count == 10)
        await pilot.pause(0.5)
        assert not app._notifications  # nothing on the first sighting
        sims[0].store.mutate("rollouts", "jesse-test", "canary-demo-weights", abort, subresource="status")
        await wait_until(
            pilot,
            lambda: any("canary-demo-weights aborted" in str(n.message) for n in app._notifications),
            what="attention toast",
        )


def test_bell_and_desktop_notification_reach_the_terminal(tmp_path: Path) -> None:
    with Simulator(load=fixture_paths(), controller=False) as sim:
        kubeconfig = sim.write_kubeconfig(tmp_path / "kubeconfig", context="sim")
        app = PtyApp(["--kubeconfig", str(kubeconfig), "--notify"], cols=120, rows=30)
        try:
            assert app.wait_for(b"canary-demo-weights", 30)
            app.read_for(1.0)
            start = len(app.output)
            sim.store.mutate("rollouts", "jesse-test", "canary-demo-weights", abort, subresource="status")
            assert app.wait_for(b"\x1b]777;notify;rollout-tui;", 10), app.output[start:][-500:]
        finally:
            app.close()
    out = bytes(app.output[start:])
    assert b"\x1b]777;notify;rollout-tui;jesse-test/canary-demo-weights aborted\x07" in out
    assert b"\x1b]9;rollout-tui: jesse-test/canary-demo-weights aborted\x07" in out
    assert b"\x07" in out.replace(b"\x07\x1b]9;", b"").replace(b"aborted\x07", b"")  # the bell itself
    assert b"pwned" not in out.split(b"\x1b]777")[1].split(b"\x07")[0]
