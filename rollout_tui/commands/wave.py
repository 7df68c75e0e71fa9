"""``wave APP --rings a,b,c --bake 10m [--image [CONTAINER=]IMAGE] ...``: one app's new revision,
ring by ring across clusters, each ring baked before the next starts.

The plan (every write, per ring) is printed first and confirmed on a terminal (``--yes`` accepts
it without asking, for scripts; ``--dry-run`` prints it and writes nothing). Then the wave runs
here, headless, one line per transition (``-o json``: one JSON object per line, the plan first).
Exit status: 0 when every ring is Healthy at the new revision, 1 when the wave stopped (a ring
failed, a write was refused), 2 when it could not start, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

from rollout_tui.commands import CommandError
from rollout_tui.commands._live import cluster_errors, parse_duration_arg
from rollout_tui.model.clock import Clock, SystemClock

DESCRIPTION = """\
Propagate one app's new revision across clusters ring by ring. Ring N+1 starts only once ring N
has been Healthy at the new revision for its whole bake time, with no failed or inconclusive
analysis and no restarts of the new pods, every cluster of it seen live. Starting a ring is, per
rollout: promote (already at the new revision, waiting for promotion) or set image (the revision
the previous ring proved, or --image). Every write is shown before anything is sent, guarded
against a rollout that changed since the plan, and written to the audit trail with the wave's id.
On a failure the wave stops (with --abort-on-failure it also aborts the failing ring); rings not
yet started are left untouched. Read-only contexts are never written: they block the wave.

A wave lives as long as the process running it: run from this command (headless), it survives
the terminal UI being closed; a wave started in the UI stops when the UI closes."""

EPILOG = """\
rings: --rings east,west,north (one context per ring), several contexts in one ring with '+'
(--rings east,west,north+south), named rings with NAME= (--rings canary=east,wide=west+north).
Without --rings, each --context is a ring, in the order given.

exit status: 0 every ring Healthy at the new revision; 1 the wave stopped; 2 it could not start
(nothing was written); 130 interrupted."""


def register(subparsers: argparse._SubParsersAction[Any], parents: list[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "wave",
        parents=parents,
        help="roll one app's revision out ring by ring across clusters, with bake time",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "app", metavar="APP", help="the rollout name (or --app-label value), in every namespace unless -n"
    )
    parser.add_argument("--rings", metavar="RINGS", help="the rings, in order (see below)")
    parser.add_argument(
        "--bake",
        type=parse_duration_arg,
        default=None,
        help="how long each ring must stay Healthy before the next starts (default: the config "
        "file's ring-bake, else 10m)",
    )
    parser.add_argument(
        "--image",
        metavar="[CONTAINER=]IMAGE",
        help="the new revision (default: what ring 0 runs); no CONTAINER: the rollout's only container",
    )
    parser.add_argument(
        "--app-label",
        metavar="KEY",
        default="",
        help="group rollouts into apps by this label's value (e.g. app.kubernetes.io/name), not by name",
    )
    parser.add_argument("--abort-on-failure", action="store_true", help="also abort the failing ring")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and write nothing")
    parser.add_argument("-y", "--yes", action="store_true", help="accept the plan without asking")
    parser.add_argument("-o", "--output", choices=("text", "json"), default="text", help="text or json lines")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return run_wave(args, SystemClock())


def ring_config(args: argparse.Namespace, settings: Any) -> Any:
    """--rings, else one ring per --context, else the config file's rings."""
    from rollout_tui.model.ring_config import RingError, choose_rings

    file = settings.rings_document()
    if not args.rings and not args.context and not file["rings"]:
        raise CommandError(
            "name the rings: --rings east,west,... (or one --context per ring, or rings: in the config file)",
            2,
        )
    contexts = list(dict.fromkeys(args.context or []))
    try:
        return choose_rings(
            contexts,
            flag=args.rings,
            bake=args.bake,
            app_label=args.app_label,
            file=file,
            contexts_named=bool(contexts),
        )
    except RingError as exc:
        where = "--rings" if args.rings else settings.where("rings")
        raise CommandError(f"{where}: {exc}" if where != "--rings" else str(exc), 2) from None


