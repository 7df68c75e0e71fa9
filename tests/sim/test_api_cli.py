"""`rollout-tui sim` as an operator runs it: a process that prints how to connect and stops on Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml
from kubernetes import client, config

from tests.fixtures.sets import MANIFESTS


def run_cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rollout_tui", "sim", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_sim_serves_until_interrupted(tmp_path: Path) -> None:
    out = tmp_path / "sim.kubeconfig"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rollout_tui",
            "sim",
            "--no-controller",
            "--kubeconfig-out",
            str(out),
            "--name",
            "east",
            "-f",
            str(MANIFESTS / "canary.yaml"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Press Ctrl-C" in line:
                break
        text = "".join(lines)
        assert f"export KUBECONFIG={out}" in text
        assert "1 rollouts" in text
        kubeconfig = yaml.safe_load(out.read_text())
        assert kubeconfig["current-context"] == "east"
        api = config.new_client_from_config(str(out))
        try:
            items = client.CustomObjectsApi(api).list_cluster_custom_object(
                "argoproj.io", "v1alpha1", "rollouts"
            )
        finally:
            api.close()
        assert [i["metadata"]["name"] for i in items["items"]] == ["rollout-canary"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)


def test_bad_input_is_one_line_errors(tmp_path: Path) -> None:
    result = run_cli("--load", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"error: cannot load manifests: {tmp_path / 'missing'}: no such file or directory"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: Rollout\nmetadata: {name: x\n")
    result = run_cli("--load", str(broken))
    assert result.returncode == 1 and result.stderr.startswith(f"error: cannot load manifests: {broken}:")
    assert "Traceback" not in result.stderr
    result = run_cli("--scenario", "no-such-scenario")
    assert result.returncode == 1 and result.stderr.startswith("error: unknown scenario 'no-such-scenario'")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("--port", str(port), "--no-controller")
    assert result.returncode == 1 and result.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}:")
    result = run_cli("--kubeconfig", str(tmp_path / "k"))
    assert result.returncode == 1 and "--kubeconfig-out" in result.stderr
