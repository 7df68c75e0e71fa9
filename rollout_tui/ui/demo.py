"""`--demo`: three in-process simulated clusters and a kubeconfig naming them all.

east and west run the demo fleet (`demo.yaml`) and, beside it, the apps that run in every cluster
(`rings.yaml`); north, the third and small cluster, runs only those. With the clusters as rings in
that order, the rings view shows an app moving east -> west -> north (`DEMO_RINGS`).

No Textual here: the launcher uses it before the UI starts, and screenshots/make.py and the
tests reuse it.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

DEMO_CLUSTERS = ("east", "west", "north")
# The scenarios each demo cluster loads, the first one by the simulator itself.
DEMO_SCENARIOS = {
    "east": ("demo:east", "rings:east"),
    "west": ("demo:west", "rings:west"),
    "north": ("rings:north",),
}
DEMO_BAKE = timedelta(seconds=40)  # each ring's bake time in the demo (a real one is minutes)


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
    from rollout_tui.sim.scenarios import load_scenario

    sims: list[Any] = []
    extras: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="rollout-tui-demo-") as tmp:
        try:
            paths = []
            for name in clusters:
                first, *more = _scenarios(scenario, name)
                sim = Simulator(port=0, scenario=first, controller=controller, speed=speed, **sim_kwargs)
                sim.start()
                sims.append(sim)
                extras += [load_scenario(extra, sim.store, sim.clock) for extra in more]
                paths.append(Path(sim.write_kubeconfig(str(Path(tmp) / f"{name}.yaml"), context=name)))
            yield merge_kubeconfigs(paths, Path(tmp) / "kubeconfig", clusters[0]), sims
        finally:
            for running in (*extras, *sims):
                with contextlib.suppress(Exception):
                    running.stop()


def _scenarios(scenario: str, cluster: str) -> tuple[str, ...]:
    if scenario == "demo" and cluster in DEMO_SCENARIOS:
        return DEMO_SCENARIOS[cluster]
    return (f"{scenario}:{cluster}",)


def demo_rings() -> Any:
    """The demo's rings: each cluster a ring, in order, baked for `DEMO_BAKE`."""
    from rollout_tui.model.ring_config import default_rings

    return default_rings(DEMO_CLUSTERS, DEMO_BAKE)
