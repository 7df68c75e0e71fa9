"""Reflectors against the simulator: after every kind of failure the cache equals the server."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from rollout_tui.kube.config import load_contexts
from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.reflector import Scope
from rollout_tui.kube.state import Phase

from .conftest import FAST, pod, replicaset, rollout, wait_for


def server_view(sim: Any, plural: str = "rollouts", namespace: str | None = None) -> dict:
    items, _ = sim.store.list(plural, namespace)
    return {
        (o["metadata"]["namespace"], o["metadata"]["name"]): o["metadata"]["resourceVersion"] for o in items
    }


def cache_view(fleet: Fleet, context: str = "sim") -> dict:
    return {(s.namespace, s.name): s.resource_version for s in fleet.rollouts()[context]}


def converged(sim: Any, fleet: Fleet, context: str = "sim") -> bool:
    return server_view(sim) == cache_view(fleet, context)


def start_fleet(kubeconfig: str, **kwargs: Any) -> Fleet:
    fleet = Fleet(load_contexts(kubeconfig), params=FAST, **kwargs).start()
    assert fleet.wait_synced(10)
    return fleet


def overview_reflector(fleet: Fleet, context: str = "sim") -> Any:
    return next(r for r in fleet.hub(context).reflectors() if r.name.endswith("/overview"))


def churn(sim: Any, tag: str) -> None:
    """Add, change and delete objects behind the client's back."""
    sim.store.create("rollouts", rollout(f"new-{tag}"))
    sim.store.patch(
        "rollouts",
        "default",
        "r-001",
        {"metadata": {"labels": {"seen": tag}}},
        "application/merge-patch+json",
    )
    victims = sorted(k[1] for k in server_view(sim) if k[0] == "default" and k[1].startswith("r-0"))
    sim.store.delete("rollouts", "default", victims[-1])


def seed(sim: Any, count: int = 120) -> None:
    for i in range(count):
        sim.store.create("rollouts", rollout(f"r-{i:03d}", namespace="default" if i % 3 else "other"))


def test_initial_paged_sync_then_live_updates_arrive_as_coalesced_batches(sim: Any, kubeconfig: str) -> None:
    seed(sim)
    fleet = start_fleet(kubeconfig)
    try:
        assert converged(sim, fleet)
        assert len(fleet.rollouts()["sim"]) == 120
        assert fleet.states()["sim"].phase is Phase.LIVE
        while not fleet.batches.empty():
            fleet.batches.get_nowait()
        churn(sim, "live")
        wait_for(lambda: converged(sim, fleet), message="live changes")
        seen_up, seen_del = set(), set()

        def drained() -> bool:
            while not fleet.batches.empty():
                batch = fleet.batches.get_nowait()
                seen_up.update(s.name for s in batch.rollouts)
                seen_del.update(k[2] for k in batch.deleted)
            return "new-live" in seen_up and "r-001" in seen_up and seen_del

        wait_for(drained, message="batches")
        assert overview_reflector(fleet).lists == 1
    finally:
        fleet.stop()


def test_namespaced_overview_sees_only_its_namespaces(sim: Any, kubeconfig: str) -> None:
    seed(sim, 30)
    fleet = start_fleet(kubeconfig, namespaces=["other"])
    try:
        assert {k[0] for k in cache_view(fleet)} == {"other"}
        assert cache_view(fleet) == server_view(sim, namespace="other")
    finally:
        fleet.stop()


def test_dropped_stream_rewatches_from_its_resource_version_without_relisting(
    sim: Any, kubeconfig: str
) -> None:
    seed(sim, 20)
    fleet = start_fleet(kubeconfig)
    try:
        reflector = overview_reflector(fleet)
        wait_for(lambda: sim.store.watches(), message="the watch to be open")
        watches = reflector.watches
        assert sim.faults.drop_watches() >= 1
        churn(sim, "dropped")
        wait_for(lambda: converged(sim, fleet), message="convergence after a dropped stream")
        assert reflector.watches > watches
        assert reflector.lists == 1
    finally:
        fleet.stop()


