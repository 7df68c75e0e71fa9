"""Upstream conformance: `get` and `list` on every directory of the plugin's testdata
(../shared, see require_upstream in tests/conftest.py), compared with the plugin's output.

Golden files named after an upstream Go test (cmd/get/get_test.go) hold that test's expected
text verbatim; the others (workloadRef, weights) were produced by us from the same semantics
and reviewed against info/*.go, since upstream asserts only parts of them (info_test.go).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from tests.render.conftest import FIXTURE_DIRS, GOLDEN, NOW, NOW_ARG, rfc3339, strip_trailing

SCALE_DOWN = "scale-down-deadline"
HASH_LABEL = "rollouts-pod-template-hash"


def _delay(offset: timedelta) -> Callable[[list[tuple[str, dict]]], None]:
    """As the Go test: give ReplicaSets[2] (preview-rs.yaml) a scale-down deadline and drop its
    hash label (so it loses its preview role)."""

    def mutate(objects: list[tuple[str, dict]]) -> None:
        replicasets = [obj for _, obj in objects if obj.get("kind") == "ReplicaSet"]
        target = replicasets[2]
        target["metadata"].setdefault("annotations", {})[SCALE_DOWN] = rfc3339(NOW + offset)
        del target["metadata"]["labels"][HASH_LABEL]

    return mutate


# (fixture dir, kind, name, golden file, mutation)
CASES = [
    ("blue-green", "rollout", "bluegreen-demo", "blue-green__bluegreen-demo", None),
    # Upstream sets "now + 4h" and, with its clock moving on before printing, sees 3h59m; we pin
    # the same instant one second earlier instead of depending on elapsed time.
    (
        "blue-green",
        "rollout",
        "bluegreen-demo",
        "blue-green__bluegreen-demo__delay",
        _delay(timedelta(hours=4, seconds=-1)),
    ),
    (
        "blue-green",
        "rollout",
        "bluegreen-demo",
        "blue-green__bluegreen-demo__delay-passed",
        _delay(timedelta(hours=-1)),
    ),
    ("canary", "rollout", "canary-demo", "canary__canary-demo", None),
    ("canary", "rollout", "canary-demo-pingpong", "canary__canary-demo-pingpong", None),
    ("canary", "rollout", "canary-demo-workloadRef", "canary__canary-demo-workloadRef", None),
    ("canary", "rollout", "canary-demo-workloadRef-deploy", "canary__canary-demo-workloadRef-deploy", None),
    ("canary", "rollout", "canary-demo-weights", "canary__canary-demo-weights", None),
    ("canary", "rollout", "canary-demo-weights-na", "canary__canary-demo-weights-na", None),
    (
        "experiment-analysis",
        "rollout",
        "rollout-experiment-analysis",
        "experiment-analysis__rollout-experiment-analysis",
        None,
    ),
    (
        "experiment-analysis",
        "experiment",
        "rollout-experiment-analysis-6f646bf7b7-1-vcv27",
        "experiment-analysis__experiment__rollout-experiment-analysis-6f646bf7b7-1-vcv27",
        None,
    ),
    ("experiment-step", "rollout", "canary-demo", "experiment-step__canary-demo", None),
    (
        "experiment-step",
        "experiment",
        "canary-demo-645d5dbc4c-2-0",
        "experiment-step__experiment__canary-demo-645d5dbc4c-2-0",
        None,
    ),
    (
        "rollout-aborted",
        "rollout",
        "rollout-background-analysis",
        "rollout-aborted__rollout-background-analysis",
        None,
    ),
    ("rollout-invalid", "rollout", "rollout-invalid", "rollout-invalid__rollout-invalid", None),
]


def test_every_fixture_directory_is_covered() -> None:
    assert {case[0] for case in CASES} == set(FIXTURE_DIRS)


# The plugin would refuse these (it fetches a Deployment named like the workloadRef); we show the
# tree and say on stderr what is missing.
EXPECTED_STDERR = {
    "canary__canary-demo-workloadRef": 'warning: workloadRef: Deployment "canary-demo-65fb5ffc84" not found; container list unavailable\n',
}


@pytest.mark.parametrize(("dirname", "kind", "name", "golden", "mutate"), CASES, ids=[c[3] for c in CASES])
def test_get_matches_plugin(
    dirname: str, kind: str, name: str, golden: str, mutate, aged_dir, run_cli
) -> None:
    path = aged_dir(dirname, mutate)
    code, out, err = run_cli("get", kind, name, "-f", str(path), "--no-color", "--now", NOW_ARG)
    assert (code, err) == (0, EXPECTED_STDERR.get(golden, ""))
    expected = (GOLDEN / f"{golden}.txt").read_text()
    assert strip_trailing(out) == expected


def test_plugin_golden_files_are_untouched() -> None:
    """The upstream-derived goldens must stay byte-identical to the Go test strings."""
    assert all((GOLDEN / f"{case[3]}.txt").is_file() for case in CASES)
    assert Path(GOLDEN / "canary__canary-demo.txt").read_text().startswith("Name:            canary-demo\n")


def test_list_rollouts_on_fixture_directory(aged_dir, run_cli) -> None:
    """Exact bytes (trailing spaces included: the plugin's list test compares them too)."""
    code, out, err = run_cli("list", "rollouts", "-A", "-f", str(aged_dir("canary")), "--now", NOW_ARG)
    assert (code, err) == (0, "")
    assert out == (GOLDEN / "list__canary__all-namespaces.txt").read_text()
