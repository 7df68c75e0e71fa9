"""``sim``: run the Kubernetes API simulator (with the simulated Argo Rollouts controller).

Writes a kubeconfig for the running server, prints how to use it, and serves until Ctrl-C.
Several ``sim`` processes on different ports (and ``--name``s) stand in for several clusters.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from rollout_tui.commands import CommandError
from rollout_tui.commands._command import Command, Flag


def _start(args: argparse.Namespace) -> Any:
    from rollout_tui.sim import Simulator
    from rollout_tui.sim.loader import LoadError

    if args.kubeconfig:
        raise CommandError("sim writes a kubeconfig for itself: choose where with --kubeconfig-out FILE")
    loads = [*args.load, *([args.filename] if args.filename else [])]  # -f works like --load
    if args.speed <= 0:
        raise CommandError("--speed must be positive")
    if not 0 <= args.port <= 65535:
        raise CommandError("--port must be between 0 and 65535")
    try:
        sim = Simulator(
            port=args.port,
            scenario=args.scenario,
            load=loads,
            controller=not args.no_controller,
            speed=args.speed,
            token=args.token or None,  # the global --token: the one token clients must present
        )
    except (OSError, RuntimeError) as exc:  # RuntimeError: no way to make a TLS certificate
        raise CommandError(f"cannot start the simulator: {exc}") from None
    try:
        return sim.start()
    except LoadError as exc:
        raise CommandError(f"cannot load manifests: {exc}") from None
    except OSError as exc:
        raise CommandError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}") from None
    except ImportError as exc:
        raise CommandError(f"scenarios are not available in this build ({exc})") from None
    except Exception as exc:
        if type(exc).__name__ == "ScenarioError":  # the scenario module's one-line errors
            raise CommandError(str(exc)) from None
        raise


def run(args: argparse.Namespace) -> int:
    sim = _start(args)
    try:
        out = args.kubeconfig_out or str(
            Path(tempfile.gettempdir()) / f"rollout-tui-{args.name}-{sim.port}.kubeconfig"
        )
        try:
            path = sim.write_kubeconfig(out, context=args.name)
        except OSError as exc:
            raise CommandError(f"cannot write the kubeconfig to {out}: {exc.strerror or exc}") from None
        for warning in sim.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        controller = "on" if sim.controller is not None else "off"
        print(
            f"rollout-tui simulator serving {sim.url} (scenario: {args.scenario or 'none'}, controller: "
            f"{controller}, speed: {args.speed:g}x, {sim.store.count('rollouts')} rollouts)"
        )
        print(f"kubeconfig written to {path}; use it with:")
        print(f"  export KUBECONFIG={path}")
        print("  kubectl get rollouts -A")
        print("  rollout-tui")
        print(
            f"Fault injection: POST {sim.url}/sim/faults/<action> with the kubeconfig's token "
            "(README, section Simulator). Press Ctrl-C to stop.",
            flush=True,
        )
        _wait_for_signal()
    finally:
        sim.stop()
    return 0


def _wait_for_signal() -> None:
    stop = threading.Event()

    def handle(signum: int, frame: object) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, handle)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


COMMAND = Command(
    "sim",
    help="run the built-in Kubernetes API simulator",
    description="Serve a simulated Kubernetes API (HTTPS on 127.0.0.1) with a simulated Argo Rollouts "
    "controller. kubectl and rollout-tui connect to it with the kubeconfig it writes.",
    flags=(
        Flag("--port", type=int, default=0, help="port to listen on (default: any free port)"),
        Flag(
            "--scenario",
            metavar="NAME|FILE",
            help='packaged scenario ("demo", "scale") or a scenario YAML file',
        ),
        Flag(
            "--load",
            metavar="PATH",
            action="append",
            default=[],
            help="seed objects from manifests (file or directory; repeatable)",
        ),
        Flag(
            "--no-controller", action="store_true", help="serve the objects frozen: no simulated controller"
        ),
        Flag("--speed", type=float, default=1.0, help="simulated seconds per real second (default 1)"),
        Flag(
            "--kubeconfig-out",
            metavar="FILE",
            help="where to write the kubeconfig (default: a file in the temp directory)",
        ),
        Flag("--name", default="sim", help="cluster/context name in the kubeconfig (default sim)"),
    ),
    run=run,
)
