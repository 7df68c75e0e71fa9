"""The live CLI against the simulator: same output as -f, status semantics, actions, -w, errors."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from rollout_tui.cli import main
from tests.fixtures.sets import RECORDED, recorded_names

from .conftest import pod, replicaset, rollout, wait_for

NOW = "2026-11-26T04:00:00Z"
PLURALS = ("rollouts", "replicasets", "pods", "analysisruns", "experiments")


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dump(sim: Any, path: Path) -> Path:
    objects = []
    for plural in PLURALS:
        objects += sim.store.list(plural)[0]
    path.write_text(yaml.safe_dump_all(objects))
    return path


@pytest.mark.parametrize("recorded_set", recorded_names())
def test_live_get_and_list_print_exactly_what_the_file_source_prints(
    recorded_set: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from rollout_tui.sim import Simulator

    with Simulator(controller=False, tls=False, load=[RECORDED / recorded_set]) as sim:
        rollouts = sim.store.list("rollouts")[0]
        namespace = rollouts[0]["metadata"]["namespace"]
        for i in range(20):  # unrelated objects beside them
            noise = sim.store.create(
                "replicasets", replicaset(f"noise-{i}", f"noise-{i}", namespace=namespace)
            )
            sim.store.create("pods", pod(f"noise-{i}-p", f"noise-{i}", owner=noise, namespace=namespace))
        kc = str(sim.write_kubeconfig(tmp_path / "kc", namespace=namespace))
        manifest = str(dump(sim, tmp_path / "dump.yaml"))
        for ro in rollouts:
            name = ro["metadata"]["name"]
            live = run(capsys, "get", "rollout", name, "--kubeconfig", kc, "--now", NOW, "--no-color")
            from_file = run(
                capsys, "get", "rollout", name, "-f", manifest, "-n", namespace, "--now", NOW, "--no-color"
            )
            assert live[0] == 0, live[2]
            assert live[1] == from_file[1]
            assert f"Name:            {name}" in live[1]
        for exp in sim.store.list("experiments")[0]:
            name = exp["metadata"]["name"]
            live = run(capsys, "get", "experiment", name, "--kubeconfig", kc, "--now", NOW, "--no-color")
            from_file = run(
                capsys, "get", "experiment", name, "-f", manifest, "-n", namespace, "--now", NOW, "--no-color"
            )
            assert live[0] == 0, live[2]
            assert live[1] == from_file[1]
        live = run(capsys, "list", "rollouts", "-A", "--kubeconfig", kc, "--now", NOW)
        from_file = run(capsys, "list", "rollouts", "-A", "-f", manifest, "--now", NOW)
        assert live[0] == 0 and live[1] == from_file[1] and live[1]


@pytest.fixture
def healthy_sim(sim: Any) -> Any:
    ro = sim.store.create("rollouts", rollout("demo", app="demo"))
    generation = ro["metadata"]["generation"]
    sim.store.patch(
        "rollouts",
        "default",
        "demo",
        {
            "status": {
                "phase": "Progressing",
                "message": "more replicas need to be updated",
                "observedGeneration": str(generation),
                "currentStepIndex": 1,
                "currentPodHash": "new",
                "stableRS": "old",
                "pauseConditions": [{"reason": "CanaryPauseStep"}],
            }
        },
        "application/merge-patch+json",
        subresource="status",
    )
    return sim


def set_phase(sim: Any, phase: str, message: str = "") -> None:
    sim.store.patch(
        "rollouts",
        "default",
        "demo",
        {"status": {"phase": phase, "message": message}},
        "application/merge-patch+json",
        subresource="status",
    )


def test_status_waits_until_healthy(healthy_sim: Any, kubeconfig: str, capsys: pytest.CaptureFixture) -> None:
    timer = threading.Timer(0.5, set_phase, args=(healthy_sim, "Healthy"))
    timer.start()
    try:
        code, out, err = run(capsys, "status", "demo", "--kubeconfig", kubeconfig, "--timeout", "20s")
    finally:
        timer.cancel()
    assert (code, err) == (0, "")
    assert out == "Progressing - more replicas need to be updated\nHealthy\n"


def test_status_degraded_and_timeout_fail_with_the_plugin_messages(
    healthy_sim: Any, kubeconfig: str, capsys: pytest.CaptureFixture
) -> None:
    started = time.monotonic()
    code, out, err = run(capsys, "status", "demo", "--kubeconfig", kubeconfig, "-t", "1s")
    assert time.monotonic() - started < 10
    assert (code, out) == (1, "Progressing - more replicas need to be updated\n")
    assert err == "error: Rollout status watch exceeded timeout\n"
    code, out, err = run(capsys, "status", "demo", "--kubeconfig", kubeconfig, "--watch=false")
    assert (code, out, err) == (0, "Progressing - more replicas need to be updated\n", "")
    set_phase(healthy_sim, "Degraded", "RolloutAborted: aborted")
    code, out, err = run(capsys, "status", "demo", "--kubeconfig", kubeconfig)
    assert (code, out) == (1, "Degraded - RolloutAborted: aborted\n")
    assert err == "error: The rollout is in a degraded state with message: RolloutAborted: aborted\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["--kubeconfig", "{kc}", "-n", "default", "promote", "demo"],
        ["promote", "demo", "-n", "default", "--kubeconfig", "{kc}"],
        ["-n", "default", "promote", "--kubeconfig", "{kc}", "demo"],
    ],
)
def test_actions_accept_global_flags_anywhere(
    healthy_sim: Any,
    kubeconfig: str,
    capsys: pytest.CaptureFixture,
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    code, out, err = run(capsys, *[a.replace("{kc}", kubeconfig) for a in argv])
    assert (code, out, err) == (0, "rollout 'demo' promoted\n", "")
    assert "pauseConditions" not in healthy_sim.store.get("rollouts", "default", "demo")["status"]
    assert (tmp_path / "state" / "rollout-tui" / "audit.jsonl").read_text().count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["abort", "demo"], "rollout 'demo' aborted\n"),
        (["retry", "rollout", "demo"], "rollout 'demo' retried\n"),
        (["pause", "demo"], "rollout 'demo' paused\n"),
        (["restart", "demo"], "rollout 'demo' restarts in 0s\n"),
        (["restart", "demo", "--in", "30s"], "rollout 'demo' restarts in 30s\n"),
        (["set", "image", "demo", "app=demo:2"], 'rollout "demo" image updated\n'),
        (["promote", "demo", "--full"], "rollout 'demo' fully promoted\n"),
    ],
)
def test_action_commands_print_the_plugin_messages(
    healthy_sim: Any,
    kubeconfig: str,
    capsys: pytest.CaptureFixture,
    argv: list[str],
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    code, out, err = run(capsys, *argv, "--kubeconfig", kubeconfig)
    assert (code, out, err) == (0, expected, "")


def test_undo_cli_messages(
    healthy_sim: Any,
    kubeconfig: str,
    capsys: pytest.CaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    code, out, err = run(capsys, "undo", "demo", "--kubeconfig", kubeconfig)
    assert (code, out, err) == (1, "", 'error: no revision found for rollout "demo"\n')
    code, out, err = run(capsys, "undo", "demo", "--to-revision", "3", "--kubeconfig", kubeconfig)
    assert err == "error: unable to find specified revision 3 in history\n"


@pytest.mark.parametrize("argv", [["get", "rollout", "nope"], ["promote", "nope"], ["status", "nope"]])
def test_cluster_errors_are_one_line(
    healthy_sim: Any,
    kubeconfig: str,
    capsys: pytest.CaptureFixture,
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    code, out, err = run(capsys, *argv, "--kubeconfig", kubeconfig)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and 'rollouts.argoproj.io "nope" not found' in err


def test_bad_kubeconfig_and_unreachable_cluster_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    bad = tmp_path / "bad"
    bad.write_text("clusters: [\n  - oops: {")
    code, _out, err = run(capsys, "get", "rollout", "x", "--kubeconfig", str(bad))
    assert code == 1 and err.startswith("error: kubeconfig") and "not valid YAML" in err
    assert err.count("\n") == 1
    closed = tmp_path / "closed"
    closed.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "c",
                "clusters": [{"name": "c", "cluster": {"server": "http://127.0.0.1:9"}}],
                "users": [{"name": "u", "user": {"token": "t"}}],
                "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u"}}],
            }
        )
    )
    code, _out, err = run(capsys, "list", "rollouts", "--kubeconfig", str(closed))
    assert code == 1 and err.count("\n") == 1 and "cannot reach the API server" in err
    code, _out, err = run(capsys, "get", "rollout", "x", "--kubeconfig", str(closed), "--context", "nope")
    assert err == "error: context 'nope' not found in kubeconfig (available: c)\n"


def test_forbidden_action_is_one_clear_line(
    healthy_sim: Any, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    healthy_sim.add_user("viewer", "viewer-token", read_only_namespaces=["*"])
    kc = str(healthy_sim.write_kubeconfig(tmp_path / "kc", user="viewer"))
    code, out, err = run(capsys, "abort", "demo", "--kubeconfig", kc)
    assert code == 1 and out == "" and err.startswith("error: forbidden: ") and err.count("\n") == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_get_watch_redraws_in_place_only_when_the_text_changes(
    healthy_sim: Any, kubeconfig: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rollout_tui.cli import parse
    from rollout_tui.commands import _watch

    screen = Terminal()
    monkeypatch.setattr("sys.stdout", screen)
    args = parse(["get", "rollout", "demo", "-w", "--kubeconfig", kubeconfig, "--now", NOW, "--no-color"])
    done = threading.Event()
    thread = threading.Thread(
        target=lambda: (_watch.watch_rollout(args, max_frames=2), done.set()), daemon=True
    )
    thread.start()
    wait_for(lambda: screen.getvalue(), message="the first frame")
    time.sleep(2.5)  # two idle ticks: nothing changed, so nothing is redrawn
    assert screen.getvalue().count(_watch.HOME) == 1
    set_phase(healthy_sim, "Healthy")
    assert done.wait(10)
    frames = screen.getvalue().split(_watch.HOME)[1:]
    assert len(frames) == 2
    assert frames[0].startswith("\x1b[2J")  # the first frame clears the screen once
    assert not frames[1].startswith("\x1b[2J")  # later frames overwrite in place
    assert "✔ Healthy" in frames[1] and frames[1].endswith(_watch.CLEAR_BELOW)


def test_detail_watch_shows_what_get_shows_including_experiment_children(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """The TUI's scoped watches (experiment ReplicaSets picked up once the experiment is seen)
    end up with the same tree as the one-shot `get`."""
    from rollout_tui.kube.config import load_contexts
    from rollout_tui.kube.fleet import Fleet
    from rollout_tui.model.clock import FixedClock
    from rollout_tui.model.fields import parse_time
    from rollout_tui.model.rollout import rollout_info
    from rollout_tui.render.get import render_rollout
    from rollout_tui.sim import Simulator

    with Simulator(controller=False, tls=False, load=[RECORDED / "experiment-analysis"]) as sim:
        [ro] = sim.store.list("rollouts")[0]
        namespace, name = ro["metadata"]["namespace"], ro["metadata"]["name"]
        kc = str(sim.write_kubeconfig(tmp_path / "kc", namespace=namespace))
        _, expected, _ = run(capsys, "get", "rollout", name, "--kubeconfig", kc, "--now", NOW, "--no-color")
        fleet = Fleet(load_contexts(kc), namespaces=[namespace]).start()
        try:
            detail = fleet.open_detail("sim", namespace, ro)
            clock = FixedClock(parse_time(NOW))

            def rendered() -> str:
                current = detail.rollout()
                return render_rollout(rollout_info(current, detail.objects()), clock.now()) if current else ""

            wait_for(lambda: rendered() == expected, timeout=10, message="the detail tree to match get")
            assert "-baseline-" in expected and "AnalysisRun" in expected
        finally:
            fleet.stop()
