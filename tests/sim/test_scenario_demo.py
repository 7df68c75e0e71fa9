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
    controller = Controller(store, clock, strict=True, **scenario.controller_options)
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


def test_east_has_a_failing_pull_and_a_crash_loop_with_events_and_logs() -> None:
    """The incident story on one cluster, read over HTTP as the UI and kubectl read it."""
    from rollout_tui.sim import Simulator

    from .conftest import Http

    clock = SimClock.manual()
    with Simulator(port=0, scenario="demo:east", controller=False, clock=clock) as sim:
        controller = Controller(sim.store, clock, strict=True, **sim.scenario.controller_options)
        controller.add_hook(sim.scenario.poll)
        http = Http(sim)
        pulls: set[str] = set()
        crashed: dict[str, str] = {}  # app -> its previous container's log
        for _ in range(48):
            controller.tick(10)
            for pod in sim.store.list("pods")[0]:
                for status in pod["status"].get("containerStatuses") or []:
                    reason = status["state"].get("waiting", {}).get("reason", "")
                    app = pod["metadata"]["labels"]["app"]
                    if reason == "ImagePullBackOff":
                        pulls.add(app)
                    if reason == "CrashLoopBackOff" and app not in crashed:
                        ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
                        path = f"/api/v1/namespaces/{ns}/pods/{name}/log?previous=true"
                        crashed[app] = str(http.request("GET", path)[2])
        assert "uploader" in pulls and "cart" in crashed
        events = {(e["reason"], e["involvedObject"]["kind"]) for e in sim.store.list("events")[0]}
        assert {("Failed", "Pod"), ("BackOff", "Pod"), ("Pulling", "Pod"), ("Started", "Pod")} <= events
        assert "panic: " in crashed["cart"] and "goroutine 1 [running]:" in crashed["cart"]
        assert controller.errors == []


def test_every_router_kind_is_written() -> None:
    store, controller, _ = _start(cluster="east")
    verified: set[object] = set()
    for _ in range(30):
        controller.tick(10)
        weights = (
            (store.get("rollouts", "payments", "ledger").get("status") or {}).get("canary", {}).get("weights")
        )
        verified.add((weights or {}).get("verified"))
    routes = store.get("virtualservices", "shop", "checkout-vsvc")["spec"]["http"][0]["route"]
    assert {d["destination"]["subset"] for d in routes} == {"stable", "canary"}
    subsets = store.get("destinationrules", "shop", "checkout-destrule")["spec"]["subsets"]
    assert all("rollouts-pod-template-hash" in s["labels"] for s in subsets)
    notes = store.get("ingresses", "payments", "ledger-ingress")["metadata"]["annotations"]
    assert "alb.ingress.kubernetes.io/actions.ledger-stable" in notes
    assert (
        store.get("ingresses", "shop", "cart-cart-ingress-canary")["metadata"]["annotations"][
            "nginx.ingress.kubernetes.io/canary"
        ]
        == "true"
    )
    assert True in verified  # ALB weights verified at the setWeight steps
    west, west_controller, _ = _start(cluster="west")
    mismatch = False
    for _ in range(30):
        west_controller.tick(10)
        status = west.get("rollouts", "media", "thumbnailer").get("status") or {}
        wanted = ((status.get("canary") or {}).get("weights") or {}).get("canary", {}).get("weight")
        split = west.list("trafficsplits", "media")[0]
        actual = int(split[0]["spec"]["backends"][0]["weight"]) if split else None
        mismatch = mismatch or (actual is not None and wanted is not None and actual != wanted)
    assert mismatch, "the lagging TrafficSplit trails status.canary.weights"
    refs = west.get("httproutes", "platform", "gateway-route")["spec"]["rules"][0]["backendRefs"]
    assert {r["name"] for r in refs} == {"gateway-stable", "gateway-canary"}
