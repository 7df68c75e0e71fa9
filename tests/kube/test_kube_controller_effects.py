"""Actions sent over HTTP by kube.Actions, and what the simulated Argo controller makes of them.

The simulator serves the store over real HTTP; the controller reconciles it on a manual clock, so
each step of the rollout is deterministic.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from rollout_tui.kube.actions import Actions
from rollout_tui.kube.config import load_contexts
from rollout_tui.model.actions import ActionArgs, action
from rollout_tui.model.state import RolloutState, rollout_state
from rollout_tui.model.status import rollout_status
from tests.fixtures.sets import MANIFESTS

NAME = "rollout-canary"
START = datetime(2026, 11, 26, 4, 0, 0, tzinfo=UTC)


class Operator:
    """One operator's actions, on the simulator's clock (restartAt is "now" there)."""

    def __init__(self, actions: Actions, now: Any) -> None:
        self.actions, self.now = actions, now

    def run(self, action_id: str, expected: RolloutState | None = None, **args: Any) -> Any:
        return self.actions.run(
            action(action_id), "default", NAME, expected, ActionArgs(now=self.now(), **args)
        )


class Cluster:
    def __init__(self, sim: Any, controller: Any, kubeconfig: str) -> None:
        self.sim = sim
        self.controller = controller
        self.kubeconfig = kubeconfig

    def actions(self) -> Operator:
        return Operator(Actions(load_contexts(self.kubeconfig)[0]), self.sim.clock.now)

    def rollout(self) -> dict:
        return self.sim.store.get("rollouts", "default", NAME)

    def status(self) -> dict:
        return self.rollout().get("status") or {}

    def phase(self) -> tuple[str, str]:
        return rollout_status(self.rollout())

    def settle(self, seconds: float = 0.0) -> None:
        self.controller.tick(seconds)


@pytest.fixture
def cluster(tmp_path: Path) -> Any:
    from rollout_tui.sim import Simulator
    from rollout_tui.sim.clock import SimClock
    from rollout_tui.sim.controller import Controller

    clock = SimClock.manual(START)
    with Simulator(controller=False, tls=False, clock=clock) as sim:
        controller = Controller(sim.store, clock)
        doc = yaml.safe_load((MANIFESTS / "canary.yaml").read_text())
        doc["metadata"]["namespace"] = "default"
        sim.store.create("rollouts", doc)
        assert controller.run_until(
            lambda: rollout_status(sim.store.get("rollouts", "default", NAME))[0] == "Healthy", 120
        )
        yield Cluster(sim, controller, str(sim.write_kubeconfig(tmp_path / "kc")))


def start_update(c: Cluster) -> None:
    result = c.actions().run("set_image", container="rollouts-demo", image="argoproj/rollouts-demo:yellow")
    assert result.outcome == "applied"
    c.settle(15)
    assert c.phase() == ("Paused", "CanaryPauseStep")
    assert c.status()["currentStepIndex"] == 1


def test_set_image_then_promote_walks_the_steps(cluster: Cluster) -> None:
    start_update(cluster)
    assert cluster.actions().run("promote").outcome == "applied"
    assert cluster.controller.run_until(lambda: cluster.status()["currentStepIndex"] >= 3, 120)
    assert cluster.status()["currentStepIndex"] == 3  # setWeight 40 done, now in the 30s pause
    assert cluster.controller.run_until(lambda: cluster.phase()[0] == "Healthy", 600)
    assert cluster.status()["stableRS"] == cluster.status()["currentPodHash"]


def test_concurrent_promotes_of_one_paused_step_advance_it_once(cluster: Cluster) -> None:
    start_update(cluster)
    seen = rollout_state(cluster.rollout())
    operators = [cluster.actions(), cluster.actions()]
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def press(i: int) -> None:
        original = operators[i].actions._target
        first = [True]

        def target(spec: Any, namespace: str, name: str) -> Any:
            found = original(spec, namespace, name)
            if first[0]:
                first[0] = False
                barrier.wait(5)  # both operators read the paused step before either writes
            return found

        operators[i].actions._target = target  # type: ignore[method-assign]
        results[i] = operators[i].run("promote", expected=seen)

    threads = [threading.Thread(target=press, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(r.outcome for r in results) == ["applied", "stale"]
    assert cluster.controller.run_until(lambda: cluster.status()["currentStepIndex"] >= 3, 120)
    assert cluster.status()["currentStepIndex"] == 3  # one pause released, not two steps skipped
    # the slower operator, now looking at the new state, is refused the old view again
    late = cluster.actions().run("promote", expected=seen)
    assert late.outcome == "stale" and late.message.startswith("changed since you looked: now at step 3/8")


def test_abort_then_retry(cluster: Cluster) -> None:
    start_update(cluster)
    assert cluster.actions().run("abort").outcome == "applied"
    cluster.settle(5)
    phase, message = cluster.phase()
    assert phase == "Degraded" and message.startswith("RolloutAborted")
    assert cluster.actions().run("retry").outcome == "applied"
    cluster.settle(15)
    assert cluster.phase() == ("Paused", "CanaryPauseStep")


def test_promote_full_pause_restart_and_undo(cluster: Cluster) -> None:
    start_update(cluster)
    assert cluster.actions().run("promote_full").outcome == "applied"
    assert cluster.controller.run_until(lambda: cluster.phase()[0] == "Healthy", 300)
    yellow_hash = cluster.status()["currentPodHash"]
    assert cluster.actions().run("pause").outcome == "applied"
    cluster.settle(1)
    assert cluster.phase() == ("Paused", "manually paused")
    assert cluster.actions().run("promote").outcome == "applied"
    cluster.settle(1)
    assert cluster.rollout()["spec"]["paused"] is False
    result = cluster.actions().run("restart")
    assert result.message == "rollout 'rollout-canary' restarts in 0s"
    assert cluster.controller.run_until(lambda: cluster.status().get("restartedAt") is not None, 300)
    undo = cluster.actions().run("undo")
    assert (undo.outcome, undo.message) == ("applied", "rollout 'rollout-canary' undo")
    cluster.settle(1)
    assert (
        cluster.rollout()["spec"]["template"]["spec"]["containers"][0]["image"]
        == "argoproj/rollouts-demo:blue"
    )
    assert cluster.status()["currentPodHash"] != yellow_hash