def test_silent_stream_is_detected_by_the_read_timeout(sim: Any, kubeconfig: str) -> None:
    seed(sim, 20)
    fleet = start_fleet(kubeconfig)
    try:
        reflector = overview_reflector(fleet)
        sim.faults.stall()  # no events, no bookmarks: a silent partition
        churn(sim, "silent")
        wait_for(
            lambda: fleet.states()["sim"].phase is Phase.RECONNECTING,
            timeout=6,
            message="the read timeout to be noticed",
        )
        assert "read timeout" in fleet.states()["sim"].detail
        assert not converged(sim, fleet)
        sim.faults.unstall()
        wait_for(lambda: converged(sim, fleet), message="convergence after a silent stream")
        wait_for(lambda: fleet.states()["sim"].phase is Phase.LIVE, message="live again")
        assert reflector.lists == 1
    finally:
        fleet.stop()


def test_forced_410_relists_and_reports_exact_deletions(sim: Any, kubeconfig: str) -> None:
    seed(sim, 20)
    fleet = start_fleet(kubeconfig)
    try:
        reflector = overview_reflector(fleet)
        sim.faults.stall()  # hold the stream so the changes are only visible after the expiry
        churn(sim, "expired")
        sim.faults.expire()
        sim.faults.unstall()
        wait_for(lambda: reflector.lists >= 2, message="a relist after 410")
        wait_for(lambda: converged(sim, fleet), message="convergence after 410")
    finally:
        fleet.stop()


def test_resource_version_the_server_never_issued_relists_instead_of_retrying_forever(
    sim: Any, kubeconfig: str
) -> None:
    # What a client sees after the API server is restored from an older state: a 504 "Too large
    # resource version" on watch. Retrying the same version would never succeed.
    seed(sim, 20)
    fleet = start_fleet(kubeconfig)
    try:
        reflector = overview_reflector(fleet)
        wait_for(lambda: sim.store.watches(), message="the watch to be open")
        reflector.resource_version = str(int(sim.store.resource_version) + 1_000_000)
        sim.faults.drop_watches()
        churn(sim, "too-large")
        wait_for(lambda: reflector.lists >= 2, message="a relist after a too-large resourceVersion")
        wait_for(lambda: converged(sim, fleet), message="convergence after the relist")
    finally:
        fleet.stop()


def test_api_down_for_a_while_with_changes_meanwhile(sim: Any, kubeconfig: str) -> None:
    seed(sim, 20)
    fleet = start_fleet(kubeconfig)
    phases: list[Phase] = []
    try:
        sim.faults.restart(down_seconds=1.5)
        churn(sim, "down")
        sim.store.create("rollouts", rollout("added-while-down", namespace="other"))

        def recovered() -> bool:
            phases.append(fleet.states()["sim"].phase)
            return converged(sim, fleet) and phases[-1] is Phase.LIVE

        wait_for(recovered, timeout=15, message="recovery after the API came back")
        assert Phase.UNREACHABLE in phases or Phase.RECONNECTING in phases
    finally:
        fleet.stop()


def test_reconnects_as_soon_as_the_api_returns_not_after_the_full_backoff(sim: Any, kubeconfig: str) -> None:
    # The API is down when the fleet starts: its first list is refused and the backoff asks for
    # 5-10 s. The view must not stay empty that long once the server listens again (after 2 s):
    # the reflector probes the port while it waits.
    seed(sim, 20)
    params = replace(FAST, backoff_initial=10.0, backoff_max=30.0, probe_interval=0.1)
    sim.faults.restart(down_seconds=2.0)
    started = time.monotonic()
    fleet = Fleet(load_contexts(kubeconfig), params=params).start()
    try:
        wait_for(
            lambda: converged(sim, fleet) and fleet.states()["sim"].phase is Phase.LIVE,
            timeout=15,
            message="recovery after the API came back",
        )
        assert time.monotonic() - started < 4.5, "waited out the backoff instead of probing"
    finally:
        fleet.stop()


