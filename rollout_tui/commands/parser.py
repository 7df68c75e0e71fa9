"""The command-line parser: every subcommand, and the global flags.

Global flags (``--kubeconfig``, ``--context``, ``-n``, ``-A`` ...) are accepted anywhere on the
line, as kubectl accepts them: they are declared on the top-level parser and on every subparser,
with ``SUPPRESS`` defaults so a later parser never overwrites a value an earlier one parsed.
"""

from __future__ import annotations

import argparse
import importlib

from rollout_tui import __version__
from rollout_tui.commands.aliases import apply_aliases
from rollout_tui.commands.kubectl_flags import KUBECTL_DEFAULTS, add_kubectl_flags

# Modules under rollout_tui.commands that declare a ``COMMAND`` (commands/_command.py), or
# register(subparsers, parents) the ones that are not one parser each; in help order.
COMMAND_MODULES = (
    "get",
    "list",
    "status",
    "actions",
    "wave",
    "create",
    "lint",
    "version",
    "completion",
    "config",
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
    "config": None,
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
    flags.add_argument(
        "--config",
        metavar="PATH",
        help="rollout-tui's config file (default: $XDG_CONFIG_HOME/rollout-tui/config.yaml)",
    )
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
        module = importlib.import_module(f"rollout_tui.commands.{name}")
        if name == "tui":
            module.add_ui_flags(parser)
        command = getattr(module, "COMMAND", None)
        if command is None:
            module.register(subparsers, parents)
        else:
            command.add(subparsers, parents)
    apply_aliases(parser)
    return parser
