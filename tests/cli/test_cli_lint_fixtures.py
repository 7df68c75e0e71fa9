"""``lint -f`` on every file of the plugin's own lint testdata: the same stderr and exit codes as
pkg/kubectl-argo-rollouts/cmd/lint/lint_test.go expects (each message traced to
pkg/apis/rollouts/validation/validation.go, validation_references.go or sigs.k8s.io/yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Run

TESTDATA = Path("pkg/kubectl-argo-rollouts/cmd/lint/testdata")
MAX_SURGE = (
    "Error: spec.strategy.maxSurge: Invalid value: 0: MaxSurge and MaxUnavailable both can not be zero\n"
)
INVALID = {
    "invalid.yml": MAX_SURGE,
    "invalid.json": MAX_SURGE,
    "invalid-multiple-docs.yml": MAX_SURGE,
    "invalid-empty-rollout-vsvc.yml": (
        "Error: spec.selector: Required value: Rollout has missing field '.spec.selector'\n"
    ),
    "invalid-unknown-field.yml": (
        'Error: error unmarshaling JSON: while decoding JSON: json: unknown field "unknown-strategy"\n'
    ),
    "invalid-service-labels.yml": (
        'Error: spec.strategy.canary.canaryService: Invalid value: "istio-host-split-canary": '
        'Service "istio-host-split-canary" has unmatch label "app" in rollout\n'
    ),
    "invalid-ping-pong.yml": (
        'Error: spec.strategy.canary.pingPong.pingService: Invalid value: "ping-service": '
        'Service "ping-service" has unmatch label "app" in rollout\n'
    ),
    "invalid-ingress-smi-multi.yml": (
        'Error: spec.strategy.canary.canaryService: Invalid value: "rollout-smi-experiment-canary": '
        'Service "rollout-smi-experiment-canary" has unmatch label "app" in rollout\n'
    ),
    "invalid-nginx-canary.yml": (
        "Error: spec.strategy.steps[1].experiment.templates[0].weight: Invalid value: 20: Experiment "
        "template weight is only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time\n"
    ),
}


def _files(fixtures_dir: Path) -> list[Path]:
    return sorted((fixtures_dir / TESTDATA).iterdir())


def test_every_testdata_file_is_expected(fixtures_dir: Path) -> None:
    names = {p.name for p in _files(fixtures_dir)}
    invalid = {n for n in names if n.startswith("invalid")}
    assert invalid == set(INVALID), "a new invalid testdata file needs its expected message here"
    assert len(names - invalid) >= 14


def test_valid_files_print_nothing_and_exit_0(fixtures_dir: Path, run: Run) -> None:
    for path in _files(fixtures_dir):
        if path.name.startswith("valid"):
            assert run("lint", "-f", str(path)) == (0, "", ""), path.name


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_files_print_the_plugins_message(name: str, fixtures_dir: Path, run: Run) -> None:
    code, out, err = run("lint", "-f", str(fixtures_dir / TESTDATA / name))
    assert (code, err) == (1, INVALID[name])
    # lint.go prints every error's body on stdout (fmt.Println(e.ErrorBody())), the first one's first
    first_body = INVALID[name].removeprefix("Error: ").split(": ", 1)[1]
    if "unmarshaling" not in name and "unknown" not in name:
        assert out.splitlines()[0] + "\n" == first_body
    else:
        assert out == ""
