"""The action subcommands, generated from the action registry (`model.actions`):

  promote NAME [--full]        abort NAME             retry rollout|ro NAME   retry experiment|exp NAME
  pause NAME                   resume NAME            restart NAME [--in D]   undo NAME [--to-revision N]
  set image NAME CONTAINER=IMAGE                      terminate analysisrun|ar NAME   terminate experiment|exp NAME

Each runs through `kube.actions.Actions.run`: the plugin's exact requests and messages, guarded
against a rollout that changed between our read and our write, audited, never retried after a
network error. `resume` is rollout-tui's own (the plugin resumes with promote, which also moves
the step on).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from rollout_tui.commands import CommandError
from rollout_tui.commands._live import cluster_errors, connect, parse_duration_arg
from rollout_tui.model.actions import ACTIONS, ActionArgs, ActionSpec
from rollout_tui.model.actions.spec import Command, Param

# The command groups whose leaves are actions (cobra's parent commands in cmd/retry, cmd/set, cmd/terminate).
GROUPS = {
    "retry": ("Retry a rollout or experiment", "<rollout|experiment>"),
    "set": ("Update various values on resources", "image"),
    "terminate": ("Terminate an AnalysisRun or Experiment", "<analysisrun|experiment>"),
}


def register(subparsers: argparse._SubParsersAction[Any], parents: list[argparse.ArgumentParser]) -> None:
    leaves: dict[tuple[str, ...], list[ActionSpec]] = {}
    for spec in ACTIONS:
        if spec.command is not None:
            leaves.setdefault(spec.command.path, []).append(spec)
    groups: dict[str, argparse._SubParsersAction[Any]] = {}
    for path, specs in leaves.items():
        if len(path) == 1:
            _leaf(subparsers, path[0], specs, parents)
            continue
        if path[0] not in groups:
            help_text, metavar = GROUPS[path[0]]
            group = subparsers.add_parser(path[0], parents=parents, help=help_text, description=help_text)
            groups[path[0]] = group.add_subparsers(dest=f"{path[0]}_kind", metavar=metavar, required=True)
        _leaf(groups[path[0]], path[1], specs, parents)


def _leaf(
    subparsers: argparse._SubParsersAction[Any],
    word: str,
    specs: list[ActionSpec],
    parents: list[argparse.ArgumentParser],
) -> None:
    main = next((s for s in specs if s.command is not None and not s.command.switch), specs[0])
    command = main.command
    assert command is not None
    parser = subparsers.add_parser(
        word,
        aliases=list(command.aliases),
        parents=parents,
        help=command.help,
        description=command.description or command.help,
    )
    parser.add_argument("name", metavar=command.metavar)
    params: dict[str, Param] = {}
    for spec in specs:
        assert spec.command is not None
        if spec.command.switch:
            parser.add_argument(
                spec.command.switch,
                action="store_true",
                dest=_switch_dest(spec.command),
                help=spec.command.help,
            )
        for param in spec.command.params:
            params.setdefault(param.dest, param)
    for param in params.values():
        _add_param(parser, param)
    parser.set_defaults(func=lambda args: run(args, specs))


def _switch_dest(command: Command) -> str:
    return "switch_" + command.switch.lstrip("-").replace("-", "_")


def _add_param(parser: argparse.ArgumentParser, param: Param) -> None:
    if param.kind == "assignment":
        parser.add_argument("assignment", metavar="CONTAINER=IMAGE", help=param.help)
    elif param.kind == "int":
        parser.add_argument(*param.flags, dest=param.dest, type=int, default=param.default, help=param.help)
    else:
        parser.add_argument(*param.flags, dest=param.dest, default=param.default, help=param.help)


def _chosen(args: argparse.Namespace, specs: Sequence[ActionSpec]) -> ActionSpec:
    for spec in specs:
        if (
            spec.command is not None
            and spec.command.switch
            and getattr(args, _switch_dest(spec.command), False)
        ):
            return spec
    return next(s for s in specs if s.command is not None and not s.command.switch)


def action_args(args: argparse.Namespace, spec: ActionSpec) -> ActionArgs:
    """The operator's additions from the command line, checked as the plugin checks them."""
    values: dict[str, Any] = {}
    params = spec.command.params if spec.command is not None else ()
    for param in params:
        if param.kind == "int":
            value = getattr(args, param.dest)
            if value < 0:
                raise CommandError(f"{param.flags[0]} must be 0 or a positive revision number")
            values[param.dest] = value
        elif param.kind == "duration" and getattr(args, param.dest):
            text = getattr(args, param.dest)
            try:
                values["delay"], values["delay_text"] = parse_duration_arg(text), text
            except argparse.ArgumentTypeError as exc:
                raise CommandError(f"{param.flags[-1]}: {exc}") from None
        elif param.kind == "assignment":
            container, sep, image = args.assignment.partition("=")
            if not sep or not container or not image or "=" in image:
                raise CommandError("expected CONTAINER=IMAGE, e.g. set image my-rollout app=registry/app:v2")
            values["container"], values["image"] = container, image
    values.setdefault("delay", timedelta(0))
    return ActionArgs(**values)


def run(args: argparse.Namespace, specs: Sequence[ActionSpec]) -> int:
    if args.filename:
        raise CommandError("actions work on a cluster, not on files (-f)")
    from rollout_tui.kube.actions import Actions
    from rollout_tui.kube.audit import AuditLog

    spec = _chosen(args, specs)
    extra = action_args(args, spec)
    with cluster_errors():
        context, namespace = connect(args)
        result = Actions(context, audit=AuditLog()).run(spec, namespace, args.name, None, extra)
    if result.ok:
        print(result.message, flush=True)
        return 0
    raise CommandError(result.message)
