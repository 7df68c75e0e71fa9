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
    "coldstart.300.seconds",
    "coldstart.300.ratio",
    "rss.300.peak_mb",
    "coldstart.1500.seconds",
    "coldstart.1500.ratio",
    "rss.1500.peak_mb",
    "events.max_rate",
    "keys.p50_ms",
    "keys.p99_ms",
    "terminal.quiet_bps",
    "terminal.motion_bps",
    "detail.seconds",
    "action.seconds",
}
SOAK_FAULTS = {"drop", "stall", "expire", "down", "errors429", "errors503", "latency"}


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


@pytest.mark.timeout(150)
def test_run_quick_reports_every_figure(tmp_path: Path) -> None:
    _need_kubectl()
    doc = _run("run.py", tmp_path / "run.json", 140)
    figures = {f["key"]: f for f in doc["figures"]}
    assert set(figures) == RUN_FIGURES
    assert doc["meta"]["failed"] == {}
    for key, figure in figures.items():
        assert figure["value"] is not None, f"{key} was not measured"
    for key in ("coldstart.300.seconds", "coldstart.1500.seconds", "detail.seconds", "events.max_rate"):
        assert figures[key]["baseline"] is not None, f"{key} has no baseline"


@pytest.mark.timeout(150)
def test_soak_quick_reports_every_fault(tmp_path: Path) -> None:
    doc = _run("soak.py", tmp_path / "soak.json", 140)
    faults = {f["fault"]: f for f in doc["faults"]}
    assert set(faults) == SOAK_FAULTS
    for name, fault in faults.items():
        assert fault["converged_seconds"] is not None or fault["converged"] is False, name
        assert "stale_shown" in fault and "errors" in fault
    assert doc["writes_sent"] == 0  # read-only: nothing may reach the server as a write
    assert doc["memory"]["samples"] >= 2
