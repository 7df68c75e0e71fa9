"""The scale scenario: a steady-state fleet the controller settles in one pass and then leaves
alone; churn drives real updates through the controller."""

from __future__ import annotations

from collections import Counter

from rollout_tui.model.status import rollout_status
from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller import Controller
from rollout_tui.sim.scenarios import load_scenario
from rollout_tui.sim.store import Store


def test_fleet_is_spread_over_namespaces_and_settles_in_one_pass() -> None:
    clock = SimClock.manual()
    store = Store(clock=clock)
    scenario = load_scenario("scale", store, clock, rollouts=300, namespaces=12)
    assert scenario.info["rollouts"] == 300
    rollouts = store.list("rollouts")[0]
    assert len(rollouts) == 300
    assert len({r["metadata"]["namespace"] for r in rollouts}) == 12
    strategies = Counter("blueGreen" if "blueGreen" in r["spec"]["strategy"] else "canary" for r in rollouts)
    assert strategies == {"canary": 270, "blueGreen": 30}
    controller = Controller(store, clock, strict=True)
    controller.drain()
    assert Counter(rollout_status(r)[0] for r in store.list("rollouts")[0]) == {"Healthy": 300}
    rv = store.resource_version
    controller.reconcile_all()
    controller.tick(3600)
    assert store.resource_version == rv  # idle: no writes, no events
    assert controller.pending_timers() == 0


def test_churn_drives_updates_through_the_controller() -> None:
    clock = SimClock.manual()
    store = Store(clock=clock)
    scenario = load_scenario("scale:200:5:2", store, clock)  # 2 actions per simulated second
    controller = Controller(store, clock, strict=True)
    controller.add_hook(scenario.poll)
    for _ in range(60):
        controller.tick(1)
    churn = scenario.background
    assert churn.actions + churn.failures >= 100
    statuses = Counter(rollout_status(r)[0] for r in store.list("rollouts")[0])
    assert statuses["Healthy"] < 200  # some are mid-update, paused or aborted
    assert (
        max(
            int(r["metadata"]["annotations"]["rollout.argoproj.io/revision"])
            for r in store.list("rollouts")[0]
        )
        >= 2
    )
    assert controller.errors == []
    scenario.stop()
