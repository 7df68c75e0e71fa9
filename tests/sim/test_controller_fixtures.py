"""The controller over the recorded fixture sets (`rollout-tui sim --load tests/fixtures/recorded`):
objects seeded with their status, on a clock that starts where they were recorded, settle without
errors or hot loops and carry on from where they were."""

from __future__ import annotations

from rollout_tui.model.status import rollout_status
from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller import Controller
from rollout_tui.sim.loader import seed
from rollout_tui.sim.store import Store
from tests.fixtures.sets import RECORDED, RECORDED_AT


def test_recorded_sets_settle_and_carry_on() -> None:
    clock = SimClock.manual(RECORDED_AT)
    store = Store(clock=clock)
    assert seed(store, [RECORDED], []) > 250
    recorded = {r["metadata"]["name"]: rollout_status(r) for r in store.list("rollouts")[0]}
    controller = Controller(store, clock, strict=True)
    assert controller.drain(max_steps=5000) < 5000
    settled = {r["metadata"]["name"]: rollout_status(r) for r in store.list("rollouts")[0]}
    assert settled == recorded  # nothing was due yet: the controller agrees with the recording
    controller.tick(600)
    rv = store.resource_version
    controller.tick(5)
    assert store.resource_version == rv  # quiet
    statuses = {r["metadata"]["name"]: rollout_status(r) for r in store.list("rollouts")[0]}
    assert statuses["rollout-invalid"][0] == "Degraded"
    assert statuses["rollout-invalid"][1].startswith("InvalidSpec: ")
    assert statuses["bluegreen-demo"] == ("Paused", "BlueGreenPause")  # waits for an operator
    assert statuses["canary-demo"] == ("Paused", "CanaryPauseStep")
    assert statuses["canary-demo-healthy"][0] == "Healthy"
    assert statuses["rollout-background-analysis"][1].startswith("RolloutAborted: ")
    # The timed pause (3m30s left) ran out: the canary went on to its next indefinite pause.
    weights = store.get("rollouts", "jesse-test", "canary-demo-weights")
    assert weights["status"]["currentStepIndex"] == 5 and statuses["canary-demo-weights"][0] == "Paused"
    # The experiment ran out its 10 minutes and the rollout took the next steps.
    assert (
        store.get("rollouts", "jesse-test", "rollout-experiment-analysis")["status"]["currentStepIndex"] == 3
    )
