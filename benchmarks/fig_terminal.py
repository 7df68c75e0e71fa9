"""Figure 4: bytes the UI writes to a real 120x40 pty, for a quiet fleet and for the demo fleet in
motion, vs what ``kubectl argo rollouts get rollout -w`` writes for ONE rollout (a full clear and
reprint per second; sized from our plugin-compatible ``rollout-tui get rollout`` output)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from report import Figure
from simproc import SimProcess
from uiproc import UiProcess

QUIET_GOAL = 0.0
MOTION_GOAL = 4096.0
CLEAR_AND_HOME = b"\x1b[H\x1b[2J"
ROOT = Path(__file__).resolve().parent.parent


def _rate(ui: UiProcess, settle: float, window: float) -> float:
    time.sleep(settle)
    start = time.time()
    time.sleep(window)
    return ui.bytes_between(start, time.time()) / window


def plugin_get_bytes(kubeconfig: str, namespace: str, name: str) -> int:
    """Size of one frame of `get rollout` (forced colour, as on a terminal) plus the clear."""
    env = dict(os.environ, NO_PROXY="127.0.0.1,localhost", PYTHONPATH=str(ROOT))
    env.pop("NO_COLOR", None)
    argv = [
        sys.executable,
        "-m",
        "rollout_tui",
        "get",
        "rollout",
        name,
        "-n",
        namespace,
        "--kubeconfig",
        kubeconfig,
    ]
    out = subprocess.run(argv, capture_output=True, timeout=60, env=env, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"rollout-tui get rollout failed: {out.stderr.decode(errors='replace')[-300:]}")
    return len(out.stdout) + len(CLEAR_AND_HOME)


def _quiet(settle: float, window: float) -> float:
    with SimProcess(rollouts=60, namespaces=6) as sim, UiProcess(sim.kubeconfig) as ui:
        ui.request("rows", count=60)
        return _rate(ui, settle, window)


def _motion(settle: float, window: float) -> tuple[float, list[list[str]], int, str]:
    with SimProcess(scenario="demo", motion=12, controller=True) as sim:
        names = sim.request(op="list", limit=200)["rollouts"]
        with UiProcess(sim.kubeconfig) as ui:
            ui.request("rows", count=len(names))
            motion = _rate(ui, settle, window)
        ns, name = names[0]
        frame = plugin_get_bytes(sim.kubeconfig, ns, name)
        source = sim.info.get("scenario") or "generated motion fleet (demo scenario not available)"
    return motion, names, frame, source


def measure(settle: float, window: float, parallel: bool = False) -> list[Figure]:
    if parallel:  # the smoke: both fleets at once
        with ThreadPoolExecutor(2) as pool:
            quiet_job, motion_job = pool.submit(_quiet, settle, window), pool.submit(_motion, settle, window)
            quiet, (motion, names, frame, source) = quiet_job.result(), motion_job.result()
    else:
        quiet = _quiet(settle, window)
        motion, names, frame, source = _motion(settle, window)
    return [
        Figure(
            "terminal.quiet_bps",
            "terminal bytes/s, quiet fleet (60 rollouts), 120x40",
            quiet,
            "B/s",
            "0 B/s",
            quiet <= QUIET_GOAL,
            extra={"window_s": window},
        ),
        Figure(
            "terminal.motion_bps",
            f"terminal bytes/s, demo fleet in motion ({len(names)} rollouts), 120x40",
            motion,
            "B/s",
            "<= 4,096 B/s",
            motion <= MOTION_GOAL,
            float(frame),
            "plugin get -w, 1 rollout",
            f"fleet: {source}; baseline = one {frame} B frame per second",
            extra={"window_s": window, "frame_bytes": frame},
        ),
    ]
