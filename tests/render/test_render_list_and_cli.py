"""`list rollouts` against the plugin's expected tables, and the CLI's handling of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.render.conftest import NOW_ARG


def canary(name: str = "can-guestbook", namespace: str = "test", available: int = 2) -> dict:
    """newCanaryRollout() of cmd/list/list_test.go."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": 5,
            "strategy": {
                "canary": {"steps": [{"setWeight": 10}, {"pause": {"duration": 60}}, {"setWeight": 20}]}
            },
        },
        "status": {
            "currentStepIndex": 1,
            "replicas": 4,
            "readyReplicas": 1,
            "updatedReplicas": 3,
            "availableReplicas": available,
        },
    }


def bluegreen(name: str = "bg-guestbook", namespace: str = "test") -> dict:
    ro = canary(name, namespace)
    ro["spec"]["strategy"] = {"blueGreen": {}}
    return ro


def write(path: Path, *objects: dict) -> Path:
    path.write_text(yaml.safe_dump_all(objects))
    return path


def test_list_canary_exact(tmp_path: Path, run_cli) -> None:
    code, out, err = run_cli(
        "list", "rollouts", "-n", "test", "-f", str(write(tmp_path / "r.yaml", canary()))
    )
    assert (code, err) == (0, "")
    assert out == (
        "NAME           STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE\n"
        "can-guestbook  Canary     Progressing   1/3   10          1/4    5        3           2        \n"
    )


def test_list_bluegreen_exact(tmp_path: Path, run_cli) -> None:
    code, out, _ = run_cli("list", "rollouts", "-f", str(write(tmp_path / "r.yaml", bluegreen())))
    assert code == 0
    assert out == (
        "NAME          STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE\n"
        "bg-guestbook  BlueGreen  Progressing   -     -           1/4    5        3           2        \n"
    )


def test_list_all_namespaces_adds_column_and_sorts(tmp_path: Path, run_cli) -> None:
    path = write(tmp_path / "r.yaml", canary(namespace="test"), bluegreen(namespace="a-namespace-longer"))
    code, out, _ = run_cli("list", "rollouts", "-A", "-f", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("NAMESPACE           NAME           STRATEGY")
    assert lines[1].startswith("a-namespace-longer  bg-guestbook ")
    assert lines[2].startswith("test                can-guestbook")


def test_list_namespace_filter_and_name(tmp_path: Path, run_cli) -> None:
    path = write(
        tmp_path / "r.yaml",
        canary(namespace="test"),
        canary(name="other", namespace="test"),
        bluegreen(namespace="prod"),
    )
    code, out, _ = run_cli("list", "rollouts", "-n", "test", "--name", "other", "-f", str(path))
    assert code == 0 and out.splitlines()[1].startswith("other ")
    code, out, err = run_cli("list", "rollouts", "-n", "nowhere", "-f", str(path))
    assert (code, out) == (0, "") and err == 'No resources found in namespace "nowhere".\n'


def test_list_timestamps_use_the_clock(tmp_path: Path, run_cli) -> None:
    code, out, _ = run_cli(
        "list", "rollouts", "--timestamps", "--now", NOW_ARG, "-f", str(write(tmp_path / "r.yaml", canary()))
    )
    assert code == 0 and out.splitlines()[1].startswith("2026-01-15T12:00:00Z  can-guestbook")


def test_kind_list_and_typed_list_json(tmp_path: Path, run_cli) -> None:
    (tmp_path / "list.json").write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [canary()]}))
    typed = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "RolloutList",
        "items": [{k: v for k, v in bluegreen().items() if k != "kind"}],
    }
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "typed.yaml").write_text(yaml.safe_dump(typed))
    code, out, _ = run_cli("list", "rollouts", "-f", str(tmp_path))
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["bg-guestbook", "can-guestbook"]


def test_missing_file(tmp_path: Path, run_cli) -> None:
    code, out, err = run_cli("get", "rollout", "x", "-f", str(tmp_path / "nope.yaml"))
    assert code != 0 and out == ""
    assert err == f"error: {tmp_path / 'nope.yaml'}: no such file or directory\n"


