"""The diagnostics hook: SIGUSR1 dumps object counts from a running rollout-tui process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO_ROOT


def _caught(pid: int, signum: int) -> bool:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


def _start_sim(env: dict[str, str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "rollout_tui.diagnostics", "sim", "--no-controller"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO_ROOT), **env),
        cwd=REPO_ROOT,
    )
    assert proc.stdout is not None
    assert "serving" in proc.stdout.readline()  # the CLI is up and running its command
    return proc


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def test_sigusr1_appends_object_counts_and_allocation_sites(tmp_path: Path) -> None:
    out = tmp_path / "diag.jsonl"
    proc = _start_sim({"ROLLOUT_TUI_DIAG": str(out), "ROLLOUT_TUI_DIAG_TRACE": "3"})
    try:
        assert _caught(proc.pid, signal.SIGUSR1)
        for expected in (1, 2):
            proc.send_signal(signal.SIGUSR1)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and (
                not out.exists() or len(out.read_text().splitlines()) < expected
            ):
                time.sleep(0.1)
        assert proc.poll() is None  # the process survived both dumps
    finally:
        _stop(proc)
    dumps = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(dumps) == 2
    first = dumps[0]
    assert first["pid"] == proc.pid and first["rss"] > 0 and first["gc_objects"] > 1000
    assert dict(first["types"])["builtins.dict"] > 0
    assert first["tracing"] and first["sites"] and first["traced_bytes"] > 0
    assert first["pymalloc"] == {}  # tracemalloc hooks the allocator: pymalloc reports nothing then


def test_without_tracing_a_dump_says_how_full_the_allocator_is(tmp_path: Path) -> None:
    out = tmp_path / "diag.jsonl"
    proc = _start_sim({"ROLLOUT_TUI_DIAG": str(out)})
    try:
        deadline = time.monotonic() + 20
        while not _caught(proc.pid, signal.SIGUSR1) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGUSR1)
        while time.monotonic() < deadline and (not out.exists() or not out.read_text().strip()):
            time.sleep(0.1)
        assert proc.poll() is None
    finally:
        _stop(proc)
    allocator = json.loads(out.read_text().splitlines()[0])["pymalloc"]  # from a forked copy
    assert allocator["arenas_allocated_current"] > 0
    assert 0 < allocator["bytes_in_allocated_blocks"] < allocator["arenas_allocated_current"] * 2**20


def test_without_the_variable_sigusr1_is_left_alone(tmp_path: Path) -> None:
    proc = _start_sim({})
    try:
        assert not _caught(proc.pid, signal.SIGUSR1)
    finally:
        _stop(proc)
