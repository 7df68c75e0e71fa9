"""``list rollouts [-w] [--name N] [--timestamps]`` and ``list experiments``: the plugin's tables
(pkg/kubectl-argo-rollouts/cmd/list/), from the same object source as ``get``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rollout_tui.commands import CommandError
from rollout_tui.commands._command import Command, Flag
from rollout_tui.commands.get import OUTPUT_FLAGS, context_of, objects_for
from rollout_tui.commands.terminal import clock_for, report_warnings


def run_list_rollouts(args: argparse.Namespace) -> int:
    from rollout_tui.model.state import rollout_state
    from rollout_tui.model.validate import object_warnings
    from rollout_tui.render.list import NO_RESOURCES, render_rollouts

    if args.watch:
        if args.filename:
            raise CommandError("-w watches a cluster; it cannot be used with -f")
        from rollout_tui.commands.list_watch import watch_rollouts

        return watch_rollouts(args)
    objects = objects_for(args)
    everything = objects.of_kind("Rollout")
    if not everything and getattr(args, "filename", None):
        raise CommandError(f"no Rollout objects in {args.filename}")
    namespace = args.namespace if not args.all_namespaces else None
    rollouts = objects.of_kind("Rollout", namespace)
    if args.name:
        rollouts = [r for r in rollouts if (r.get("metadata") or {}).get("name") == args.name]
    clock = clock_for(args)
    states = sorted((rollout_state(r) for r in rollouts), key=lambda s: (s.namespace, s.name))
    # A dump read without -n/-A may span namespaces: show the column the plugin shows with -A.
    all_namespaces = args.all_namespaces or (not args.namespace and len({s.namespace for s in states}) > 1)
    timestamp = clock.now().strftime("%Y-%m-%dT%H:%M:%SZ") if args.timestamps else None
    if args.output:
        from rollout_tui.model.attention import attention
        from rollout_tui.render.json_view import encode, rollout_list, rollout_summary

        now, context = clock.now(), context_of(args)
        items = (rollout_summary(s, attention(s, now), context) for s in states)
        sys.stdout.write(encode(rollout_list(items), args.output))
    elif not states:
        where = f' in namespace "{args.namespace}"' if args.namespace and not args.all_namespaces else ""
        print(f"{NO_RESOURCES[:-1]}{where}.", file=sys.stderr)
        return 0
    else:
        sys.stdout.write(render_rollouts(states, all_namespaces=all_namespaces, timestamp=timestamp))
    sys.stdout.flush()
    report_warnings([*objects.warnings, *(w for r in rollouts for w in object_warnings(r, "Rollout"))])
    return 0


def run_list_experiments(args: argparse.Namespace) -> int:
    from rollout_tui.model.experiment_row import experiment_row
    from rollout_tui.render.list import NO_RESOURCES, render_experiments

    objects = objects_for(args)
    namespace = args.namespace if not args.all_namespaces else None
    if getattr(args, "filename", None) and not args.namespace:
        namespace = None  # a file has no current namespace
    clock = clock_for(args)
    experiments = sorted(objects.of_kind("Experiment", namespace), key=_namespace_name)
    if args.output:
        sys.stdout.write(_experiments_document(experiments, objects, clock, context_of(args), args.output))
        sys.stdout.flush()
        report_warnings(objects.warnings)
        return 0
    rows = [experiment_row(e, clock) for e in experiments]
    if not rows:
        print(NO_RESOURCES, file=sys.stderr)  # list_experiments.go: fmt.Fprintln(o.ErrOut, ...)
        return 0
    all_namespaces = args.all_namespaces or len({r.namespace for r in rows}) > 1
    sys.stdout.write(render_experiments(rows, all_namespaces))
    sys.stdout.flush()
    report_warnings(objects.warnings)
    return 0


def _namespace_name(obj: dict) -> tuple[str, str]:
    """The API lists by namespace, then name; a file keeps its own order, sorted the same way here."""
    from rollout_tui.model.objects import key_of

    return key_of(obj)[1:]


def _experiments_document(
    experiments: list[dict], objects: Any, clock: Any, context: str | None, output: str
) -> str:
    from rollout_tui.model.experiment_row import experiment_row
    from rollout_tui.model.experiments import experiment_info
    from rollout_tui.render.json_view import encode, experiment_list, experiment_summary

    items = []
    for experiment in experiments:
        row = experiment_row(experiment, clock)
        seconds = None if row.spec_duration is None else row.spec_duration.total_seconds()
        items.append(experiment_summary(experiment_info(experiment, objects), seconds, row.ends_at, context))
    return encode(experiment_list(items), output)


COMMAND = Command(
    "list",
    help="list rollouts or experiments (like kubectl argo rollouts list)",
    dest="list_kind",
    metavar="KIND",
    choose="choose what to list: rollouts or experiments",
    subcommands=(
        Command(
            "rollouts",
            help="list rollouts",
            flags=(
                Flag("--name", default=None, help="only show the rollout with this name"),
                Flag("--timestamps", action="store_true", help="print timestamps on updates"),
                Flag(
                    "-w",
                    "--watch",
                    action="store_true",
                    help="watch for changes: print a row whenever one changes",
                ),
                *OUTPUT_FLAGS,
            ),
            run=run_list_rollouts,
            defaults={"list_what": "rollouts"},
        ),
        Command(
            "experiments",
            help="list experiments",
            flags=OUTPUT_FLAGS,
            run=run_list_experiments,
            defaults={"list_what": "experiments"},
        ),
    ),
)
