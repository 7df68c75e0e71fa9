"""Shell completion: the scripts load in real bash, zsh and fish (PowerShell: checked for shape, no
pwsh here), complete through ``__complete`` (subcommands, aliases, flags, kubeconfig contexts,
namespaces and rollout names from the simulator), and a cluster that never answers costs the
shell a bounded wait, not a hang."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.kube.conftest import rollout

BIN = Path(sys.executable).parent


def env_for(kubeconfig: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG",)}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    if kubeconfig:
        env["KUBECONFIG"] = kubeconfig
    return env


def shell(
    argv: list[str], kubeconfig: str | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, env=env_for(kubeconfig), timeout=timeout, check=False
    )


def bash_complete(words: list[str], kubeconfig: str | None = None) -> list[str]:
    """Run the bash completion function as readline would for ``words`` (the last one being typed)."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in ["rollout-tui", *words])
    script = (
        "source <(rollout-tui completion bash)\n"
        f"COMP_WORDS=({quoted}); COMP_CWORD={len(words)}\n"
        "__rollout_tui_complete\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = shell(["bash", "-c", script], kubeconfig)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_the_bash_script_registers_the_completion() -> None:
    result = shell(["bash", "-c", "source <(rollout-tui completion bash); complete -p rollout-tui"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "complete -F __rollout_tui_complete rollout-tui"


@pytest.fixture
def cluster(sim: Any, kubeconfig: str) -> str:
    sim.store.create("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    for name in ("checkout", "cart"):
        sim.store.create("rollouts", rollout(name, namespace="shop"))
    sim.store.create("rollouts", rollout("web"))
    config = yaml.safe_load(Path(kubeconfig).read_text())
    config["contexts"].append({"name": "prod:eu-west-1", "context": {"cluster": "sim", "user": "sim-admin"}})
    Path(kubeconfig).write_text(yaml.safe_dump(config))
    return kubeconfig


def test_bash_completes_commands_flags_contexts_namespaces_and_rollouts(cluster: str) -> None:
    assert bash_complete(["st"]) == ["status"]
    assert set(bash_complete(["retry", ""])) == {
        "rollout",
        "experiment",
        "ro",
        "rollouts",
        "exp",
        "experiments",
    }
    assert "--timeout-seconds" in bash_complete(["get", "rollout", "--t"])
    assert bash_complete(["list", "rollouts", "--context", ""], cluster) == ["sim", "prod:eu-west-1"]
    assert bash_complete(["list", "rollouts", "--context", "=", "pr"], cluster) == ["prod:eu-west-1"]
    assert set(bash_complete(["list", "rollouts", "-n", ""], cluster)) >= {"default", "shop"}
    assert bash_complete(["promote", "-n", "shop", ""], cluster) == ["cart", "checkout"]
    assert bash_complete(["get", "ro", "w"], cluster) == ["web"]
    assert bash_complete(["completion", "f"]) == ["fish"]


def test_zsh_loads_the_script_and_registers_it(cluster: str) -> None:
    if shutil.which("zsh") is None:
        pytest.skip("zsh not installed")
    script = shell(["rollout-tui", "completion", "zsh"]).stdout
    assert shell(["zsh", "-n", "-c", script]).returncode == 0
    check = "autoload -U compinit; compinit -u -D; source <(rollout-tui completion zsh); print -r -- $_comps[rollout-tui]"
    result = shell(["zsh", "-f", "-c", check])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "__rollout_tui"


def test_fish_completes_through_the_script(cluster: str) -> None:
    if shutil.which("fish") is None:
        pytest.skip("fish not installed")
    script = shell(["rollout-tui", "completion", "fish"]).stdout
    assert shell(["fish", "--no-execute", "-c", script]).returncode == 0
    result = shell(
        ["fish", "-c", "rollout-tui completion fish | source; complete -C 'rollout-tui get ro '"], cluster
    )
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["web"]


def test_the_powershell_script_has_the_completer_shape() -> None:
    script = shell(["rollout-tui", "completion", "powershell"]).stdout
    assert script.count("Register-ArgumentCompleter -Native -CommandName 'rollout-tui'") == 1
    assert "& 'rollout-tui' __complete @words" in script and script.count("{") == script.count("}")


def test_an_unanswering_cluster_cannot_hang_completion(tmp_path: Path, kubeconfig: str) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True).start()
    config = yaml.safe_load(Path(kubeconfig).read_text())
    config["clusters"][0]["cluster"]["server"] = f"http://127.0.0.1:{silent.getsockname()[1]}"
    (tmp_path / "kc").write_text(yaml.safe_dump(config))
    started = time.monotonic()
    try:
        result = shell(["rollout-tui", "__complete", "get", "rollout", ""], str(tmp_path / "kc"))
    finally:
        silent.close()
        for conn in accepted:
            conn.close()
    assert time.monotonic() - started < 6
    assert result.stdout.splitlines()[-1] == ":4"


def test_file_arguments_leave_completion_to_the_shell() -> None:
    assert shell(["rollout-tui", "__complete", "lint", "-f", ""]).stdout == ":0\n"
    assert shell(["rollout-tui", "__complete", "get", "--kubeconfig=/tm"]).stdout == ":0\n"
