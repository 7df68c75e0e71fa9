"""create -f / create analysisrun against the simulator: what is created, where, and every message
and exit code of pkg/kubectl-argo-rollouts/cmd/create/create.go (and its create_test.go)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.conftest import Run
from tests.kube.conftest import rollout

TEMPLATE = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "AnalysisTemplate",
    "metadata": {"name": "pass", "labels": {"team": "web"}},
    "spec": {
        "args": [{"name": "foo"}, {"name": "fixed", "value": "1"}],
        "metrics": [{"name": "m", "provider": {"web": {"url": "http://x/{{args.foo}}"}}}],
    },
}


def write(tmp_path: Path, name: str, obj: Any, as_json: bool = False) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(obj) if as_json else yaml.safe_dump(obj))
    return str(path)


def test_create_from_files_prints_what_it_created(
    sim: Any, kubeconfig: str, tmp_path: Path, run: Run
) -> None:
    ro = write(tmp_path, "ro.yaml", rollout("web"))
    tpl = write(tmp_path, "t.json", TEMPLATE, as_json=True)
    code, out, err = run("create", "-f", ro, "-f", tpl, "--kubeconfig", kubeconfig)
    assert (code, err) == (0, "")
    assert out == "rollout.argoproj.io/web created\nanalysistemplate.argoproj.io/pass created\n"
    assert sim.store.get("rollouts", "default", "web")["spec"]["strategy"]["canary"]
    code, _, err = run("create", "-f", ro, "--kubeconfig", kubeconfig)
    assert (code, err) == (1, 'Error: rollouts.argoproj.io "web" already exists\n')


def test_the_files_namespace_wins_over_the_current_one(
    sim: Any, kubeconfig: str, tmp_path: Path, run: Run
) -> None:
    sim.store.create("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    placed = write(tmp_path, "a.yaml", rollout("placed", namespace="team"))
    unplaced = rollout("unplaced")
    del unplaced["metadata"]["namespace"]
    loose = write(tmp_path, "b.yaml", unplaced)
    assert run("create", "-f", placed, "-n", "default", "--kubeconfig", kubeconfig)[0] == 0
    assert run("create", "-f", loose, "-n", "team", "--kubeconfig", kubeconfig)[0] == 0
    assert sim.store.get("rollouts", "team", "placed") and sim.store.get("rollouts", "team", "unplaced")


def test_cluster_templates_are_created_at_the_cluster_scope(
    sim: Any, kubeconfig: str, tmp_path: Path, run: Run
) -> None:
    cluster = dict(TEMPLATE, kind="ClusterAnalysisTemplate")
    code, out, _ = run("create", "-f", write(tmp_path, "c.yaml", cluster), "--kubeconfig", kubeconfig)
    assert (code, out) == (0, "analysistemplate.argoproj.io/pass created\n")  # create.go's singular
    assert sim.store.get("clusteranalysistemplates", None, "pass")


def test_create_refusals(sim: Any, kubeconfig: str, tmp_path: Path, run: Run) -> None:
    bad = rollout("bad")
    bad["spec"]["strategy"]["canary"]["stepz"] = []
    assert run("create", "-f", write(tmp_path, "bad.yaml", bad), "--kubeconfig", kubeconfig)[2] == (
        'Error: error unmarshaling JSON: while decoding JSON: json: unknown field "stepz"\n'
    )
    assert run("create", "-f", write(tmp_path, "bad.json", bad, as_json=True), "--kubeconfig", kubeconfig)[
        2
    ] == ('Error: json: unknown field "stepz"\n')
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}
    assert run("create", "-f", write(tmp_path, "s.yaml", svc), "--kubeconfig", kubeconfig)[2] == (
        "Error: creates of /Service unsupported\n"
    )
    two = (
        "create",
        "-f",
        str(tmp_path / "s.yaml"),
        "-f",
        str(tmp_path / "s.yaml"),
        "-w",
        "--kubeconfig",
        kubeconfig,
    )
    assert run(*two) == (1, "", "Error: Cannot watch multiple resources\n")
    code, out, err = run("create", "--kubeconfig", kubeconfig)
    assert (code, out) == (1, "") and err.startswith("usage: rollout-tui create")
    tpl = write(tmp_path, "t.yaml", TEMPLATE)
    assert run("create", "-f", tpl, "-w", "--kubeconfig", kubeconfig) == (
        1,
        "analysistemplate.argoproj.io/pass created\n",  # created first, as create.go does
        "Error: Can only watch resources of type Rollout or Experiment\n",
    )


def test_a_read_only_impersonated_user_cannot_create(
    sim: Any, kubeconfig: str, tmp_path: Path, run: Run
) -> None:
    sim.add_user("viewer", "viewer-token", read_only_namespaces=["*"])
    code, _, err = run(
        "create", "-f", write(tmp_path, "r.yaml", rollout("x")), "--kubeconfig", kubeconfig, "--as", "viewer"
    )
    assert code == 1 and 'User "viewer" cannot create resource "rollouts"' in err
    assert sim.store.list("rollouts")[0] == []


def test_create_analysisrun_from_a_file(sim: Any, kubeconfig: str, tmp_path: Path, run: Run) -> None:
    tpl = write(tmp_path, "t.yaml", TEMPLATE)
    base = ("create", "analysisrun", "--from-file", tpl, "--kubeconfig", kubeconfig)
    assert run(*base) == (1, "", "Error: args.foo was not resolved\n")
    assert run(*base, "-a", "bad-syntax") == (1, "", "Error: arguments must be in the form NAME=VALUE\n")
    code, out, _ = run(*base, "-a", "foo=bar", "-a", "undeclared=x")
    (created,) = sim.store.list("analysisruns")[0]
    name = created["metadata"]["name"]
    assert (code, out) == (0, f"analysisrun.argoproj.io/{name} created\n") and name.startswith("pass-")
    assert created["spec"]["args"] == [{"name": "foo", "value": "bar"}, {"name": "fixed", "value": "1"}]
    assert created["metadata"]["labels"] == {"team": "web"}  # the template's metadata comes along
    code, out, _ = run(*base, "-a", "foo=1", "--name", "my-run", "--instance-id", "ci")
    assert out == "analysisrun.argoproj.io/my-run created\n"
    labels = sim.store.get("analysisruns", "default", "my-run")["metadata"]["labels"]
    assert labels == {"argo-rollouts.argoproj.io/controller-instance-id": "ci"}  # replaces the labels
    run(*base, "-a", "foo=1", "--generate-name", "nightly-")
    assert any(r["metadata"]["name"].startswith("nightly-") for r in sim.store.list("analysisruns")[0])


def test_create_analysisrun_from_the_cluster(sim: Any, kubeconfig: str, run: Run) -> None:
    base = ("create", "ar", "-a", "foo=bar", "--name", "r1", "--kubeconfig", kubeconfig)
    assert run(*base, "--from", "pass") == (1, "", 'Error: analysistemplates.argoproj.io "pass" not found\n')
    assert run(*base, "--from", "pass", "--global") == (
        1,
        "",
        'Error: clusteranalysistemplates.argoproj.io "pass" not found\n',
    )
    sim.store.create("analysistemplates", TEMPLATE)
    sim.store.create("clusteranalysistemplates", dict(TEMPLATE, kind="ClusterAnalysisTemplate"))
    assert run(*base, "--from", "pass") == (0, "analysisrun.argoproj.io/r1 created\n", "")
    _, out, _ = run(
        "create",
        "ar",
        "-a",
        "foo=1",
        "--name",
        "r2",
        "--from",
        "pass",
        "--global",
        "--kubeconfig",
        kubeconfig,
    )
    assert out == "analysisrun.argoproj.io/r2 created\n"
    created = sim.store.get("analysisruns", "default", "r2")
    assert created["kind"] == "AnalysisRun" and created["metadata"]["namespace"] == "default"


def test_create_analysisrun_flag_rules(sim: Any, kubeconfig: str, tmp_path: Path, run: Run) -> None:
    message = (1, "", "Error: one of --from or --from-file must be specified\n")
    assert run("create", "analysisrun", "--kubeconfig", kubeconfig) == message
    tpl = write(tmp_path, "t.yaml", TEMPLATE)
    assert (
        run("create", "analysisrun", "--from", "a", "--from-file", tpl, "--kubeconfig", kubeconfig) == message
    )
    nameless = dict(TEMPLATE, metadata={})
    path = write(tmp_path, "n.yaml", nameless)
    assert run("create", "ar", "--from-file", path, "-a", "foo=1", "--kubeconfig", kubeconfig)[2] == (
        "Error: name is invalid\n"
    )


def test_create_watch_shows_the_new_rollout(sim: Any, kubeconfig: str, tmp_path: Path) -> None:
    ro = write(tmp_path, "ro.yaml", rollout("watched"))
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rollout_tui",
            "create",
            "-f",
            ro,
            "-w",
            "--kubeconfig",
            kubeconfig,
            "--no-color",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        assert lines[0] == "rollout.argoproj.io/watched created\n"
        assert lines[1] == "Name:            watched\n"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


CREATE_TESTDATA = Path("pkg/kubectl-argo-rollouts/cmd/create/testdata")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["-f", "examples/rollout-canary.yaml"], (0, "rollout.argoproj.io/rollout-canary created\n", "")),
        (
            ["-f", "examples/experiment-with-analysis.yaml"],
            (0, "experiment.argoproj.io/experiment-with-analysis created\n", ""),
        ),
        (
            ["-f", f"{CREATE_TESTDATA}/analysis-template.yaml"],
            (0, "analysistemplate.argoproj.io/pass created\n", ""),
        ),
        (
            ["-f", f"{CREATE_TESTDATA}/analysis-template.json"],
            (0, "analysistemplate.argoproj.io/pass created\n", ""),
        ),
        (
            ["analysisrun", "--from-file", f"{CREATE_TESTDATA}/analysis-template.yaml"],
            (1, "", "Error: args.foo was not resolved\n"),
        ),
        (
            [
                "analysisrun",
                "--from-file",
                f"{CREATE_TESTDATA}/analysis-template.yaml",
                "-a",
                "foo=bar",
                "--name",
                "my-run",
            ],
            (0, "analysisrun.argoproj.io/my-run created\n", ""),
        ),
        (
            [
                "analysisrun",
                "--from-file",
                f"{CREATE_TESTDATA}/analysis-template-no-name.yaml",
                "-a",
                "foo=bar",
            ],
            (1, "", "Error: name is invalid\n"),
        ),
        (
            [
                "analysisrun",
                "--global",
                "--from-file",
                f"{CREATE_TESTDATA}/cluster-analysis-template.yaml",
                "-a",
                "bad-syntax",
            ],
            (1, "", "Error: arguments must be in the form NAME=VALUE\n"),
        ),
    ],
)
def test_the_plugins_create_testdata(
    argv: list[str], expected: tuple[int, str, str], fixtures_dir: Path, sim: Any, kubeconfig: str, run: Run
) -> None:
    absolute = [str(fixtures_dir / a) if "/" in a else a for a in argv]
    assert run("create", *absolute, "--kubeconfig", kubeconfig) == expected
