"""Action subcommands in the plugin's forms and with its messages:

  promote NAME [--full]        abort NAME             retry rollout NAME    retry experiment NAME
  pause NAME                   restart NAME [--in D]  undo NAME [--to-revision N]
  set image NAME CONTAINER=IMAGE

All go through ``kube.actions.Actions``: the plugin's exact patches, atomically guarded against a
rollout that changed between our read and our write, audited, never retried after a network error.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from rollout_tui.commands import CommandError
from rollout_tui.commands._live import cluster_errors, connect, parse_duration_arg


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    promote = subparsers.add_parser(
        "promote",
        parents=parents,
        help="promote a rollout",
        description="Promotes a rollout paused at a canary step, or a paused "
        "blue-green pre-promotion. To skip analysis, pauses and steps "
        "entirely, use '--full' to fully promote the rollout",
    )
    promote.add_argument("name", metavar="ROLLOUT_NAME")
    promote.add_argument(
        "--full", action="store_true", help="perform a full promotion, skipping analysis, pauses, and steps"
    )
    promote.set_defaults(func=run_promote)

    abort = subparsers.add_parser(
        "abort",
        parents=parents,
        help="abort a rollout",
        description="This command stops progressing the current rollout and reverts "
        "all steps. The previous ReplicaSet will be active.",
    )
    abort.add_argument("name", metavar="ROLLOUT_NAME")
    abort.set_defaults(func=lambda args: _simple(args, "abort"))

    retry = subparsers.add_parser(
        "retry", parents=parents, help="retry an aborted rollout or a failed experiment"
    )
    retry_sub = retry.add_subparsers(dest="retry_kind", metavar="<rollout|experiment>", required=True)
    retry_rollout = retry_sub.add_parser("rollout", parents=parents, help="retry an aborted rollout")
    retry_rollout.add_argument("name", metavar="ROLLOUT_NAME")
    retry_rollout.set_defaults(func=lambda args: _simple(args, "retry"))
    retry_experiment = retry_sub.add_parser("experiment", parents=parents, help="retry an experiment")
    retry_experiment.add_argument("name", metavar="EXPERIMENT_NAME")
    retry_experiment.set_defaults(func=run_retry_experiment)

    pause = subparsers.add_parser("pause", parents=parents, help="pause a rollout")
    pause.add_argument("name", metavar="ROLLOUT_NAME")
    pause.set_defaults(func=lambda args: _simple(args, "pause"))

    restart = subparsers.add_parser("restart", parents=parents, help="restart the pods of a rollout")
    restart.add_argument("name", metavar="ROLLOUT")
    restart.add_argument(
        "-i",
        "--in",
        dest="restart_in",
        default=None,
        help="amount of time before a restart (e.g. 30s, 5m, 1h)",
    )
    restart.set_defaults(func=run_restart)

    undo = subparsers.add_parser(
        "undo",
        parents=parents,
        help="undo a rollout (roll back to a revision)",
        description="Rollback to the previous rollout.",
    )
    undo.add_argument("name", metavar="ROLLOUT_NAME")
    undo.add_argument(
        "--to-revision",
        type=int,
        default=0,
        help="the revision to rollback to (default 0: the previous revision)",
    )
    undo.set_defaults(func=run_undo)

    set_parser = subparsers.add_parser("set", parents=parents, help="update a rollout's fields")
    set_sub = set_parser.add_subparsers(dest="set_kind", metavar="image", required=True)
    image = set_sub.add_parser("image", parents=parents, help="update the image of a rollout")
    image.add_argument("name", metavar="ROLLOUT_NAME")
    image.add_argument("assignment", metavar="CONTAINER=IMAGE", help="container name ('*' for all) = image")
    image.set_defaults(func=run_set_image)


def _actions(args: argparse.Namespace) -> tuple[Any, str]:
    if args.filename:
        raise CommandError("actions work on a cluster, not on files (-f)")
    from rollout_tui.kube.actions import Actions
    from rollout_tui.kube.audit import AuditLog

    context, namespace = connect(args)
    return Actions(context, audit=AuditLog()), namespace


def _report(result: Any) -> int:
    if result.ok:
        print(result.message, flush=True)
        return 0
    raise CommandError(result.message)


def _simple(args: argparse.Namespace, action: str) -> int:
    with cluster_errors():
        actions, namespace = _actions(args)
        return _report(getattr(actions, action)(namespace, args.name))


def run_promote(args: argparse.Namespace) -> int:
    with cluster_errors():
        actions, namespace = _actions(args)
        return _report(actions.promote(namespace, args.name, full=args.full))


def run_restart(args: argparse.Namespace) -> int:
    delay, text = timedelta(0), "0s"
    if args.restart_in:
        try:
            delay = parse_duration_arg(args.restart_in)
        except argparse.ArgumentTypeError as exc:
            raise CommandError(f"--in: {exc}") from None
        text = args.restart_in
    with cluster_errors():
        actions, namespace = _actions(args)
        return _report(actions.restart(namespace, args.name, delay=delay, delay_text=text))


def run_undo(args: argparse.Namespace) -> int:
    if args.to_revision < 0:
        raise CommandError("--to-revision must be 0 or a positive revision number")
    with cluster_errors():
        actions, namespace = _actions(args)
        return _report(actions.undo(namespace, args.name, to_revision=args.to_revision))


def run_set_image(args: argparse.Namespace) -> int:
    parts = args.assignment.split("=")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise CommandError("expected CONTAINER=IMAGE, e.g. set image my-rollout app=registry/app:v2")
    with cluster_errors():
        actions, namespace = _actions(args)
        return _report(actions.set_image(namespace, args.name, parts[0], parts[1]))


def run_retry_experiment(args: argparse.Namespace) -> int:
    with cluster_errors():
        actions, namespace = _actions(args)
        return _report(actions.retry_experiment(namespace, args.name))
