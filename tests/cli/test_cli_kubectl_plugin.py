"""rollout-tui as a kubectl plugin: the real kubectl finds kubectl-rollout_tui on PATH (the second
console script), runs it for ``kubectl rollout-tui ...`` and lists it in ``kubectl plugin list``;
``kubectl rollout-tui <TAB>`` completes through kubectl_complete-rollout_tui."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.kube.conftest import rollout
from tests.sim.conftest import require_kubectl

BIN = Path(sys.executable).parent


@pytest.fixture
def kubectl() -> Any:
    binary = require_kubectl()
    for script in ("kubectl-rollout_tui", "kubectl_complete-rollout_tui"):
        assert (BIN / script).exists(), (
            f"{script} missing from {BIN}: reinstall the project (pip install -e .)"
        )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "KUBECONFIG"}
        env["PATH"] = f"{BIN}{os.pathsep}{Path(binary).parent}"
        return subprocess.run(
            [binary, *args], capture_output=True, text=True, env=env, timeout=60, check=False
        )

    return run


def test_kubectl_lists_the_plugin(kubectl: Any) -> None:
    result = kubectl("plugin", "list")
    assert str(BIN / "kubectl-rollout_tui") in result.stdout


def test_kubectl_runs_the_plugin_against_a_cluster(kubectl: Any, sim: Any, kubeconfig: str) -> None:
    sim.store.create("rollouts", rollout("web"))
    result = kubectl("rollout-tui", "list", "rollouts", "--kubeconfig", kubeconfig)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split()[:2] == ["NAME", "STRATEGY"]
    assert result.stdout.splitlines()[1].split()[0] == "web"
    assert kubectl("rollout-tui", "version", "--short").stdout.startswith("rollout-tui: v")


def test_kubectl_completes_the_plugins_arguments(kubectl: Any) -> None:
    result = kubectl("__complete", "rollout-tui", "retry", "")
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert {"rollout", "experiment", "ro", "exp"} <= set(names)
    assert names[-1].startswith(":")
