"""Shared plumbing for the live-cluster subcommands: flags -> one context, errors -> one line."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from rollout_tui.commands import CommandError, PluginError


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


@contextlib.contextmanager
def plugin_errors() -> Iterator[None]:
    """As ``cluster_errors``, worded as the plugin prints them: ``Error: <message>``."""
    try:
        with cluster_errors():
            yield
    except PluginError:
        raise
    except CommandError as exc:
        raise PluginError(str(exc), exc.exit_code) from None


def connect(args: argparse.Namespace, read_only: bool = False) -> tuple[Any, str]:
    """(context, namespace) for a single-context command. A command that writes (``read_only``
    False) obeys the config file's read-only policy: that context's client is made unable to
    write, and the command stops with the reason before sending anything."""
    from rollout_tui.kube.live import connect as live_connect
    from rollout_tui.kube.live import namespace_for

    context = live_connect(args.kubeconfig, list(args.context or []), bool(args.all_contexts), read_only)
    if not read_only:
        from rollout_tui.commands._settings import settings_for
        from rollout_tui.kube.readonly import make_context_read_only

        reason = settings_for(args).read_only_reason(context.name)
        if reason:
            make_context_read_only(context)
            raise CommandError(f"context {context.name!r} is read-only ({reason}); nothing was sent")
    return context, namespace_for(context, args.namespace)


# --- live source for get/list (called from commands/get.py's objects_for) --------------------

EXPERIMENT_ALIASES = ("experiment", "exp", "experiments")


def live_objects(args: argparse.Namespace) -> Any:
    """The ObjectSet ``get``/``list`` work on, read from the cluster: only what the command shows."""
    from rollout_tui.kube import live
    from rollout_tui.kube.resources import EXPERIMENT

    with cluster_errors():
        context, namespace = connect(args, read_only=True)
        args.connected_context = context.name  # the -o view names where its facts come from
        if getattr(args, "list_what", None) == "experiments":
            objects = live.list_objects(context, EXPERIMENT, None if args.all_namespaces else namespace)
        elif getattr(args, "list_kind", None):
            objects = live.list_rollouts(context, None if args.all_namespaces else namespace)
        elif getattr(args, "get_kind", None) in EXPERIMENT_ALIASES:
            objects = live.experiment_objects(context, namespace, args.name)
        else:
            objects = live.rollout_objects(context, namespace, args.name)
    return live.as_object_set(objects)
