"""Command-line entry point.

Global flags (``--kubeconfig``, ``--context``, ``-n``, ``-A`` ...) are accepted anywhere on the
line, as kubectl accepts them: they are declared on the top-level parser and on every subparser,
with ``SUPPRESS`` defaults so a later parser never overwrites a value an earlier one parsed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from rollout_tui import __version__
from rollout_tui.commands import CommandError, PluginError
from rollout_tui.commands.aliases import apply_aliases
from rollout_tui.commands.kubectl_flags import KUBECTL_DEFAULTS, add_kubectl_flags, apply_kubectl_flags

# Modules under rollout_tui.commands that register subcommands, in help order.
COMMAND_MODULES = (
    "get",
    "list",
    "status",
    "actions",
    "create",
    "lint",
    "version",
    "completion",
    "sim",
    "tui",
)

GLOBAL_DEFAULTS: dict[str, object] = {
    "kubeconfig": None,
    "context": [],
    "all_contexts": False,
    "namespace": None,
    "all_namespaces": False,
    "no_color": False,
    "filename": None,
    **KUBECTL_DEFAULTS,
}


def global_flags(filename: bool = True) -> argparse.ArgumentParser:
    """Flags every subcommand accepts, before or after the subcommand name (``filename``: with
    the single ``-f``; ``create`` declares its own repeatable one)."""
    flags = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    flags.add_argument(
        "--kubeconfig", help="path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)"
    )
    flags.add_argument(
        "--context", action="append", help="kubeconfig context to use; repeat for several clusters"
    )
    flags.add_argument("--all-contexts", action="store_true", help="use every context in the kubeconfig")
    flags.add_argument("-n", "--namespace", help="namespace (default: the context's namespace)")
    flags.add_argument("-A", "--all-namespaces", action="store_true", help="all namespaces")
    flags.add_argument("--no-color", action="store_true", help="no colour in the output (also: NO_COLOR)")
    if filename:
        flags.add_argument(
            "-f", "--filename", help="read objects from a YAML/JSON file or directory instead of a cluster"
        )
    add_kubectl_flags(flags)
    return flags


def build_parser() -> argparse.ArgumentParser:
    parents = [global_flags()]
    parser = argparse.ArgumentParser(
        prog="rollout-tui",
        description="Watch and drive Argo Rollouts. Without a subcommand, opens the terminal UI.",
        parents=parents,
    )
    parser.add_argument("--version", action="version", version=f"rollout-tui {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"rollout_tui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"rollout_tui.commands.{name}":
                continue  # a subcommand not built yet
            raise
        register = module.register
        if name == "tui":
            module.add_ui_flags(parser)
        register(subparsers, parents)
    apply_aliases(parser)
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    for key, value in GLOBAL_DEFAULTS.items():
        if not hasattr(args, key):
            setattr(args, key, list(value) if isinstance(value, list) else value)
    if os.environ.get("NO_COLOR"):
        args.no_color = True
    return args


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["__complete"]:  # shell completion: partial lines, never argparse errors
        from rollout_tui.commands import complete

        return complete.run(words[1:])
    try:
        args = parse(argv)
        func = getattr(args, "func", None)
        if func is None:
            from rollout_tui.commands import tui

            func = tui.run
        apply_kubectl_flags(args, ui=getattr(func, "__module__", "") == "rollout_tui.commands.tui")
        return int(func(args) or 0)
    except PluginError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 141
    except Exception as exc:  # last line of defence: one line, never a traceback at an operator
        if os.environ.get("ROLLOUT_TUI_DEBUG"):
            raise
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (set ROLLOUT_TUI_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1


def kubectl_complete() -> int:
    """``kubectl_complete-rollout_tui ARGS...``: kubectl's plugin completion hands over the words
    after the plugin's name, to be answered as ``__complete`` answers them."""
    return main(["__complete", *sys.argv[1:]])