def test_429_and_5xx_bursts_back_off_and_recover(sim: Any, kubeconfig: str) -> None:
    seed(sim, 20)
    fleet = start_fleet(kubeconfig, warnings=False)  # one watch meets every injected error
    try:
        reflector = overview_reflector(fleet)
        for code in (503, 429, 500):
            wait_for(lambda: sim.store.watches(), message="an open watch")
            sim.faults.fail_next(4, code)
            sim.faults.drop_watches()
            churn(sim, f"burst{code}")
            wait_for(lambda: converged(sim, fleet), timeout=10, message=f"convergence after {code} burst")
        assert reflector.failures >= 9  # every injected error was met (and backed off from)
        assert reflector.backoff.attempts == 0  # reset after success
        wait_for(lambda: fleet.states()["sim"].phase is Phase.LIVE, message="live")
    finally:
        fleet.stop()


def test_connection_state_transitions_reach_consumers_in_batches(sim: Any, kubeconfig: str) -> None:
    fleet = Fleet(load_contexts(kubeconfig), params=FAST).start()
    seen: list[Phase] = []
    try:

        def collect(target: Phase) -> bool:
            while not fleet.batches.empty():
                batch = fleet.batches.get_nowait()
                if "sim" in batch.connections and (
                    not seen or seen[-1] is not batch.connections["sim"].phase
                ):
                    seen.append(batch.connections["sim"].phase)
            return bool(seen) and seen[-1] is target

        wait_for(lambda: collect(Phase.LIVE), message="live")
        sim.faults.restart(down_seconds=1.0)
        wait_for(
            lambda: collect(Phase.UNREACHABLE) or Phase.UNREACHABLE in seen,
            timeout=5,
            message="unreachable while the server is down",
        )
        wait_for(lambda: collect(Phase.LIVE), timeout=10, message="live after restart")
        assert seen[0] in (Phase.SYNCING, Phase.LIVE)
        state = fleet.states()["sim"]
        assert state.ok and state.describe() == "live"
    finally:
        fleet.stop()


def test_forbidden_namespace_is_surfaced_not_fatal(sim: Any, tmp_path: Path) -> None:
    sim.add_user("limited", "limited-token", namespaces=["other"])
    config = str(sim.write_kubeconfig(tmp_path / "kc", context="sim", user="limited"))
    fleet = Fleet(load_contexts(config), params=FAST, namespaces=["default", "other"]).start()
    try:
        wait_for(lambda: fleet.states()["sim"].phase is Phase.FORBIDDEN, message="forbidden state")
        assert "forbidden" in fleet.states()["sim"].detail.lower()
    finally:
        fleet.stop()


