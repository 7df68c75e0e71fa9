"""Fixtures for the simulator's API tests: one running simulator per test module."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rollout_tui.sim import Simulator

KUBECTL = "/usr/bin/kubectl"


def in_ci() -> bool:
    # Same rule as tests/conftest.py (not importable from here: both modules are "conftest").
    return bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """A frozen simulator (no controller) with a read-only user "viewer" (token "viewer-token")."""
    with Simulator(port=0, controller=False) as simulator:
        simulator.add_user("viewer", "viewer-token", read_only_namespaces=["*"])
        simulator.bookmark_interval = 0.3
        yield simulator


@pytest.fixture(scope="module")
def kubeconfig(sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sim.write_kubeconfig(tmp_path_factory.mktemp("kube") / "config")


def require_kubectl() -> str:
    path = shutil.which(KUBECTL) or shutil.which("kubectl")
    if path is None:
        if in_ci():
            pytest.fail("kubectl is required on CI (expected at /usr/bin/kubectl)")
        pytest.skip("kubectl not installed")
    return path
