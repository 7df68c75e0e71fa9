"""`rollout-tui get rollout|experiment NAME`: the plugin's `get` output.

Where objects come from is decided in one place, `objects_for(args)`, which returns an
ObjectSet; everything after it (model, renderer) is source-independent: `-f PATH` (a dump, a
support bundle, examples) or the live cluster (`commands/_live.py`, only what the command shows);
`-w` redraws from scoped watches (`commands/_watch.py`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from rollout_tui.commands import CommandError
from rollout_tui.commands._command import Command, Flag
from rollout_tui.commands.terminal import OUTPUT_FORMATS, clock_for, icons_for, report_warnings, use_color
from rollout_tui.render.safe import clean

RESOURCE_NAMES = {"Rollout": "rollout.argoproj.io", "Experiment": "experiment.argoproj.io"}

OUTPUT_FLAGS = (  # get's and list's
    Flag(
        "-o",
        "--output",
        choices=OUTPUT_FORMATS,
        default=None,
        help="print the machine-readable view instead of the plugin's text (schema: README, -o json)",
    ),
    # SUPPRESS: `rollout-tui --ascii get ...` (the UI's top-level flag) must not be reset here.
    Flag(
        "--ascii",
        action="store_true",
        default=argparse.SUPPRESS,
        help="ASCII glyphs instead of the plugin's Unicode icons",
    ),
    Flag(
        "--now",
        metavar="TIME",
        default=None,
        help="compute ages as of this RFC 3339 time (e.g. when a dump was taken); default: the current time",
    ),
)


# --- object source -------------------------------------------------------------------------


def objects_for(args: argparse.Namespace):  # -> ObjectSet
    """The objects the command works on. Extension point for other sources (live cluster)."""
    if getattr(args, "filename", None):
        from rollout_tui.manifests import ManifestError, load_objects

        try:
            return load_objects(args.filename)
        except ManifestError as exc:
            raise CommandError(clean(str(exc))) from None
    from rollout_tui.commands._live import live_objects  # kube: the live-cluster source

    return live_objects(args)


def find_one(objects, kind: str, name: str, namespace: str | None, source: str) -> dict:
    """The named object, or a CommandError that says why not (absent, or ambiguous without -n)."""
    resource = RESOURCE_NAMES.get(kind, kind.lower())
    if namespace:
        found = objects.get(kind, namespace, name)
        if found is None:
            raise CommandError(f'{resource} "{name}" not found in namespace "{namespace}"{source}')
        return found
    matches = objects.find(kind, name)
    if not matches:
        if not objects.of_kind(kind):
            raise CommandError(f"no {kind} objects{source}")
        raise CommandError(f'{resource} "{name}" not found{source}')
    if len(matches) > 1:
        namespaces = ", ".join(
            sorted({clean(str((m.get("metadata") or {}).get("namespace", ""))) for m in matches})
        )
        raise CommandError(
            f'{resource} "{name}" exists in several namespaces ({namespaces}): choose one with -n'
        )
    return matches[0]


def _source_label(args: argparse.Namespace) -> str:
    return f" in {args.filename}" if getattr(args, "filename", None) else ""


def context_of(args: argparse.Namespace) -> str | None:
    """The kubeconfig context the objects were read from (None for files): part of the -o view."""
    return getattr(args, "connected_context", None)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


# --- commands ------------------------------------------------------------------------------


def _show_one(args: argparse.Namespace, kind: str, show: Callable[[dict, Any], list[str]]) -> int:
    """`get KIND NAME` without -w: find the object, let `show` write it, then the warnings of both."""
    objects = objects_for(args)
    found = find_one(objects, kind, args.name, args.namespace, _source_label(args))
    report_warnings([*objects.warnings, *show(found, objects)])
    return 0


def run_get_rollout(args: argparse.Namespace) -> int:
    if getattr(args, "watch", False):
        from rollout_tui.commands._watch import watch_rollout  # kube: live -w

        return watch_rollout(args)

    def show(rollout: dict, objects: Any) -> list[str]:
        from rollout_tui.model.rollout import rollout_info
        from rollout_tui.render.get import render_rollout

        info = rollout_info(rollout, objects)
        now = clock_for(args).now()
        if args.output:
            from rollout_tui.model.attention import attention
            from rollout_tui.render.json_view import encode, rollout_detail

            _write(encode(rollout_detail(info, attention(info.state, now), context_of(args)), args.output))
        else:
            _write(render_rollout(info, now, color=use_color(args), glyphs=icons_for(args)))
        return list(info.warnings)

    return _show_one(args, "Rollout", show)


def run_get_experiment(args: argparse.Namespace) -> int:
    if getattr(args, "watch", False):
        from rollout_tui.commands._watch import watch_experiment  # kube: live -w

        return watch_experiment(args)

    def show(experiment: dict, objects: Any) -> list[str]:
        from rollout_tui.model.experiments import experiment_info
        from rollout_tui.render.get import render_experiment

        info = experiment_info(experiment, objects)
        if args.output:
            from rollout_tui.render.json_view import encode, experiment_detail

            _write(encode(experiment_detail(info, context_of(args)), args.output))
        else:
            _write(
                render_experiment(info, clock_for(args).now(), color=use_color(args), glyphs=icons_for(args))
            )
        return list(info.warnings)

    return _show_one(args, "Experiment", show)


COMMAND = Command(
    "get",
    help="show a rollout or experiment and its tree (like kubectl argo rollouts get)",
    description="Show a rollout or experiment as `kubectl argo rollouts get` does.",
    dest="get_kind",
    metavar="KIND",
    choose="choose what to get: rollout NAME or experiment NAME",
    subcommands=(
        Command(
            "rollout",
            help="details and revision tree of a rollout",
            flags=(
                Flag("name", metavar="ROLLOUT_NAME"),
                Flag(
                    "-w",
                    "--watch",
                    action="store_true",
                    help="watch live updates to the rollout (redraws in place when it changes)",
                ),
                Flag(
                    "--timeout-seconds",
                    type=int,
                    default=0,
                    metavar="N",
                    help="with -w: stop watching after N seconds",
                ),
                *OUTPUT_FLAGS,
            ),
            run=run_get_rollout,
        ),
        Command(
            "experiment",
            help="details and tree of an experiment",
            flags=(
                Flag("name", metavar="EXPERIMENT_NAME"),
                Flag(
                    "-w",
                    "--watch",
                    action="store_true",
                    help="watch live updates to the experiment (redraws in place)",
                ),
                *OUTPUT_FLAGS,
            ),
            run=run_get_experiment,
        ),
    ),
)
