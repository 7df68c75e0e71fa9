"""Bytes per second the real UI writes to a terminal: a frozen fleet (idle) and the moving demo.

    python tests/ui/measure_bandwidth.py [--seconds 20]

Prints JSON. Idle must be ~0 (diff-only repaints, a quiet fleet sends nothing); the demo shows
what a busy fleet costs over SSH (goal: <= 4 KiB/s at 120x40).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))  # for tests.fixtures

from ptyrun import PtyApp
from uihelpers import fixture_paths


def measure(args: list[str], cols: int, rows: int, settle: float, seconds: float, keys: bytes = b"") -> dict:
    app = PtyApp(args, cols=cols, rows=rows)
    try:
        app.read_for(settle)
        if keys:
            app.send(keys)
            app.read_for(2.0)
        window = app.read_for(seconds)
    finally:
        app.close()
    return {
        "size": f"{cols}x{rows}",
        "seconds": seconds,
        "bytes": len(window),
        "bytes_per_second": round(len(window) / seconds, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    opts = parser.parse_args()
    from rollout_tui.sim import Simulator

    results = {}
    with tempfile.TemporaryDirectory() as tmp, Simulator(load=fixture_paths(), controller=False) as sim:
        kubeconfig = str(sim.write_kubeconfig(Path(tmp) / "kubeconfig", context="sim"))
        for cols, rows in ((80, 24), (160, 48)):
            results[f"idle_frozen_fleet_{cols}x{rows}"] = measure(
                ["--kubeconfig", kubeconfig], cols, rows, 6.0, opts.seconds
            )
            results[f"idle_frozen_fleet_detail_{cols}x{rows}"] = measure(
                ["--kubeconfig", kubeconfig], cols, rows, 6.0, opts.seconds, keys=b"\r"
            )
    for cols, rows in ((80, 24), (120, 40), (160, 48)):
        results[f"demo_in_motion_{cols}x{rows}"] = measure(["--demo"], cols, rows, 8.0, opts.seconds)
        results[f"demo_wall_{cols}x{rows}"] = measure(["--demo", "--wall"], cols, rows, 8.0, opts.seconds)
    # The window above catches the demo's first trouble appearing on the wall (~14 s in: the whole
    # detail is drawn once); this one is the wall between switches.
    results["demo_wall_steady_160x48"] = measure(["--demo", "--wall"], 160, 48, 40.0, opts.seconds)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
