"""Waves against three simulated clusters over real HTTP, on the simulators' own (manual) clock.

The runner is driven pass by pass (`step`) while the test moves simulated time, so the order of
the rings and every bake can be checked on the clusters' timestamps, and a crash-looping image is
caught in ring 0 with rings 1 and 2 never written.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path
from typing import Any

from rollout_tui.kube.audit import AuditLog
from rollout_tui.kube.ring_reads import access_refusals, app_members, read_only_contexts, stale_contexts
from rollout_tui.kube.wave import WaveRunner
from rollout_tui.model.fields import parse_time
from rollout_tui.model.ring_config import default_rings
from rollout_tui.model.rings import image_target, lead_target
from rollout_tui.model.wave_plan import WavePlan, plan_wave
from tests.kube.ringsim import APP, CLUSTERS, CRASH, GREEN, NAMESPACE, Clusters, three_clusters

BAKE = timedelta(seconds=60)


def make_plan(c: Clusters, fleet: Any, image: str | None, abort: bool = False) -> WavePlan:
    c.settle(fleet)
    config = default_rings(CLUSTERS, BAKE)
    now = c.clock.now()
    members = app_members(fleet, config, APP, now)
    target = image_target(image) if image else lead_target(members, config)
    assert not isinstance(target, str), target
    plan = plan_wave(
        "w-test",
        APP,
        members,
        config,
        target,
        now=now,
        abort_on_failure=abort,
        stale=stale_contexts(fleet),
        read_only=read_only_contexts(fleet),
    )
    return plan.refuse(access_refusals(plan, fleet))


def drive(c: Clusters, fleet: Any, runner: WaveRunner, seconds: int = 1200) -> None:
    """Pass, then one simulated second, until the wave ends."""
    runner.begin()
    for _ in range(seconds):
        runner.step()
        if runner.wave.finished:
            return
        c.advance(1)
        c.settle(fleet)
    raise AssertionError(f"the wave did not finish: {runner.wave.phase} {runner.transitions[-3:]}")


def healthy_since(rollout: dict) -> Any:
    for cond in rollout["status"]["conditions"]:
        if cond["type"] == "Healthy" and cond["status"] == "True":
            return parse_time(cond["lastTransitionTime"])
    raise AssertionError("not healthy")


def new_replicaset_created(c: Clusters, cluster: str) -> Any:
    """When the controller created the ReplicaSet of the rollout's current revision."""
    rollout = c.stored(cluster)
    rs_hash = rollout["status"]["currentPodHash"]
    items, _ = c.sims[cluster].store.list("replicasets", NAMESPACE)
    (rs,) = [r for r in items if r["metadata"]["labels"].get("rollouts-pod-template-hash") == rs_hash]
    return parse_time(rs["metadata"]["creationTimestamp"])