def test_unparsable_yaml(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Rollout\nmetadata: {name: [unclosed\n")
    code, out, err = run_cli("get", "rollout", "x", "-f", str(bad))
    assert code != 0 and out == ""
    assert err.startswith(f"error: {bad}: invalid YAML at line ") and err.count("\n") == 1


def test_broken_file_in_directory_is_skipped_with_warning(tmp_path: Path, run_cli) -> None:
    write(tmp_path / "good.yaml", canary())
    (tmp_path / "broken.yaml").write_text("a: [\n")
    code, out, err = run_cli("list", "rollouts", "-f", str(tmp_path))
    assert code == 0 and "can-guestbook" in out
    assert err.startswith(f"warning: skipped {tmp_path / 'broken.yaml'}: invalid YAML")


def test_rollout_not_found(tmp_path: Path, run_cli) -> None:
    path = write(tmp_path / "r.yaml", canary())
    code, out, err = run_cli("get", "rollout", "does-not-exist", "-f", str(path))
    assert code != 0 and out == ""
    assert err == f'error: rollout.argoproj.io "does-not-exist" not found in {path}\n'
    code, _, err = run_cli("get", "rollout", "can-guestbook", "-n", "prod", "-f", str(path))
    assert code != 0 and 'not found in namespace "prod"' in err


def test_ambiguous_name_needs_namespace(tmp_path: Path, run_cli) -> None:
    path = write(tmp_path / "r.yaml", canary(namespace="a"), canary(namespace="b"))
    code, _, err = run_cli("get", "rollout", "can-guestbook", "-f", str(path))
    assert code != 0 and "several namespaces (a, b)" in err
    code, out, _ = run_cli("get", "rollout", "can-guestbook", "-n", "b", "-f", str(path))
    assert code == 0 and "Namespace:       b\n" in out


def test_directory_without_rollouts(tmp_path: Path, run_cli) -> None:
    path = write(tmp_path / "pod.yaml", {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}})
    code, out, err = run_cli("list", "rollouts", "-f", str(tmp_path))
    assert (code, out) == (1, "") and err == f"error: no Rollout objects in {tmp_path}\n"
    code, out, err = run_cli("get", "rollout", "x", "-f", str(path))
    assert (code, out) == (1, "") and err == f"error: no Rollout objects in {path}\n"


def test_empty_directory(tmp_path: Path, run_cli) -> None:
    code, _, err = run_cli("get", "rollout", "x", "-f", str(tmp_path))
    assert code != 0 and "no .yaml, .yml or .json files found" in err


def test_bad_now(tmp_path: Path, run_cli) -> None:
    code, _, err = run_cli(
        "get",
        "rollout",
        "can-guestbook",
        "--now",
        "yesterday",
        "-f",
        str(write(tmp_path / "r.yaml", canary())),
    )
    assert code != 0 and "--now 'yesterday' is not an RFC 3339 time" in err


def test_no_color_env_and_pipe_give_plain_text(tmp_path: Path, run_cli, monkeypatch) -> None:
    path = write(tmp_path / "r.yaml", canary())
    _, out, _ = run_cli("get", "rollout", "can-guestbook", "-f", str(path))
    assert "\x1b" not in out  # captured stdout is not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run_cli("get", "rollout", "can-guestbook", "-f", str(path))
    assert "\x1b" not in out


def test_color_on_a_terminal(tmp_path: Path, monkeypatch) -> None:
    import argparse
    import io

    from rollout_tui.commands.terminal import use_color

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert use_color(argparse.Namespace(no_color=False), Tty()) is True
    assert use_color(argparse.Namespace(no_color=True), Tty()) is False
    assert use_color(argparse.Namespace(no_color=False), io.StringIO()) is False


def test_subprocess_entry_point(tmp_path: Path) -> None:
    """The real console entry (python -m rollout_tui) prints the same text and exit codes."""
    import subprocess
    import sys

    path = write(tmp_path / "r.yaml", canary())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "rollout_tui",
            "get",
            "rollout",
            "can-guestbook",
            "-f",
            str(path),
            "--now",
            NOW_ARG,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Name:            can-guestbook\n")
    done = subprocess.run(
        [sys.executable, "-m", "rollout_tui", "get", "rollout", "x", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_stderr_never_carries_escapes_from_objects(tmp_path: Path, run_cli) -> None:
    evil = canary(namespace="\x1b[2Jns")
    evil["status"]["replicas"] = "\x1b]0;title\x07"
    path = write(tmp_path / "r.yaml", evil, canary(namespace="b"))
    code, _, err = run_cli("get", "rollout", "can-guestbook", "-f", str(path))
    assert code != 0 and "\x1b" not in err and "\\x1b[2Jns" in err
    code, out, err = run_cli("get", "rollout", "can-guestbook", "-n", "\x1b[2Jns", "-f", str(path))
    assert code == 0 and "\x1b" not in out + err and "status.replicas: expected integer" in err


def test_ascii_flag_before_or_after_the_subcommand(tmp_path: Path, run_cli) -> None:
    path = write(tmp_path / "r.yaml", canary())
    for argv in (
        ("get", "rollout", "can-guestbook", "--ascii"),
        ("--ascii", "get", "rollout", "can-guestbook"),
    ):
        code, out, _ = run_cli(*argv, "-f", str(path))
        assert code == 0 and out.isascii() and "@ can-guestbook" in out
