"""Many clusters: K simulators in their own processes (R rollouts each), one KUBECONFIG with K
contexts, ``rollout-tui --all-contexts`` on a pty until every row is painted (the header's total
is K x R and a full screen of rows is shown), vs the K ``kubectl --context X get ro -A`` run one
after another (median of N passes); the UI's peak RSS."""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from fig_paint import paint
from kubectl import Kubectl
from report import Figure
from simproc import SimProcess

RATIO_GOAL = 0.5
RSS_GOAL_MB = 150.0


def merge_kubeconfigs(paths: list[str], out: Path) -> Path:
    """One kubeconfig holding every context of ``paths`` (names must already be distinct)."""
    merged: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [],
        "users": [],
        "contexts": [],
    }
    for path in paths:
        doc = yaml.safe_load(Path(path).read_text())
        for key in ("clusters", "users", "contexts"):
            merged[key] += doc.get(key) or []
        merged.setdefault("current-context", doc.get("current-context"))
    out.write_text(yaml.safe_dump(merged, sort_keys=False))
    out.chmod(0o600)
    return out


def start_all(count: int, rollouts: int) -> list[SimProcess]:
    sims = [
        SimProcess(rollouts=rollouts, namespaces=max(1, rollouts // 50), context=f"c{i:02d}")
        for i in range(count)
    ]
    errors: list[BaseException] = []

    def start(sim: SimProcess) -> None:
        try:
            sim.start()
        except BaseException as exc:  # reported below, after every start has ended
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,), daemon=True) for s in sims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    if errors:
        for sim in sims:
            sim.stop()
        raise errors[0]
    return sims


def kubectl_one_after_another(kubeconfig: str, contexts: list[str], repeats: int) -> float:
    kubectl = Kubectl(kubeconfig)
    try:
        for ctx in contexts:  # warm every cluster's discovery cache
            kubectl.run("--context", ctx, "get", "ro", "-A")
        passes = []
        for _ in range(max(1, repeats)):
            start = time.perf_counter()
            for ctx in contexts:
                kubectl.run("--context", ctx, "get", "ro", "-A")
            passes.append(time.perf_counter() - start)
    finally:
        kubectl.close()
    return statistics.median(passes)


def measure(clusters: int, rollouts: int, repeats: int) -> list[Figure]:
    sims = start_all(clusters, rollouts)
    try:
        with tempfile.TemporaryDirectory(prefix="rollout-tui-bench-clusters-") as tmp:
            kubeconfig = str(merge_kubeconfigs([s.kubeconfig for s in sims], Path(tmp) / "kubeconfig"))
            contexts = [f"c{i:02d}" for i in range(clusters)]
            baseline = kubectl_one_after_another(kubeconfig, contexts, repeats)
            ui = paint(kubeconfig, clusters * rollouts, ("--all-contexts",))
    finally:
        for sim in sims:
            sim.stop()
    every = ui["every"]
    ratio = every / baseline if every is not None and baseline else None
    peak_mb = ui["peak_rss"] / 1e6
    where = f"{clusters} clusters x {rollouts:,} rollouts"
    return [
        Figure(
            "clusters.seconds",
            f"{where} (--all-contexts): every row painted (pty)",
            every,
            "s",
            "",
            None,
            baseline,
            f"{clusters} kubectl --context X get ro -A, one after another",
            extra=ui,
        ),
        Figure(
            "clusters.ratio",
            f"{where}: ratio vs the {clusters} kubectl runs",
            ratio,
            "x",
            f"<= {RATIO_GOAL}",
            None if ratio is None else ratio <= RATIO_GOAL,
        ),
        Figure(
            "clusters.peak_mb",
            f"{where}: peak RSS of the UI (VmHWM)",
            peak_mb,
            "MB",
            f"<= {RSS_GOAL_MB:.0f} MB",
            peak_mb <= RSS_GOAL_MB,
        ),
    ]
