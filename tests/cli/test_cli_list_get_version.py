"""list experiments, list rollouts -w, get experiment -w, get rollout --timeout-seconds, version
and the plugin's aliases, against the simulator over HTTP."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest

from rollout_tui.cli import parse
from tests.cli.conftest import Run
from tests.kube.conftest import rollout, wait_for
from tests.kube.test_kube_cli import Terminal

NOW = "2026-11-26T04:00:00Z"


def experiment(name: str, namespace: str = "default", duration: str | None = "10m") -> dict:
    spec: dict = {
        "templates": [{"name": "canary", "selector": {"matchLabels": {"app": name}}, "template": {}}]
    }
    if duration is not None:
        spec["duration"] = duration
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Experiment",
        "metadata": {"name": name, "namespace": namespace, "creationTimestamp": "2026-11-26T03:00:00Z"},
        "spec": spec,
    }


def set_status(sim: Any, plural: str, name: str, status: dict, namespace: str = "default") -> None:
    sim.store.patch(
        plural, namespace, name, {"status": status}, "application/merge-patch+json", subresource="status"
    )


@pytest.fixture
def experiments(sim: Any) -> Any:
    sim.store.create("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    sim.store.create("experiments", experiment("running-exp"), seed=True)
    set_status(sim, "experiments", "running-exp", {"phase": "Running", "availableAt": "2026-11-26T03:55:00Z"})
    sim.store.create("experiments", experiment("done", duration=None), seed=True)
    set_status(sim, "experiments", "done", {"phase": "Successful"})
    sim.store.create("experiments", experiment("elsewhere", "other", duration="1h"), seed=True)
    return sim


def test_list_experiments_prints_the_plugins_table(experiments: Any, kubeconfig: str, run: Run) -> None:
    code, out, err = run("list", "experiments", "--kubeconfig", kubeconfig, "--now", NOW)
    assert (code, err) == (0, "")
    assert out == (
        "NAME         STATUS      DURATION  REMAINING  AGE\n"
        "done         Successful  -         -          60m\n"
        "running-exp  Running     10m       5m         60m\n"
    )
    code, out, _ = run("list", "exp", "-A", "--kubeconfig", kubeconfig, "--now", NOW)
    assert out.splitlines()[0].split() == ["NAMESPACE", "NAME", "STATUS", "DURATION", "REMAINING", "AGE"]
    assert out.splitlines()[3].split() == ["other", "elsewhere", "60m", "-", "60m"]  # HumanDuration(1h)


def test_list_experiments_in_an_empty_namespace(sim: Any, kubeconfig: str, run: Run) -> None:
    assert run("list", "experiment", "--kubeconfig", kubeconfig) == (0, "", "No resources found.\n")


def test_list_rollouts_watch_prints_a_row_only_when_it_changes(
    sim: Any, kubeconfig: str, capsys: Any
) -> None:
    from rollout_tui.commands.list_watch import watch_rollouts

    sim.store.create("rollouts", rollout("alpha"))
    sim.store.create("rollouts", rollout("beta"))
    args = parse(["list", "rollouts", "-w", "--kubeconfig", kubeconfig])

    def changes() -> None:
        time.sleep(1.0)
        set_status(sim, "rollouts", "alpha", {"replicas": 1, "readyReplicas": 1})
        sim.store.patch(
            "rollouts",
            "default",
            "beta",
            {"metadata": {"labels": {"x": "y"}}},
            "application/merge-patch+json",
        )
        time.sleep(0.8)
        set_status(sim, "rollouts", "alpha", {"replicas": 2, "readyReplicas": 1})

    thread = threading.Thread(target=changes)
    thread.start()
    assert watch_rollouts(args, max_seconds=3.5) == 0
    thread.join()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("NAME") and [line.split()[0] for line in lines[1:3]] == ["alpha", "beta"]
    updates = lines[3:]
    assert [u.split()[0] for u in updates] == ["alpha", "alpha"]  # beta's label change left its row alone
    assert updates[0].split()[5] == "1/1" and updates[1].split()[5] == "1/2"


def test_list_rollouts_watch_with_timestamps_and_an_empty_namespace(
    sim: Any, kubeconfig: str, capsys: Any
) -> None:
    from rollout_tui.commands.list_watch import watch_rollouts

    args = parse(["list", "ro", "-w", "--timestamps", "--kubeconfig", kubeconfig])
    timer = threading.Timer(0.8, lambda: sim.store.create("rollouts", rollout("late")))
    timer.start()
    watch_rollouts(args, max_seconds=2.0)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["TIMESTAMP", "NAME"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +late +Canary", lines[1])


def test_get_experiment_watch_redraws_when_the_experiment_changes(
    experiments: Any, kubeconfig: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rollout_tui.commands import _watch

    screen = Terminal()
    monkeypatch.setattr("sys.stdout", screen)
    args = parse(["get", "exp", "running-exp", "-w", "--kubeconfig", kubeconfig, "--no-color"])
    done = threading.Event()
    thread = threading.Thread(
        target=lambda: (_watch.watch_experiment(args, max_frames=2), done.set()), daemon=True
    )
    thread.start()
    wait_for(lambda: "Running" in screen.getvalue(), message="the first frame")
    set_status(experiments, "experiments", "running-exp", {"phase": "Successful"})
    assert done.wait(10)
    frames = screen.getvalue().split(_watch.HOME)[1:]
    assert "Name:            running-exp" in frames[0] and "Successful" in frames[1]


def test_get_experiment_watch_of_a_missing_experiment_fails_at_once(
    sim: Any, kubeconfig: str, run: Run
) -> None:
    code, _, err = run("get", "experiment", "nope", "-w", "--kubeconfig", kubeconfig)
    assert code == 1 and "not found" in err


def test_get_rollout_watch_ends_after_timeout_seconds(sim: Any, kubeconfig: str, run: Run) -> None:
    sim.store.create("rollouts", rollout("demo"))
    started = time.monotonic()
    code, out, _ = run("get", "rollout", "demo", "-w", "--timeout-seconds", "1", "--kubeconfig", kubeconfig)
    assert code == 0 and "Name:            demo" in out
    assert time.monotonic() - started < 8


def test_version(run: Run) -> None:
    code, out, _ = run("version")
    lines = out.splitlines()
    assert code == 0 and re.fullmatch(r"rollout-tui: v\d+\.\d+\.\d+(\+[0-9a-f]{7}(\.dirty)?)?", lines[0])
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  BuildDate",
        "  GitCommit",
        "  GitTreeState",
        "  PythonVersion",
        "  Compiler",
        "  Platform",
    ]
    assert run("version", "--short")[1] == lines[0] + "\n"


@pytest.mark.parametrize(
    ("argv", "canonical"),
    [
        (["retry", "ro", "x"], ["retry", "rollout", "x"]),
        (["retry", "rollouts", "x"], ["retry", "rollout", "x"]),
        (["retry", "exp", "x"], ["retry", "experiment", "x"]),
        (["retry", "experiments", "x"], ["retry", "experiment", "x"]),
        (["get", "ro", "x"], ["get", "rollout", "x"]),
        (["get", "rollouts", "x"], ["get", "rollout", "x"]),
        (["get", "exp", "x"], ["get", "experiment", "x"]),
        (["get", "experiments", "x"], ["get", "experiment", "x"]),
        (["list", "ro"], ["list", "rollouts"]),
        (["list", "rollout"], ["list", "rollouts"]),
        (["list", "exp"], ["list", "experiments"]),
        (["list", "experiment"], ["list", "experiments"]),
    ],
)
def test_aliases_run_the_same_command(argv: list[str], canonical: list[str]) -> None:
    from rollout_tui.commands.parser import build_parser

    parser = build_parser()
    assert parser.parse_args(argv).func is parser.parse_args(canonical).func


def test_retry_ro_retries_an_aborted_rollout(sim: Any, kubeconfig: str, run: Run) -> None:
    sim.store.create("rollouts", rollout("demo"))
    set_status(sim, "rollouts", "demo", {"abort": True, "phase": "Degraded"})
    code, out, err = run("retry", "ro", "demo", "--kubeconfig", kubeconfig)
    assert code == 0, err
    assert out == "rollout 'demo' retried\n"
