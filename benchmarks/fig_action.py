"""Figure 6: promote on a paused canary: from the confirming keypress to the simulator's new state
(the controller moved the rollout on) painted in the overview."""

from __future__ import annotations

import time

import fleetgen
from report import Figure, percentile
from simproc import SimProcess
from uiproc import UiProcess

GOAL = 0.25
NAMESPACE = "actions"


def _wait_paused(sim: SimProcess, name: str, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = sim.request(op="get", namespace=NAMESPACE, name=name)
        if state["phase"] == "Paused" and state["pauseConditions"]:
            return True
        time.sleep(0.2)
    return False


def measure(repeats: int) -> list[Figure]:
    times: list[float] = []
    failures: list[str] = []
    with SimProcess(controller=True) as sim:
        names = [f"promote-{i}" for i in range(repeats)]
        for name in names:
            sim.request(op="create", plural="rollouts", object=fleetgen.promotable(NAMESPACE, name))
        time.sleep(3.0)  # first revision comes up (no steps for a first rollout)
        for i, name in enumerate(names):
            sim.request(
                op="set_image", namespace=NAMESPACE, name=name, image=f"registry.example.com/web:{i + 2}"
            )
        with UiProcess(sim.kubeconfig) as ui:
            ui.request("rows", count=len(names))
            for name in names:
                if not _wait_paused(sim, name):
                    failures.append(f"{name}: never paused")
                    continue
                ui.request("select", key=f"bench/{NAMESPACE}/{name}")
                time.sleep(1.2)  # the row shows Paused (drain + tick), RBAC answers arrive
                done = ui.request("action", key="p", timeout=60)
                if done.get("ok"):
                    times.append(done["seconds"])
                else:
                    failures.append(f"{name}: {done}")
    p50 = percentile(times, 50)
    return [
        Figure(
            "action.seconds",
            "promote: confirm keypress to new state painted (median)",
            p50,
            "s",
            f"<= {GOAL} s",
            None if p50 is None else p50 <= GOAL,
            extra={"runs": times, "failures": failures, "max": max(times) if times else None},
        )
    ]
