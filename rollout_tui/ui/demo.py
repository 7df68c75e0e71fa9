"""`--demo`: two in-process simulated clusters (east, west) and a kubeconfig naming both.

No Textual here: the launcher uses it before the UI starts, and screenshots/make.py and the
tests reuse it.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

DEMO_CLUSTERS = ("east", "west")


def merge_kubeconfigs(paths: list[Path], out: Path, current: str) -> Path:
    """One kubeconfig holding every context of ``paths`` (each file from Simulator.write_kubeconfig)."""
    merged: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [],
        "contexts": [],
        "users": [],
        "current-context": current,
        "preferences": {},
    }
    for path in paths:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section in ("clusters", "contexts", "users"):
            merged[section].extend(doc.get(section) or [])
    out.write_text(yaml.safe_dump(merged, sort_keys=False), encoding="utf-8")
    out.chmod(0o600)
    return out


@contextlib.contextmanager
def demo_fleet(
    clusters: tuple[str, ...] = DEMO_CLUSTERS,
    scenario: str = "demo",
    controller: bool = True,
    speed: float = 1.0,
    **sim_kwargs: Any,
) -> Iterator[tuple[Path, list[Any]]]:
    """Start one Simulator per cluster; yield (kubeconfig path, simulators); stop them after."""
    from rollout_tui.sim import Simulator

    sims: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="rollout-tui-demo-") as tmp:
        try:
            paths = []
            for name in clusters:
                sim = Simulator(
                    port=0, scenario=f"{scenario}:{name}", controller=controller, speed=speed, **sim_kwargs
                )
                sim.start()
                sims.append(sim)
                paths.append(Path(sim.write_kubeconfig(str(Path(tmp) / f"{name}.yaml"), context=name)))
            yield merge_kubeconfigs(paths, Path(tmp) / "kubeconfig", clusters[0]), sims
        finally:
            for sim in sims:
                with contextlib.suppress(Exception):
                    sim.stop()
