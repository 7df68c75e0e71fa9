"""Fixtures for the command-line tests: the kube layer's simulator fixtures, and a runner."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rollout_tui.cli import main
from tests.kube.conftest import kubeconfig, proxy, sim  # noqa: F401  (fixtures re-exported)

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``rollout-tui ARGV...`` in-process: (exit code, stdout, stderr)."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
