"""The plugin's testdata aged like its Go test loader (for the upstream goldens), and a CLI runner.

The Go loader (info/testdata/testdata.go) sets every creationTimestamp, and startedAt/finishedAt
of the measurements of metricResults[0], to "now - 7 days"; we do the same against a fixed NOW
and pass that instant to the CLI with --now, so ages are deterministic.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import INFO_TESTDATA, require_upstream

NOW = datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)
NOW_ARG = "2026-01-15T12:00:00Z"
FIXTURE_DIRS = (
    "blue-green",
    "canary",
    "experiment-analysis",
    "experiment-step",
    "rollout-aborted",
    "rollout-invalid",
)
GOLDEN = Path(__file__).parent / "golden"


def rfc3339(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fixture_files(dirname: str) -> list[Path]:
    """One directory of the plugin's testdata (upstream data: see require_upstream)."""
    require_upstream()
    directory = INFO_TESTDATA / dirname
    if not directory.is_dir():
        pytest.fail(f"upstream testdata directory missing: {directory}")
    return sorted(directory.glob("*.yaml"))


def aged(obj: dict[str, Any]) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    week_ago = rfc3339(NOW - timedelta(days=7))
    obj.setdefault("metadata", {})["creationTimestamp"] = week_ago
    if obj.get("kind") == "AnalysisRun":
        results = (obj.get("status") or {}).get("metricResults") or []
        if results:
            for measurement in results[0].get("measurements") or []:
                measurement["startedAt"] = week_ago
                measurement["finishedAt"] = week_ago
    return obj


def aged_objects(dirname: str) -> list[tuple[str, dict[str, Any]]]:
    """(file name, aged object) in the Go loader's order (os.ReadDir: sorted by name)."""
    return [(f.name, aged(yaml.safe_load(f.read_text()))) for f in fixture_files(dirname)]


@pytest.fixture
def aged_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write a fixture directory's aged objects to tmp_path; `mutate(objects)` may edit them first."""

    def make(dirname: str, mutate: Callable[[list[tuple[str, dict]]], None] | None = None) -> Path:
        objects = aged_objects(dirname)
        if mutate is not None:
            mutate(objects)
        target = tmp_path / dirname
        target.mkdir(parents=True, exist_ok=True)
        for name, obj in objects:
            (target / name).write_text(yaml.safe_dump(obj, sort_keys=False))
        return target

    return make


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    from rollout_tui.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def strip_trailing(text: str) -> str:
    """The plugin's own tests compare output with trailing spaces removed from every line."""
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))
