"""The controller's engine: idle rollouts cost nothing, timers wake exactly what is due, and the
background thread follows store changes on a fast simulated clock."""

from __future__ import annotations

import time
from datetime import timedelta

from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller import Controller
from rollout_tui.sim.controller.harness import Harness
from rollout_tui.sim.store import Store


def _rollout(name: str, steps: list[dict] | None = None) -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "app", "image": "demo:blue"}]},
            },
            "strategy": {"canary": {"steps": steps or [{"setWeight": 50}, {"pause": {"duration": "1h"}}]}},
        },
    }


def test_an_idle_fleet_does_no_work() -> None:
    h = Harness()
    h.apply([_rollout(f"app-{i}") for i in range(20)])
    assert h.run_until(lambda: all(h.phase(f"app-{i}") == "Healthy" for i in range(20)), 60)
    h.tick(5)
    before, rv = sum(h.controller.stats.values()), h.store.resource_version
    assert h.controller.pending_timers() == 0
    h.tick(3600)
    assert sum(h.controller.stats.values()) == before
    assert h.store.resource_version == rv
    assert h.controller.reconcile_all() > 0  # a full pass still visits everything...
    assert h.store.resource_version == rv  # ...and writes nothing


def test_a_timed_pause_is_a_timer_not_a_poll() -> None:
    h = Harness()
    h.apply(_rollout("web"))
    assert h.run_until(lambda: h.phase("web") == "Healthy", 30)
    h.set_image("web", "demo:green")
    assert h.run_until(lambda: h.phase("web") == "Paused", 30)
    due = h.controller.next_timer()
    assert due is not None and 3590 <= (due - h.clock.now()).total_seconds() <= 3600
    reconciles = h.controller.stats["rollouts"]
    h.tick(1800)
    assert h.controller.stats["rollouts"] == reconciles  # nothing to do half-way through the pause
    h.tick(1800)
    assert h.status("web")["currentStepIndex"] == 2


def test_run_until_gives_up_after_max_seconds() -> None:
    h = Harness()
    h.apply(_rollout("web"))
    start = h.clock.now()
    assert h.run_until(lambda: False, 30, step=5) is False
    assert (h.clock.now() - start).total_seconds() == 30


def test_background_thread_on_a_fast_clock() -> None:
    clock = SimClock(speed=20.0)
    store = Store(clock=clock)
    controller = Controller(store, clock)
    controller.start()
    try:
        store.create("rollouts", _rollout("web", steps=[{"setWeight": 50}, {"pause": {"duration": "20s"}}]))
        deadline = time.monotonic() + 10
        phase = None
        while time.monotonic() < deadline:
            phase = (store.get("rollouts", "default", "web").get("status") or {}).get("phase")
            if phase == "Healthy":
                break
            time.sleep(0.05)
        assert phase == "Healthy"
        ro = store.get("rollouts", "default", "web")
        ro["spec"]["template"]["spec"]["containers"][0]["image"] = "demo:green"
        store.replace("rollouts", ro)
        deadline = time.monotonic() + 15  # 20 s of pause at 20x is about 1 s of wall time
        while time.monotonic() < deadline:
            status = store.get("rollouts", "default", "web").get("status") or {}
            if status.get("stableRS") == status.get("currentPodHash") and status.get("phase") == "Healthy":
                break
            time.sleep(0.05)
        assert status.get("stableRS") == status.get("currentPodHash")
        assert controller.errors == []
    finally:
        controller.stop()
    assert not controller.running


def test_deleting_a_rollout_takes_its_children_and_the_controller_keeps_quiet() -> None:
    h = Harness()
    h.apply(_rollout("web"))
    assert h.run_until(lambda: h.phase("web") == "Healthy", 30)
    h.store.delete("rollouts", "default", "web")
    h.tick(10)
    assert h.store.list("replicasets")[0] == [] and h.pods() == []
    assert h.controller.errors == []


def test_superseded_timers_do_not_pile_up() -> None:
    h = Harness()
    controller = h.controller
    key = ("rollouts", "default", "ghost")
    for i in range(20000):
        controller._set_timer(key, h.clock.now().replace(microsecond=0) + timedelta(seconds=600 + i))
    assert controller.pending_timers() == 1
    assert len(controller._timers) <= 4 + 1024
