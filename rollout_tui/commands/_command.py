"""A subcommand as data: its name, help, flags and what runs it. commands/parser.py adds every
module's ``COMMAND`` in one loop, so the modules declare what differs and no module repeats the
argparse calls. A group (``get``, ``list``, ``config``) has ``subcommands``: without one it prints
its usage and fails with exit 2, as the plugin's cobra parents do."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rollout_tui.commands import CommandError


class Flag:
    """One ``add_argument`` call, as data: ``Flag("-w", "--watch", action="store_true", ...)``."""

    def __init__(self, *names: str, **options: Any) -> None:
        self.names = names
        self.options = options


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    description: str | None = None
    flags: tuple[Flag, ...] = ()
    run: Callable[..., int] | None = None
    pass_parser: bool = False  # run(args, parser): a run that prints its own usage
    setup: Callable[[argparse.ArgumentParser], None] | None = None  # flags another module adds
    defaults: Mapping[str, Any] = field(default_factory=dict)  # more set_defaults beside func
    subcommands: tuple[Command, ...] = ()
    dest: str | None = None  # a group's: where the chosen subcommand's name goes
    metavar: str | None = None
    choose: str = ""  # a group's error when no subcommand is given

    def add(self, subparsers: Any, parents: list[argparse.ArgumentParser]) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = subparsers.add_parser(
            self.name, parents=parents, help=self.help, description=self.description
        )
        for flag in self.flags:
            parser.add_argument(*flag.names, **flag.options)
        if self.setup is not None:
            self.setup(parser)
        parser.set_defaults(func=self._func(parser), **self.defaults)
        if self.subcommands:
            kinds = parser.add_subparsers(dest=self.dest, metavar=self.metavar)
            for sub in self.subcommands:
                sub.add(kinds, parents)
        return parser

    def _func(self, parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
        run = self.run
        if self.subcommands:
            return lambda args: _usage(parser, self.choose)
        if run is None:
            raise TypeError(f"command {self.name!r}: neither run nor subcommands")
        if self.pass_parser:
            return lambda args: run(args, parser)
        return run


def _usage(parser: argparse.ArgumentParser, choose: str) -> int:
    parser.print_usage(sys.stderr)
    raise CommandError(choose, 2)
