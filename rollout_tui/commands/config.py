"""``config show`` (the effective config: defaults + file + flags) and ``config path`` (where it
is read from). How commands get their settings: commands/_settings.py. The settings and YAML are
imported when the command runs: every command line builds this parser (completion included).
"""

from __future__ import annotations

import argparse
import functools
import sys
from typing import TYPE_CHECKING

from rollout_tui.commands._command import Command
from rollout_tui.commands.tui import add_ui_flags

if TYPE_CHECKING:
    from rollout_tui.settings import Settings


def config_path(args: argparse.Namespace) -> str:
    from rollout_tui.settings import default_path

    return str(getattr(args, "config", None) or default_path())


def run_show(args: argparse.Namespace) -> int:
    import yaml

    from rollout_tui.commands._settings import settings_for
    from rollout_tui.settings import document
    from rollout_tui.ui.settings_check import problems

    settings = settings_for(args)
    errors, warnings = problems(settings)  # what only the UI can judge: shown before a TUI starts
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    source = settings.path or f"{config_path(args)} (absent: defaults)"
    flags = f" < flags ({', '.join(settings.flags)})" if settings.flags else ""
    sys.stdout.write(f"# effective config: defaults < {source}{flags}\n")
    sys.stdout.write(yaml.safe_dump(document(settings), sort_keys=False, allow_unicode=False))
    sys.stdout.write(_contexts_comment(args, settings))
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


def _contexts_comment(args: argparse.Namespace, settings: Settings) -> str:
    """The policy each kubeconfig context gets, as YAML comments (the file's patterns resolved)."""
    from rollout_tui.kube.config import kubeconfig_names
    from rollout_tui.render.safe import clean

    names = kubeconfig_names(getattr(args, "kubeconfig", None), "contexts")
    if not names or not (settings.contexts or settings.read_only):
        return ""
    lines = ["# per kubeconfig context:"]
    for name in names:
        policy = settings.policy(name)
        parts = ["read-only" if settings.context_read_only(name) else "read-write"]
        if policy.label or policy.color:
            label = clean(policy.label or name, 40)
            parts.append(f"label {label}" + (f" ({clean(policy.color, 40)})" if policy.color else ""))
        parts.append(f"confirm {policy.confirm}")
        lines.append(f"#   {clean(name, 80)}: {', '.join(parts)}")
    return "\n".join(lines) + "\n"


def run_path(args: argparse.Namespace) -> int:
    from pathlib import Path

    path = config_path(args)
    print(path)
    if not Path(path).expanduser().exists():
        print("(no file there: the defaults apply)", file=sys.stderr)
    return 0


COMMAND = Command(
    "config",
    help="the config file: show the effective settings, or where it is read from",
    description="Show the effective config (defaults + config file + flags), or its path.",
    dest="config_what",
    metavar="show|path",
    choose="choose: config show or config path",
    subcommands=(
        Command(
            "show",
            help="print the effective config as YAML",
            # --theme, --read-only ... as the TUI would get them
            setup=functools.partial(add_ui_flags, suppress=True),
            run=run_show,
        ),
        Command("path", help="print the path the config is read from", run=run_path),
    ),
)
