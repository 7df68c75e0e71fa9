"""The terminal UI: `rollout-tui [--demo] [--read-only] [--wall] ...` (no subcommand) or `rollout-tui tui`.

Textual and the kubernetes client are imported inside ``run`` so other subcommands stay fast.
"""

from __future__ import annotations

import argparse

UI_FLAGS: tuple[tuple[tuple[str, ...], dict], ...] = (
    (
        ("--demo",),
        {
            "action": "store_true",
            "help": "start three simulated clusters (east, west, north) in-process and open the UI on them",
        },
    ),
    (
        ("--read-only",),
        {
            "action": "store_true",
            "dest": "read_only",
            "help": "no actions at all: the client has no write path",
        },
    ),
    (
        ("--wall",),
        {
            "action": "store_true",
            "help": "wall-monitor mode: read-only, no input needed, cycles through rollouts needing attention",
        },
    ),
    (
        ("--rings",),
        {
            "nargs": "?",
            "const": "",
            "metavar": "RINGS",
            "help": "open the rings view at start; RINGS: the rings in order, e.g. east,west,north+south "
            "(default: one ring per --context, in order)",
        },
    ),
    (
        ("--bake",),
        {
            "metavar": "DURATION",
            "help": "each ring's bake time in the rings view and its waves (default 10m)",
        },
    ),
    (("--ascii",), {"action": "store_true", "help": "ASCII glyphs for terminals without Unicode"}),
    (
        ("--notify",),
        {
            "action": "store_true",
            "help": "desktop notification escape sequences (OSC 777/9) when a rollout needs attention",
        },
    ),
    (
        ("--serve",),
        {
            "metavar": "HOST:PORT",
            "help": "serve the wall to web browsers (each visit gets its own read-only --wall session)",
        },
    ),
    (
        ("--serve-public",),
        {
            "action": "store_true",
            "dest": "serve_public",
            "help": "allow --serve on an address beyond loopback (the page has no authentication)",
        },
    ),
    (
        ("--theme",),
        {
            "metavar": "NAME",
            "help": "Textual theme (default: ansi-dark on 16-colour terminals, else textual-dark)",
        },
    ),
)


def _add(parser: argparse.ArgumentParser, suppress: bool) -> None:
    for names, options in UI_FLAGS:
        kwargs = dict(options)
        if suppress:
            kwargs["default"] = argparse.SUPPRESS
        parser.add_argument(*names, **kwargs)


def add_ui_flags(parser: argparse.ArgumentParser, suppress: bool = False) -> None:
    """Flags on the top-level parser (`rollout-tui --demo`); ``suppress`` on a subcommand's, so a
    value given before the subcommand is not reset (`config show` shows their effect)."""
    _add(parser, suppress=suppress)


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("tui", parents=parents, help="open the terminal UI (the default)")
    _add(parser, suppress=True)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rollout_tui.commands import CommandError
    from rollout_tui.commands._settings import checked_settings
    from rollout_tui.ui.launch import LaunchError, launch

    settings = checked_settings(args)  # a bad config file stops here, before anything connects
    try:
        return launch(args, settings)
    except LaunchError as exc:
        raise CommandError(str(exc)) from None
