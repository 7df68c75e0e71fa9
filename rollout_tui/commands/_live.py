"""Shared plumbing for the live-cluster subcommands: flags -> one context, errors -> one line."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from rollout_tui.commands import CommandError


def parse_bool(text: str) -> bool:
    """Go's strconv.ParseBool, as cobra parses ``--watch=false``."""
    value = str(text)
    if value in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if value in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise argparse.ArgumentTypeError(f"invalid boolean {text!r}")


def parse_duration_arg(text: str) -> timedelta:
    from rollout_tui.model.durations import parse_duration

    value = parse_duration(text)
    if value is None or value < timedelta(0):
        raise argparse.ArgumentTypeError(f"invalid duration {text!r} (examples: 30s, 5m, 1h30m)")
    return value


@contextlib.contextmanager
def cluster_errors() -> Iterator[None]:
    """Any cluster or kubeconfig failure becomes one ``error:`` line, never a traceback."""
    from rollout_tui.kube.errors import KubeError, classify
    from rollout_tui.kube.live import ContextChoiceError

    try:
        yield
    except CommandError:
        raise
    except (KubeError, ContextChoiceError) as exc:
        raise CommandError(str(exc)) from None
    except Exception as exc:
        if type(exc).__module__.startswith(("kubernetes", "urllib3")) or isinstance(exc, OSError):
            raise CommandError(str(classify(exc))) from None
        raise


def connect(args: argparse.Namespace, read_only: bool = False) -> tuple[Any, str]:
    """(context, namespace) for a single-context command."""
    from rollout_tui.kube.live import connect as live_connect
    from rollout_tui.kube.live import namespace_for

    context = live_connect(args.kubeconfig, list(args.context or []), bool(args.all_contexts), read_only)
    return context, namespace_for(context, args.namespace)


# --- live source for get/list (called from commands/get.py's objects_for) --------------------

EXPERIMENT_ALIASES = ("experiment", "exp", "experiments")


def live_objects(args: argparse.Namespace) -> Any:
    """The ObjectSet ``get``/``list`` work on, read from the cluster: only what the command shows."""
    from rollout_tui.kube import live

    with cluster_errors():
        context, namespace = connect(args, read_only=True)
        if getattr(args, "list_kind", None):
            objects = live.list_rollouts(context, None if args.all_namespaces else namespace)
        elif getattr(args, "get_kind", None) in EXPERIMENT_ALIASES:
            objects = live.experiment_objects(context, namespace, args.name)
        else:
            objects = live.rollout_objects(context, namespace, args.name)
    return live.as_object_set(objects)


# --- get rollout NAME -w ---------------------------------------------------------------------

HOME = "\x1b[H"
CLEAR_SCREEN = "\x1b[H\x1b[2J"
CLEAR_LINE_END = "\x1b[K"
CLEAR_BELOW = "\x1b[J"
MIN_REDRAW = 0.2  # the plugin's fastest refresh
TICK = 1.0  # ages move even when nothing changes


def frame(text: str, first: bool) -> str:
    """Redraw in place: cursor home, each line cleared to its end, everything below cleared.
    No full-screen clear after the first frame, so an unchanged screen never flickers."""
    body = "".join(line + CLEAR_LINE_END + "\n" for line in text.rstrip("\n").split("\n"))
    return (CLEAR_SCREEN if first else HOME) + body + CLEAR_BELOW


def watch_rollout(args: argparse.Namespace, max_frames: int | None = None) -> int:
    """``get rollout NAME -w``: scoped watches; redraw only when the rendered text changes."""
    import queue
    import sys
    import time

    from rollout_tui.commands.get import clock_for, icons_for, use_color
    from rollout_tui.kube import live
    from rollout_tui.kube.fleet import Fleet
    from rollout_tui.kube.resources import ROLLOUT
    from rollout_tui.model.rollout import rollout_info
    from rollout_tui.render.get import render_rollout

    if getattr(args, "filename", None):
        raise CommandError("-w watches a cluster; it cannot be used with -f")
    out = sys.stdout
    tty = bool(getattr(out, "isatty", None) and out.isatty())
    color, icons = use_color(args), icons_for(args)
    with cluster_errors():
        context, namespace = connect(args, read_only=True)
        rollout = live.get_object(context, ROLLOUT, namespace, args.name)
        fleet = Fleet([context], namespaces=[namespace], read_only=True, overview=False).start()
    frames = 0
    try:
        detail = fleet.open_detail(context.name, namespace, rollout)
        detail.wait_synced(30.0)
        previous: str | None = None
        last_draw = 0.0
        while max_frames is None or frames < max_frames:
            current = detail.rollout()
            if current is None:
                text = f'rollout "{args.name}" not found in namespace "{namespace}" (deleted?); waiting\n'
            else:
                text = render_rollout(
                    rollout_info(current, detail.objects()), clock_for(args).now(), color=color, glyphs=icons
                )
            state = fleet.states().get(context.name)
            if state is not None and not state.ok and state.phase.value != "syncing":
                text += f"\n({state.describe()})\n"
            if text != previous:
                pause = MIN_REDRAW - (time.monotonic() - last_draw)
                if pause > 0:
                    time.sleep(pause)
                out.write(frame(text, previous is None) if tty else text + "\n")
                out.flush()
                previous, last_draw = text, time.monotonic()
                frames += 1
            try:
                fleet.batches.get(timeout=TICK)
                while True:
                    fleet.batches.get_nowait()
            except queue.Empty:
                pass
    except KeyboardInterrupt:
        return 0
    finally:
        fleet.stop()
    return 0