def test_a_good_image_reaches_every_ring_in_order_each_after_its_bake(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    with three_clusters(tmp_path) as c:
        fleet = c.fleet(audit=audit)
        plan = make_plan(c, fleet, GREEN)
        assert plan.ok, plan.refusals
        assert [[w.action for w in r.writes] for r in plan.rings] == [["set_image"]] * 3
        runner = WaveRunner(fleet, plan, c.clock, poll=0)
        drive(c, fleet, runner)
        assert runner.wave.succeeded, runner.wave.reason
        for cluster in CLUSTERS:
            assert c.stored(cluster)["spec"]["template"]["spec"]["containers"][0]["image"] == GREEN
        # on the simulators' clocks: ring N+1's new revision appeared only after ring N had been
        # Healthy at the new image for the whole bake time
        for before, after in itertools.pairwise(CLUSTERS):
            assert new_replicaset_created(c, after) >= healthy_since(c.stored(before)) + BAKE
        starts = [t.ring for t in runner.transitions if t.event == "ring-starting"]
        assert starts == [0, 1, 2]
        events = [t.event for t in runner.transitions]
        assert events[-2:] == ["ring-baked", "done"]
    writes = [e for e in audit.entries() if e["action"] == "set_image"]
    assert [e["context"] for e in writes] == list(CLUSTERS)
    assert {e["wave"] for e in writes} == {"w-test"} and {e["outcome"] for e in writes} == {"applied"}


def test_a_crash_looping_image_stops_in_ring_0_and_leaves_rings_1_and_2_untouched(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        fleet = c.fleet()
        untouched = {k: c.stored(k)["metadata"]["resourceVersion"] for k in CLUSTERS[1:]}
        plan = make_plan(c, fleet, CRASH)
        runner = WaveRunner(fleet, plan, c.clock, poll=0)
        drive(c, fleet, runner)
        assert runner.wave.phase == "stopped" and runner.wave.failed_ring == 0
        assert "restarted" in runner.wave.reason or "CrashLoopBackOff" in runner.wave.reason
        for cluster, version in untouched.items():
            assert c.stored(cluster)["metadata"]["resourceVersion"] == version
        # found long before the progress deadline (600 s) would have degraded the rollout
        started = next(t.at for t in runner.transitions if t.event == "ring-starting")
        failed = next(t.at for t in runner.transitions if t.event == "ring-failed")
        assert failed - started < timedelta(seconds=120)
        assert not c.stored("east")["status"].get("abort")  # without --abort-on-failure: left as is
        assert runner.transitions[-1].text.endswith("rings west, north untouched")


def test_abort_on_failure_aborts_the_failing_ring_only(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        fleet = c.fleet()
        untouched = {k: c.stored(k)["metadata"]["resourceVersion"] for k in CLUSTERS[1:]}
        runner = WaveRunner(fleet, make_plan(c, fleet, CRASH, abort=True), c.clock, poll=0)
        drive(c, fleet, runner)
        assert runner.wave.phase == "stopped"
        assert [t.event for t in runner.transitions if t.event in ("aborting", "write")][-2:] == [
            "aborting",
            "write",
        ]
        assert c.stored("east")["status"]["abort"] is True
        for cluster, version in untouched.items():
            assert c.stored(cluster)["metadata"]["resourceVersion"] == version


def test_a_read_only_ring_refuses_the_plan(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        fleet = c.fleet(read_only_contexts=("west",))
        plan = make_plan(c, fleet, GREEN)
        assert not plan.ok
        assert any(r.startswith("ring 1 (west):") and "read-only" in r for r in plan.refusals)


def test_without_an_image_the_wave_propagates_what_ring_0_runs(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        east = c.sims["east"].store
        east.mutate(
            "rollouts",
            NAMESPACE,
            APP,
            lambda o: o["spec"]["template"]["spec"]["containers"][0].__setitem__("image", GREEN),
        )
        assert c.run_until(lambda: c.stored("east")["status"].get("phase") == "Healthy", 120)
        fleet = c.fleet()
        plan = make_plan(c, fleet, None)
        assert plan.ok, plan.refusals
        assert plan.target.images == (("web", GREEN),)
        assert [len(r.writes) for r in plan.rings] == [0, 1, 1]
        assert "already at green" in plan.rings[0].unchanged[0]


def test_a_detail_watch_refused_does_not_make_the_rings_stale(tmp_path: Path) -> None:
    """Staleness is the overview's: a wave must not hold (nor a ring show stale) because someone
    opened a detail whose watches are still syncing or, here, refused."""
    from rollout_tui.kube.config import prepare
    from rollout_tui.kube.fleet import Fleet
    from rollout_tui.kube.state import Phase
    from tests.kube.conftest import wait_for

    with three_clusters(tmp_path) as c:
        east = c.sims["east"]
        east.add_user("viewer", "viewer-token", namespaces=[NAMESPACE])
        kubeconfig = east.write_kubeconfig(tmp_path / "viewer.yaml", context="east", user="viewer")
        fleet = Fleet(prepare(str(kubeconfig), ["east"]), namespaces=[NAMESPACE], audit=None).start()
        try:
            assert fleet.wait_synced(10)
            hidden = {"metadata": {"name": "x", "namespace": "other", "uid": "u-1"}, "spec": {}}
            fleet.open_detail("east", "other", hidden)
            wait_for(lambda: fleet.states()["east"].phase is Phase.FORBIDDEN, message="the detail refused")
            assert fleet.overview_states()["east"].ok
            assert stale_contexts(fleet) == {}
        finally:
            fleet.stop()