def test_two_contexts_from_a_kubeconfig_list(sim: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from rollout_tui.sim import Simulator

    with Simulator(controller=False, tls=False) as second:
        sim.store.create("rollouts", rollout("only-in-one"))
        second.store.create("rollouts", rollout("only-in-two"))
        first_path = sim.write_kubeconfig(tmp_path / "one", context="one")
        second_path = second.write_kubeconfig(tmp_path / "two", context="two")
        monkeypatch.setenv("KUBECONFIG", f"{first_path}:{second_path}")
        contexts = load_contexts(None, all_contexts=True)
        assert [c.name for c in contexts] == ["one", "two"]
        fleet = Fleet(contexts, params=FAST).start()
        try:
            assert fleet.wait_synced(10)
            names = {ctx: [s.name for s in states] for ctx, states in fleet.rollouts().items()}
            assert names == {"one": ["only-in-one"], "two": ["only-in-two"]}
            second.faults.restart(down_seconds=1.0)
            wait_for(lambda: fleet.states()["two"].phase is not Phase.LIVE, timeout=5, message="two down")
            assert fleet.states()["one"].phase is Phase.LIVE  # one cluster's trouble is its own
            second.store.create("rollouts", rollout("later"))
            wait_for(lambda: len(fleet.rollouts()["two"]) == 2, timeout=10, message="two recovered")
        finally:
            fleet.stop()


def test_detail_watches_are_scoped_owned_and_released(sim: Any, kubeconfig: str) -> None:
    ro = sim.store.create("rollouts", rollout("demo", app="demo"))
    rs = sim.store.create("replicasets", replicaset("demo-abc", "demo", owner=ro))
    sim.store.create("pods", pod("demo-abc-1", "demo", owner=rs))
    stray = sim.store.create("replicasets", replicaset("stray", "demo"))  # selector matches, not owned
    sim.store.create("pods", pod("stray-1", "demo", owner=stray))
    for i in range(30):  # unrelated objects in the same namespace
        other = sim.store.create("replicasets", replicaset(f"noise-{i}", f"noise-{i}"))
        sim.store.create("pods", pod(f"noise-{i}-p", f"noise-{i}", owner=other))
    fleet = start_fleet(kubeconfig)
    try:
        # the overview's: Rollouts and Warning Events
        wait_for(lambda: len(sim.store.watches()) == 2, timeout=5, message="the overview watches")
        before = 2
        detail = fleet.open_detail("sim", "default", "demo")
        assert detail.wait_synced(10)
        wait_for(
            lambda: len(sim.store.watches()) == before + len(detail.all_reflectors()),
            timeout=5,
            message="one server-side watch per detail reflector",
        )
        names = sorted((o["kind"], o["metadata"]["name"]) for o in detail.raw_objects())
        assert names == [("Pod", "demo-abc-1"), ("ReplicaSet", "demo-abc"), ("Rollout", "demo")]
        held = len(fleet.hub("sim").cache)
        assert held < 10  # nothing of the 60 unrelated objects was fetched
        sim.store.create("pods", pod("demo-abc-2", "demo", owner=rs))
        wait_for(
            lambda: any(o["metadata"]["name"] == "demo-abc-2" for o in detail.raw_objects()),
            message="a new pod in the detail view",
        )
        objects = detail.objects()
        assert objects.rollout("default", "demo") is not None
        detail.close()
        wait_for(
            lambda: len(sim.store.watches()) == before,
            timeout=5,
            message="the server to see the detail watches closed",
        )
        assert fleet.hub("sim").cache.objects_of("Pod") == []
        assert [s.name for s in fleet.rollouts()["sim"]] == ["demo"]  # overview keeps it
    finally:
        fleet.stop()


def test_malformed_objects_and_hostile_strings_do_not_break_the_reflector(sim: Any, kubeconfig: str) -> None:
    hostile = rollout("evil")
    hostile["metadata"]["labels"] = {"x": "y"}
    hostile["metadata"]["annotations"] = {"note": "\x1b[2J[bold red]boom[/]" + "w" * 5000}
    hostile["spec"]["strategy"] = "not-a-dict"
    sim.store.create("rollouts", hostile)
    fleet = start_fleet(kubeconfig)
    try:
        assert converged(sim, fleet)
        obj = fleet.rollout("sim", "default", "evil")
        assert json.dumps(obj)  # kept as data, untouched
    finally:
        fleet.stop()


def test_unserved_resource_is_failed_not_retried_hot(sim: Any, kubeconfig: str) -> None:
    from rollout_tui.kube.resources import Kind

    fleet = Fleet(load_contexts(kubeconfig), params=FAST, overview=False).start()
    try:
        widgets = Kind("Widget", "example.com", "v1", "widgets")  # e.g. a CRD that is not installed
        reflector = fleet.hub("sim").add(widgets, Scope("default"))
        wait_for(lambda: fleet.states()["sim"].phase is Phase.FAILED, message="failed state")
        assert "could not find the requested resource" in fleet.states()["sim"].detail
        failures = reflector.failures
        time.sleep(FAST.slow_retry * 3)
        assert reflector.failures <= failures + 4  # slow retries, not a hot loop
    finally:
        fleet.stop()
