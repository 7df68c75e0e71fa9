"""The row shows the detail's exact actual weight whichever arrives first: the detail's state (read
with the canary ReplicaSet at hand) or the overview's estimate of the same resourceVersion.

Seen in CI: the detail watch saw a rollout's new resourceVersion before the overview batch did, the
refinement was refused (the row still held the older version), then the batch put the estimate
("20/20~") in the row beside a pane showing "20/0" — and nothing refined it again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rollout_tui.kube.coalesce import OVERVIEW_KIND, Batch
from rollout_tui.model.state import RolloutState, rollout_state
from rollout_tui.settings import Settings
from rollout_tui.ui.fleet_view import Changes, FleetView

NOW = datetime(2026, 1, 1, 0, 10, tzinfo=UTC)
KEY = "east/shop/cart"


def canary(resource_version: str) -> dict[str, Any]:
    """A basic canary at its first step (setWeight 20), all 5 replicas updated but none available in
    the canary ReplicaSet: estimated 20 from the counts, 0 with the ReplicaSet at hand."""
    return {
        "kind": "Rollout",
        "metadata": {"name": "cart", "namespace": "shop", "uid": "u1", "resourceVersion": resource_version},
        "spec": {"replicas": 5, "strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {}}]}}},
        "status": {
            "currentStepIndex": 0,
            "replicas": 5,
            "availableReplicas": 5,
            "updatedReplicas": 1,
            "currentPodHash": "abc",
            "stableRS": "def",
        },
    }


def overview_batch(state: RolloutState) -> Batch:
    return Batch("east", OVERVIEW_KIND, (), (), (state,), {})


def weight(view: FleetView) -> tuple[int | None, bool]:
    state = view.entries[KEY].state
    return state.actual_weight, state.actual_weight_estimated


def test_the_detail_state_and_the_estimate_agree_on_the_row_in_either_order() -> None:
    exact = rollout_state(canary("2"), canary_available=0)
    estimate = rollout_state(canary("2"))
    assert (exact.actual_weight, estimate.actual_weight, estimate.actual_weight_estimated) == (0, 20, True)

    detail_first = FleetView(Settings())
    detail_first.load({"east": [rollout_state(canary("1"))]}, {}, NOW)
    assert not detail_first.refine(KEY, exact, NOW, ())  # the row holds version 1: nothing to refine yet
    detail_first.apply(overview_batch(estimate), NOW, Changes())
    assert weight(detail_first) == (0, False)

    row_first = FleetView(Settings())
    row_first.load({"east": [estimate]}, {}, NOW)
    assert row_first.refine(KEY, exact, NOW, ())
    assert weight(row_first) == (0, False)
    row_first.apply(overview_batch(estimate), NOW, Changes())  # a late copy of the same version
    assert weight(row_first) == (0, False)


def test_a_newer_version_replaces_the_refined_state() -> None:
    view = FleetView(Settings())
    view.load({"east": [rollout_state(canary("1"))]}, {}, NOW)
    assert view.refine(KEY, rollout_state(canary("1"), canary_available=0), NOW, ())
    view.apply(overview_batch(rollout_state(canary("3"))), NOW, Changes())
    assert view.entries[KEY].state.resource_version == "3"
    assert weight(view) == (20, True)  # until the detail reads version 3's ReplicaSets
    view.detail_closed(NOW)
    assert weight(view) == (20, True)
