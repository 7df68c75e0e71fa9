"""Figures 1 and 2: cold start to a populated, painted overview, and the UI's peak RSS."""

from __future__ import annotations

from kubectl import Kubectl
from report import Figure
from simproc import SimProcess
from uiproc import UiProcess

RSS_GOAL_MB = 200.0
RSS_GOAL_AT = 10_000


def namespaces_for(rollouts: int) -> int:
    return max(1, rollouts // 50)  # 10,000 rollouts in 200 namespaces


def measure(rollouts: int, repeats: int) -> list[Figure]:
    namespaces = namespaces_for(rollouts)
    with SimProcess(rollouts=rollouts, namespaces=namespaces) as sim:
        kubectl = Kubectl(sim.kubeconfig)
        try:
            baseline = kubectl.timed("get", "rollouts.argoproj.io", "-A", repeats=repeats)
        finally:
            kubectl.close()
        ui = UiProcess(sim.kubeconfig).start()
        try:
            ready = ui.request("rows", count=rollouts, timeout=600)
        finally:
            final = ui.stop()
    seconds = ready["t"] - ui.spawned_at
    peak_mb = max(ready["peak_rss"], final.get("peak_rss", 0)) / 1e6
    ratio = seconds / baseline if baseline else None
    where = f"{rollouts:,} rollouts / {namespaces} ns"
    figures = [
        Figure(
            f"coldstart.{rollouts}.seconds",
            f"cold start, {where}",
            seconds,
            "s",
            "",
            None,
            baseline,
            "kubectl get -A",
            extra={"rows": ready["rows"]},
        ),
        Figure(
            f"coldstart.{rollouts}.ratio",
            f"cold start ratio vs kubectl, {where}",
            ratio,
            "x",
            "<= 1.0",
            None if ratio is None else ratio <= 1.0,
        ),
        Figure(
            f"rss.{rollouts}.peak_mb",
            f"peak RSS of the UI, {where}",
            peak_mb,
            "MB",
            f"<= {RSS_GOAL_MB:.0f} MB" if rollouts == RSS_GOAL_AT else "",
            (peak_mb <= RSS_GOAL_MB) if rollouts == RSS_GOAL_AT else None,
        ),
    ]
    return figures
