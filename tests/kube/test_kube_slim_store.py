"""The overview's slim store, over real HTTP against the simulator.

The overview keeps one RolloutState per Rollout, never the object; what it does not keep must
not weaken anything: an action on such a rollout reads it again and carries the stale-view guard
(the guard fields compared, the resourceVersion as precondition of the write).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rollout_tui.kube.coalesce import OVERVIEW_KIND
from rollout_tui.kube.config import load_contexts
from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.resources import ROLLOUT
from rollout_tui.model.actions import ActionArgs, action
from rollout_tui.model.state import RolloutState

from .conftest import FAST, RecordingProxy, proxied_kubeconfig, rollout, wait_for

MERGE = "application/merge-patch+json"
STATUS = "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/demo/status"


def _pause_at(sim: Any, index: int) -> None:
    status = {
        "currentStepIndex": index,
        "currentPodHash": "new",
        "stableRS": "old",
        "pauseConditions": [{"reason": "CanaryPauseStep", "startTime": "2026-11-26T03:00:00Z"}],
        "controllerPause": True,
    }
    sim.store.patch("rollouts", "default", "demo", {"status": status}, MERGE, subresource="status")


def _overview_state(fleet: Fleet, rv: str) -> RolloutState:
    def seen() -> RolloutState | None:
        states = [s for s in fleet.rollouts()["sim"] if s.name == "demo"]
        return states[0] if states and states[0].resource_version == rv else None

    return wait_for(seen, message=f"the overview at resourceVersion {rv}")


def test_action_on_a_rollout_whose_object_is_not_in_memory_still_carries_the_guard(
    sim: Any, proxy: RecordingProxy, tmp_path: Path
) -> None:
    sim.store.create("rollouts", rollout("demo", app="demo", steps=4))
    _pause_at(sim, 1)
    config = proxied_kubeconfig(sim, proxy, tmp_path / "kc")
    with Fleet(load_contexts(config), params=FAST, audit=None) as fleet:
        shown = _overview_state(
            fleet, sim.store.get("rollouts", "default", "demo")["metadata"]["resourceVersion"]
        )
        stored = fleet.hub("sim").cache.objects_of(OVERVIEW_KIND)
        assert stored == [shown] and isinstance(stored[0], RolloutState)
        assert fleet.rollout("sim", "default", "demo") is None  # no Rollout object anywhere in memory
        assert fleet.hub("sim").cache.objects_of(ROLLOUT.kind) == []
        actions = fleet.actions("sim")
        assert actions is not None
        promote = action("promote")

        # another operator promotes first: the guard compares what this operator saw, nothing is written
        _pause_at(sim, 3)
        proxy.clear()
        stale = actions.run(promote, "default", "demo", expected=shown, args=ActionArgs())
        assert (stale.outcome, stale.message) == ("stale", "changed since you looked: now at step 3/4")
        assert proxy.writes() == []

        # as shown now: the write carries the resourceVersion the guard checked (and the overview holds)
        rv = sim.store.get("rollouts", "default", "demo")["metadata"]["resourceVersion"]
        shown = _overview_state(fleet, rv)
        proxy.clear()
        done = actions.run(promote, "default", "demo", expected=shown, args=ActionArgs())
        assert (done.ok, done.outcome) == (True, "applied")
        [write] = proxy.writes()
        assert (write["method"], write["path"]) == ("PATCH", STATUS)
        assert json.loads(write["body"])["metadata"] == {"resourceVersion": shown.resource_version}
        assert [r["method"] for r in proxy.requests if "/rollouts/demo" in r["path"]] == ["GET", "PATCH"]
        assert fleet.rollout("sim", "default", "demo") is None  # acting did not load it into the store
