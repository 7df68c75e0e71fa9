"""Shared test setup.

Environment that changes how Textual renders is cleared before anything imports textual, so
snapshots and Pilot tests are deterministic whatever the developer's shell has set.
"""

from __future__ import annotations

import os
from pathlib import Path

for _var in ("NO_COLOR", "TEXTUAL_THEME", "TEXTUAL_FPS", "FORCE_COLOR", "COLUMNS", "LINES"):
    os.environ.pop(_var, None)
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
# Actions append to an audit trail under $XDG_STATE_HOME: keep test runs out of the developer's own.
import tempfile  # noqa: E402

os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="rollout-tui-test-state-")
# ... and never read the developer's own config file (tests that want one pass --config or set this)
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="rollout-tui-test-config-")
os.environ["no_proxy"] = os.environ["NO_PROXY"]

import pytest  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures" / "argo-rollouts"
INFO_TESTDATA = FIXTURES / "pkg" / "kubectl-argo-rollouts" / "info" / "testdata"
EXAMPLES = FIXTURES / "examples"
CRDS = FIXTURES / "manifests" / "crds"
UPSTREAM_MISSING = "upstream Argo Rollouts fixtures not found at ../shared (CI provides them)"


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def require_upstream() -> Path:
    """The upstream Argo Rollouts fixtures: a failure on CI (which has them), a skip elsewhere."""
    if not FIXTURES.is_dir():
        if in_ci():
            pytest.fail(f"{UPSTREAM_MISSING}: {FIXTURES} is missing")
        pytest.skip(UPSTREAM_MISSING)
    return FIXTURES


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """Ask for this in every test that reads the upstream fixtures (see require_upstream)."""
    return require_upstream()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist, put each test marked `long` at the head of a different worker's share.

    Work stealing (pyproject's addopts) hands each worker a contiguous share of the collection up
    front; the long tests, side by side in one file, would otherwise run back to back on one
    worker and outlast the rest of the suite. Share boundaries are computed as the scheduler's
    first pass computes them (xdist/scheduler/worksteal.py, check_schedule)."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 0))
    long_tests = [item for item in items if item.get_closest_marker("long")]
    if workers < 2 or not long_tests:
        return
    starts, start = [], 0
    for i in range(workers):
        starts.append(start)
        start += (len(items) - start) // (workers - i)
    positions = [starts[k % workers] + k // workers for k in range(len(long_tests))]
    reordered = [item for item in items if not item.get_closest_marker("long")]
    for position, item in sorted(zip(positions, long_tests, strict=True), key=lambda pair: pair[0]):
        reordered.insert(position, item)
    items[:] = reordered
