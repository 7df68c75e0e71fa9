"""Command-line entry point: parse (commands/parser.py builds the parser), dispatch, and turn
every failure into one line on stderr."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from rollout_tui.commands import CommandError, PluginError
from rollout_tui.commands.kubectl_flags import apply_kubectl_flags, join_dash_values
from rollout_tui.commands.parser import GLOBAL_DEFAULTS, build_parser


def parse(words: list[str]) -> argparse.Namespace:
    args = build_parser().parse_args(join_dash_values(words))
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
        args = parse(words)
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
