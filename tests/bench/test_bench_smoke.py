"""Smoke tests: both benchmark scripts complete in --quick mode and report every figure.

They assert completeness, not timing thresholds: machines differ and figures are compared with
their baselines in the README, not here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, in_ci

BENCH = REPO_ROOT / "benchmarks"
RUN_FIGURES = {
    *(f"{kind}.{size}.{what}" for size in (200, 800) for kind, what in (
        ("coldstart", "seconds"), ("coldstart", "ratio"), ("firstscreen", "seconds"), ("rss", "peak_mb"))),
    "memory.bytes_per_rollout",
    "events.max_rate",
    "keys.p50_ms",
    "keys.p99_ms",
    "clusters.seconds",
    "clusters.ratio",
    "clusters.peak_mb",
    "terminal.quiet_bps",
    "terminal.motion_bps",
    "detail.seconds",
    "action.seconds",
}  # fmt: skip
SOAK_FAULTS = {
    "blackhole", "resets", "refused", "latency", "drop", "stall", "expire", "errors429", "errors503", "restart"
}  # fmt: skip


def _need_kubectl() -> None:
    if shutil.which("kubectl") is None and not os.path.exists("/usr/bin/kubectl"):
        if in_ci():
            pytest.fail("kubectl is required for the benchmark baselines")
        pytest.skip("kubectl not installed")


def _run(script: str, out: Path, timeout: float) -> dict:
    env = dict(os.environ, NO_PROXY="127.0.0.1,localhost")
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO_ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.mark.long
@pytest.mark.timeout(150)
def test_run_quick_reports_every_figure(tmp_path: Path) -> None:
    _need_kubectl()
    doc = _run("run.py", tmp_path / "run.json", 140)
    figures = {f["key"]: f for f in doc["figures"]}
    assert set(figures) == RUN_FIGURES
    assert doc["meta"]["failed"] == {}
    for key, figure in figures.items():
        assert figure["value"] is not None, f"{key} was not measured"
    for key in ("coldstart.200.seconds", "coldstart.800.seconds", "detail.seconds", "events.max_rate"):
        assert figures[key]["baseline"] is not None, f"{key} has no baseline"


@pytest.mark.long
@pytest.mark.timeout(200)
def test_soak_quick_reports_every_fault_for_both_modes(tmp_path: Path) -> None:
    doc = _run("soak.py", tmp_path / "soak.json", 190)
    assert [run["mode"] for run in doc["runs"]] == ["interactive", "wall"]
    for run in doc["runs"]:
        assert {f["fault"] for f in run["faults"]} == SOAK_FAULTS
        for fault in run["faults"]:
            assert {"detected_s", "recovered_s", "errors_escaped"} <= set(fault)
        assert run["writes_sent"] == 0  # read-only and wall: nothing may reach the server as a write
        assert run["memory"]["samples"] >= 2
        assert run["objects_start"] and run["objects_end"]  # the diagnostics hook answered
