"""The controller over the plugin's testdata (`rollout-tui sim --load ...`): real-world objects with
2019 timestamps, repeated uids and odd specs settle without errors or hot loops."""

from __future__ import annotations

from rollout_tui.model.status import rollout_status
from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller import Controller
from rollout_tui.sim.loader import seed
from rollout_tui.sim.store import Store
from tests.conftest import INFO_TESTDATA


def test_testdata_settles_without_errors(fixtures_dir) -> None:
    clock = SimClock.manual()
    store = Store(clock=clock)
    assert seed(store, [INFO_TESTDATA], []) > 40
    controller = Controller(store, clock, strict=True)
    assert controller.drain(max_steps=5000) < 5000
    controller.tick(300)
    rv = store.resource_version
    controller.tick(5)
    assert store.resource_version == rv  # quiet
    statuses = {r["metadata"]["name"]: rollout_status(r) for r in store.list("rollouts")[0]}
    assert statuses["rollout-invalid"][0] == "Degraded"
    assert statuses["rollout-invalid"][1].startswith("InvalidSpec: ")
    assert statuses["bluegreen-demo"] == ("Paused", "BlueGreenPause")
    for name, (status, _message) in statuses.items():
        assert status in ("Healthy", "Degraded", "Paused", "Progressing"), name
    # Rollouts sharing a uid in the fixtures do not steal each other's ReplicaSets.
    for rs in store.list("replicasets", "jesse-test")[0]:
        owner = rs["metadata"]["ownerReferences"][0]["name"]
        assert rs["metadata"]["name"].startswith(owner) or owner == "canary-demo"