def run_wave(
    args: argparse.Namespace,
    clock: Clock,
    *,
    poll: float = 1.0,
    out: IO[str] | None = None,
    ask: Callable[[str], bool] | None = None,
    sync_timeout: float = 30.0,
) -> int:
    """The command, with its clock and prompt injectable (tests run it on simulated time)."""
    from rollout_tui.kube.config import prepare
    from rollout_tui.kube.fleet import Fleet

    if args.filename:
        raise CommandError("a wave works on clusters, not on files (-f)", 2)
    from rollout_tui.commands._settings import settings_for

    out = out or sys.stdout
    settings = settings_for(args)
    config = ring_config(args, settings)
    with cluster_errors():
        contexts = prepare(args.kubeconfig, list(config.contexts))
    namespace = args.namespace if not args.all_namespaces else None
    guarded = [c.name for c in contexts if settings.context_read_only(c.name)]  # the config's read-only
    fleet = Fleet(contexts, namespaces=[namespace] if namespace else None, read_only_contexts=guarded)
    fleet.start()
    try:
        return _plan_and_run(args, fleet, config, clock, poll, out, ask or _ask_terminal, sync_timeout)
    finally:
        fleet.stop()


def _plan_and_run(
    args: argparse.Namespace,
    fleet: Any,
    config: Any,
    clock: Clock,
    poll: float,
    out: IO[str],
    ask: Callable[[str], bool],
    sync_timeout: float,
) -> int:
    from rollout_tui.kube.ring_reads import stale_contexts

    if not fleet.wait_synced(sync_timeout):
        stale = "; ".join(f"{c} {why}" for c, why in stale_contexts(fleet).items())
        raise CommandError(f"cannot see every ring's cluster: {stale or 'still syncing'}", 2)
    plan = _plan(args, fleet, config, clock)
    _print(out, args, plan_lines=plan)
    if not plan.ok:
        raise CommandError(f"the wave cannot start ({len(plan.refusals)} refusal(s)); nothing was written", 2)
    if args.dry_run:
        print("dry run: nothing was written", file=sys.stderr if args.output == "json" else out, flush=True)
        return 0
    if not args.yes and not ask(f"Start wave {plan.wave_id} ({len(plan.writes)} writes)? [y/N] "):
        raise CommandError("not started; nothing was written", 1)
    return _run(args, fleet, plan, clock, poll, out)


def _plan(args: argparse.Namespace, fleet: Any, config: Any, clock: Clock) -> Any:
    from rollout_tui.kube.ring_reads import access_refusals, app_members, read_only_contexts, stale_contexts
    from rollout_tui.kube.wave import new_wave_id
    from rollout_tui.model.rings import image_target, lead_target
    from rollout_tui.model.wave_plan import plan_wave

    now = clock.now()
    namespace = args.namespace if not args.all_namespaces else None
    members = app_members(fleet, config, args.app, now, namespace)
    if not members:
        where = ", ".join(config.contexts)
        raise CommandError(f"no rollout of app {args.app!r} in the rings' clusters ({where})", 2)
    target = image_target(args.image) if args.image else lead_target(members, config)
    if isinstance(target, str):
        raise CommandError(target, 2)
    plan = plan_wave(
        new_wave_id(),
        args.app,
        members,
        config,
        target,
        now=now,
        abort_on_failure=args.abort_on_failure,
        stale=stale_contexts(fleet),
        read_only=read_only_contexts(fleet),
    )
    return plan.refuse(access_refusals(plan, fleet))


def _run(args: argparse.Namespace, fleet: Any, plan: Any, clock: Clock, poll: float, out: IO[str]) -> int:
    from rollout_tui.kube.wave import WaveRunner

    runner = WaveRunner(fleet, plan, clock, lambda t: _print(out, args, transition=t), poll=poll)
    worker = threading.Thread(target=runner.run, name="rollout-tui-wave", daemon=True)
    worker.start()
    interrupted = False
    while worker.is_alive():
        try:
            worker.join(0.2)
        except KeyboardInterrupt:  # writes in flight finish; nothing more is sent
            interrupted = True
            runner.stop("interrupted (Ctrl-C)")
    if interrupted and not runner.wave.succeeded:
        return 130
    return 0 if runner.wave.succeeded else 1


def _print(out: IO[str], args: argparse.Namespace, plan_lines: Any = None, transition: Any = None) -> None:
    from rollout_tui.render.waves import plan_json, plan_text, transition_json, transition_line

    if args.output == "json":
        doc = plan_json(plan_lines) if plan_lines is not None else transition_json(transition)
        print(json.dumps(doc, sort_keys=True), file=out, flush=True)
    else:
        print(
            plan_text(plan_lines) if plan_lines is not None else transition_line(transition),
            file=out,
            flush=True,
        )


def _ask_terminal(question: str) -> bool:
    if not sys.stdin.isatty():
        raise CommandError("the plan needs a yes: run on a terminal, or pass --yes to accept it", 2)
    print(question, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")
