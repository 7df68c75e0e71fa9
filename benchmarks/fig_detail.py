"""Figure 5: open one rollout's detail in a namespace crowded with unrelated ReplicaSets and pods;
time from Enter to the revision tree painted, vs ``kubectl get rs,pods -l <selector>``."""

from __future__ import annotations

from kubectl import Kubectl
from report import Figure
from simproc import SimProcess
from uiproc import UiProcess

GOAL = 0.5
NAMESPACE, NAME = "crowded", "checkout"


def measure(unrelated: int, repeats: int) -> list[Figure]:
    with SimProcess(family=[f"{NAMESPACE}/{NAME}"], unrelated=[f"{NAMESPACE}:{unrelated}"]) as sim:
        kubectl = Kubectl(sim.kubeconfig)
        try:
            baseline = kubectl.timed("get", "rs,pods", "-n", NAMESPACE, "-l", f"app={NAME}", repeats=repeats)
        finally:
            kubectl.close()
        times: list[float] = []
        opened_by: list[str] = []
        for _ in range(repeats):
            with UiProcess(sim.kubeconfig) as ui:
                ui.request("rows", count=1)
                ui.request("select", key=f"bench/{NAMESPACE}/{NAME}")
                opened = ui.request("detail", pods=3, timeout=60)
                if opened["ok"]:
                    times.append(opened["seconds"])
                    opened_by.append(str(opened.get("via")))
    seconds = min(times) if len(times) == 1 else sorted(times)[len(times) // 2] if times else None
    return [
        Figure(
            "detail.seconds",
            f"detail tree painted, namespace with {unrelated:,} unrelated RS + {unrelated:,} pods",
            seconds,
            "s",
            f"<= {GOAL} s",
            None if seconds is None else seconds <= GOAL,
            baseline,
            "kubectl get rs,pods -l",
            extra={"runs": times, "opened_by": opened_by},
        )
    ]
