"""``get rollout NAME -w [--timeout-seconds N]`` and ``get experiment NAME -w``: redraw in place
whenever the rendered text changes (pkg/kubectl-argo-rollouts/cmd/get/get_rollout.go and
get_experiment.go: at most every 200 ms, and at least every second so ages move), from scoped
list+watch reflectors. ``--timeout-seconds`` ends a rollout watch after N seconds, exit 0, as the
plugin's context timeout does. With ``-o json|yaml`` each change is one document instead of a
redraw (JSON lines for json), and connection trouble goes to stderr so stdout stays parseable."""

from __future__ import annotations

import argparse
import queue
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rollout_tui.commands import CommandError
from rollout_tui.commands._live import cluster_errors, connect

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


def redraw(
    render: Callable[[], str],
    fleet: Any,
    context: str,
    deadline: float | None = None,
    max_frames: int | None = None,
    documents: bool = False,
) -> int:
    """Redraw ``render()`` whenever it changes; ``documents``: append each new text as it is."""
    out = sys.stdout
    tty = bool(getattr(out, "isatty", None) and out.isatty()) and not documents
    previous: str | None = None
    trouble = ""
    last_draw = 0.0
    frames = 0
    while (max_frames is None or frames < max_frames) and (deadline is None or time.monotonic() < deadline):
        text = render()
        problem = _trouble(fleet, context)
        if problem and not documents:
            text += f"\n({problem})\n"
        elif problem and problem != trouble:  # documents: stdout stays parseable
            print(f"warning: {problem}", file=sys.stderr, flush=True)
        trouble = problem
        if text != previous and (text or not documents):
            pause = MIN_REDRAW - (time.monotonic() - last_draw)
            if pause > 0:
                time.sleep(pause)
            out.write(text if documents else frame(text, previous is None) if tty else text + "\n")
            out.flush()
            previous, last_draw = text, time.monotonic()
            frames += 1
        wait = TICK if deadline is None else max(0.0, min(TICK, deadline - time.monotonic()))
        try:
            fleet.batches.get(timeout=wait)
            while True:
                fleet.batches.get_nowait()
        except queue.Empty:
            pass
    return 0


def _trouble(fleet: Any, context: str) -> str:
    """The context's connection trouble in one line ("" while live or first syncing)."""
    state = fleet.states().get(context)
    if state is None or state.ok or state.phase.value == "syncing":
        return ""
    return str(state.describe())


def _fleet(args: argparse.Namespace) -> tuple[Any, Any, str]:
    from rollout_tui.kube.fleet import Fleet

    if getattr(args, "filename", None):
        raise CommandError("-w watches a cluster; it cannot be used with -f")
    context, namespace = connect(args, read_only=True)
    return Fleet([context], namespaces=[namespace], read_only=True, overview=False), context, namespace


def watch_rollout(args: argparse.Namespace, max_frames: int | None = None) -> int:
    from rollout_tui.kube import live
    from rollout_tui.kube.resources import ROLLOUT
    from rollout_tui.model.rollout import rollout_info
    from rollout_tui.render.get import render_rollout

    frames = _Frames(args)
    timeout = getattr(args, "timeout_seconds", 0) or 0
    deadline = time.monotonic() + timeout if timeout > 0 else None
    with cluster_errors():
        fleet, context, namespace = _fleet(args)
        rollout = live.get_object(context, ROLLOUT, namespace, args.name)
        fleet.start()
    try:
        detail = fleet.open_detail(context.name, namespace, rollout)
        detail.wait_synced(30.0)
        shown = _Shown(
            "rollout", namespace, context.name, detail.rollout, detail.objects, rollout_info, render_rollout
        )
        return redraw(
            lambda: frames.text(shown),
            fleet,
            context.name,
            deadline,
            max_frames,
            documents=bool(frames.output),
        )
    except KeyboardInterrupt:
        return 0
    finally:
        fleet.stop()


def watch_experiment(args: argparse.Namespace, max_frames: int | None = None) -> int:
    from rollout_tui.kube import live
    from rollout_tui.kube.experiment_watch import ExperimentWatch
    from rollout_tui.kube.resources import EXPERIMENT
    from rollout_tui.model.experiments import experiment_info
    from rollout_tui.render.get import render_experiment

    frames = _Frames(args)
    with cluster_errors():
        fleet, context, namespace = _fleet(args)
        live.get_object(context, EXPERIMENT, namespace, args.name)  # not found: the plugin's error, now
        fleet.start()
    watch = ExperimentWatch(fleet.hub(context.name), namespace, args.name)
    try:
        watch.wait_synced(30.0)
        shown = _Shown(
            "experiment",
            namespace,
            context.name,
            watch.experiment,
            watch.objects,
            experiment_info,
            render_experiment,
        )
        return redraw(
            lambda: frames.text(shown), fleet, context.name, None, max_frames, documents=bool(frames.output)
        )
    except KeyboardInterrupt:
        return 0
    finally:
        watch.close()
        fleet.stop()


@dataclass(frozen=True)
class _Shown:
    """What a -w redraws: its kind's word and place, where the watched object (None: deleted, or
    not listed yet) and the objects around it are read from, and how it is modelled and rendered."""

    kind: str
    namespace: str
    context: str
    current: Callable[[], dict | None]
    objects: Callable[[], Any]
    model: Callable[[dict, Any], Any]
    render: Callable[..., str]


class _Frames:
    """The text of each frame: the plugin's rendering, or with -o one document. The flags are read
    when it is made, before connecting (a bad --now fails at once)."""

    def __init__(self, args: argparse.Namespace) -> None:
        from rollout_tui.commands.terminal import clock_for, icons_for, use_color

        self.name, self.output = args.name, getattr(args, "output", None)
        self.color, self.icons, self.clock = use_color(args), icons_for(args), clock_for(args)

    def text(self, shown: _Shown) -> str:
        current = shown.current()
        if current is None:
            if self.output:
                return ""  # deleted: nothing to say in a document until it is back
            return (
                f'{shown.kind} "{self.name}" not found in namespace "{shown.namespace}" (deleted?); waiting\n'
            )
        info = shown.model(current, shown.objects())
        if self.output:
            return _document(info, self.clock.now(), shown.context, self.output)
        return shown.render(info, self.clock.now(), color=self.color, glyphs=self.icons)


def _document(info: Any, now: Any, context: str, output: str) -> str:
    """One -o document of a RolloutInfo or ExperimentInfo: a JSON line, or a YAML document."""
    from rollout_tui.model.attention import attention
    from rollout_tui.model.rollout import RolloutInfo
    from rollout_tui.render.json_view import encode, encode_line, experiment_detail, rollout_detail

    if isinstance(info, RolloutInfo):
        view = rollout_detail(info, attention(info.state, now), context)
    else:
        view = experiment_detail(info, context)
    return encode_line(view) if output == "json" else "---\n" + encode(view, output)
