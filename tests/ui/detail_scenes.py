"""The rollout `shop` driven by the simulated controller into the states the detail tests look at
(imported by those tests): deployed at v1, then updated to v2 through the given canary steps.

`updating` returns the store-level SimCluster to feed a pane directly; `manifest` writes its objects
for a frozen simulator behind a real Fleet (`uihelpers.running_fleet(load=[...])`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.ui.test_detail_live import SUCCESS_RATE_TEMPLATE, SimCluster, _shop_rollout

ANALYSIS_STEP = {"analysis": {"templates": [{"templateName": "success-rate"}]}}
# At step 3 of 4, the indefinite pause: it waits for a human, so the wall shows it too.
STEPS: list[dict[str, Any]] = [
    {"setWeight": 25},
    {"pause": {"duration": "10s"}},
    {"setWeight": 50},
    {"pause": {}},
]


def updating(
    steps: list[dict[str, Any]] | None = None,
    mode: str | None = None,
    ticks: int = 0,
    background: bool = False,
) -> SimCluster:
    """shop at v1, then set to v2 and `ticks` times 10 s of the controller. `mode`: how its
    analyses go (the simulator's modes: pass, fail...); `background`: with a background analysis
    from step 1."""
    sim = SimCluster()
    sim.store.create("analysistemplates", SUCCESS_RATE_TEMPLATE)
    rollout = _shop_rollout(mode if background else None)
    if mode:
        rollout["metadata"]["annotations"]["sim.rollout-tui.dev/analysis"] = mode
    if steps is not None:
        rollout["spec"]["strategy"]["canary"]["steps"] = steps
    sim.store.create("rollouts", rollout)
    sim.controller.tick(120)
    sim.set_image("shop:v2")
    for _ in range(ticks):
        sim.controller.tick(10)
    return sim


def status(sim: SimCluster) -> dict[str, Any]:
    return dict(sim.store.get("rollouts", "default", "shop")["status"])


def manifest(sim: SimCluster, path: Path) -> Path:
    path.write_text(yaml.safe_dump_all(sim.objects()))
    return path


def paused_shop(tmp_path: Path, analysis: bool = False) -> Path:
    """Waiting at its indefinite pause (step 3/4); `analysis`: a background analysis running."""
    sim = updating(STEPS, "pass" if analysis else None, ticks=6, background=analysis)
    assert status(sim)["currentStepIndex"] == 3
    return manifest(sim, tmp_path / "shop.yaml")


def aborted_shop(tmp_path: Path) -> Path:
    """Its background analysis failed and aborted the update to revision 2."""
    sim = updating(STEPS, "fail", ticks=12, background=True)
    assert status(sim).get("abort") is True
    return manifest(sim, tmp_path / "aborted.yaml")
