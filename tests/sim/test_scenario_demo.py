"""The demo scenario: per-cluster fleets that show every kind of progressive delivery, and keep
moving forever on the simulated clock."""

from __future__ import annotations

import pytest

from rollout_tui.model.status import rollout_status
from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller import Controller
from rollout_tui.sim.scenarios import ScenarioError, load_scenario
from rollout_tui.sim.store import Store


def _start(name: str = "demo", **params: object) -> tuple[Store, Controller, object]:
    clock = SimClock.manual()
    store = Store(clock=clock)
    scenario = load_scenario(name, store, clock, **params)
    controller = Controller(store, clock, strict=True)
    controller.add_hook(scenario.poll)
    return store, controller, scenario


def _names(store: Store) -> set[str]:
    return {r["metadata"]["name"] for r in store.list("rollouts")[0]}


def _observe(store: Store, controller: Controller, minutes: int) -> dict[str, set[str]]:
    """Every (status, message) each rollout showed, sampled every 10 simulated seconds."""
    seen: dict[str, set[str]] = {}
    for _ in range(minutes * 6):
        controller.tick(10)
        for ro in store.list("rollouts")[0]:
            status, message = rollout_status(ro)
            seen.setdefault(ro["metadata"]["name"], set()).add(f"{status}: {message}")
    return seen


def test_clusters_have_different_fleets() -> None:
    east, _, _ = _start(cluster="east")
    west, _, _ = _start("demo:west")
    assert {"checkout", "ledger", "storefront", "indexer", "cart", "fraud-model"} <= _names(east)
    assert {"transcoder", "thumbnailer", "uploader", "gateway"} <= _names(west)
    assert "cart" not in _names(west) and "transcoder" not in _names(east)
    namespaces = {n["metadata"]["name"] for n in east.list("namespaces")[0]}
    assert {"shop", "payments", "search", "platform"} <= namespaces


def test_demo_shows_every_behaviour_within_minutes() -> None:
    store, controller, scenario = _start(cluster="east")
    seen = _observe(store, controller, minutes=6)
    assert any(
        s.startswith("Paused: CanaryPauseStep") or s.startswith("Progressing") for s in seen["checkout"]
    )
    assert any(
        s.startswith("Degraded: RolloutAborted") and ("success-rate" in s or "error-rate" in s)
        for s in seen["ledger"]
    )
    assert "Paused: BlueGreenPause" in seen["storefront"]
    assert any(s.startswith("Degraded: ProgressDeadlineExceeded") for s in seen["cart"])
    assert "Paused: InconclusiveAnalysisRun" in seen["fraud-model"]
    assert "Healthy: " in seen["notifications"]
    assert store.list("experiments", "search")[0], "the indexer's experiment step ran"
    runs = store.list("analysisruns")[0]
    assert any(
        len(r["status"]["metricResults"][0]["measurements"]) >= 3
        for r in runs
        if r.get("status", {}).get("metricResults")
    ), "live metrics with several measurements"
    assert controller.errors == []
    assert scenario.driver.actions > 5


def test_crash_looping_pods_appear() -> None:
    store, controller, _ = _start(cluster="east")
    reasons: set[str] = set()
    for _ in range(30):
        controller.tick(10)
        for pod in store.list("pods", "shop")[0]:
            for status in pod["status"].get("containerStatuses") or []:
                reasons.add(status["state"].get("waiting", {}).get("reason", ""))
    assert "CrashLoopBackOff" in reasons


def test_demo_stays_lively_and_bounded_for_an_hour() -> None:
    store, controller, scenario = _start(cluster="west")
    controller.tick(600)
    revisions_before = {
        r["metadata"]["name"]: r["metadata"]["annotations"]["rollout.argoproj.io/revision"]
        for r in store.list("rollouts")[0]
    }
    actions_before = scenario.driver.actions
    for _ in range(50):
        controller.tick(60)
    revisions_after = {
        r["metadata"]["name"]: r["metadata"]["annotations"]["rollout.argoproj.io/revision"]
        for r in store.list("rollouts")[0]
    }
    changed = [n for n in revisions_after if revisions_after[n] != revisions_before[n]]
    assert len(changed) >= 6, changed
    assert scenario.driver.actions > actions_before + 20
    # History limits keep the object count flat however long the demo runs.
    assert store.count("replicasets") <= 4 * len(revisions_after) + 10
    assert store.count("analysisruns") <= 10 * len(revisions_after)
    assert controller.errors == []


def test_unknown_scenario_and_bad_files_are_clear_errors(tmp_path) -> None:
    store = Store(clock=SimClock.manual())
    with pytest.raises(ScenarioError, match="unknown scenario 'nope'"):
        load_scenario("nope", store, store.clock)
    bad = tmp_path / "bad.yaml"
    bad.write_text("rollouts: [{image: x}]\n")
    with pytest.raises(ScenarioError, match="needs a name"):
        load_scenario(bad, store, store.clock)


def test_a_scenario_file(tmp_path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: mine\nnamespaces: [team]\nrollouts:\n"
        "  - {name: api, namespace: team, replicas: 2, steps: [{setWeight: 50}, {pause: {}}],\n"
        "     drive: {images: [blue, green], first: 10s, every: 30s, promote_after: 20s}}\n"
    )
    clock = SimClock.manual()
    store = Store(clock=clock)
    scenario = load_scenario(str(path), store, clock)
    controller = Controller(store, clock, strict=True)
    controller.add_hook(scenario.poll)
    seen = _observe(store, controller, minutes=2)
    assert "Paused: CanaryPauseStep" in seen["api"] and "Healthy: " in seen["api"]
    assert scenario.driver.actions >= 2


def test_successive_loads_without_a_cluster_alternate_fleets() -> None:
    first, _, _ = _start()
    second, _, _ = _start()
    assert ("cart" in _names(first)) != ("cart" in _names(second))
