"""What a command's output looks like on this terminal: colour, glyphs, the clock ages are taken
at (`--now`), and warnings about the input on stderr (stdout stays the plugin's exact text)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from rollout_tui.commands import CommandError
from rollout_tui.model.clock import Clock, FixedClock, SystemClock
from rollout_tui.model.fields import parse_time
from rollout_tui.model.icons import ASCII, UNICODE, Glyphs
from rollout_tui.render.safe import clean

MAX_WARNINGS = 10
OUTPUT_FORMATS = ("json", "yaml")  # -o: render.json_view's documents instead of the plugin's text


def clock_for(args: argparse.Namespace) -> Clock:
    raw = getattr(args, "now", None)
    if not raw:
        return SystemClock()
    at = parse_time(raw)
    if at is None:
        try:
            at = datetime.fromisoformat(raw)
        except ValueError:
            raise CommandError(f"--now {raw!r} is not an RFC 3339 time (e.g. 2026-01-02T15:04:05Z)") from None
    return FixedClock(at)


def use_color(args: argparse.Namespace, stream: Any = None) -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR (cli folds it into no_color)."""
    stream = stream or sys.stdout
    if getattr(args, "no_color", False):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def icons_for(args: argparse.Namespace, stream: Any = None) -> Glyphs:
    """The plugin's glyphs, or ASCII when asked for or when the terminal cannot encode them."""
    if getattr(args, "ascii", False):
        return ASCII
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        "⟳⧉□⊞Σα✔✖⚠◌॥◷•├└│─".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII
    return UNICODE


def report_warnings(warnings: list[str] | tuple[str, ...]) -> None:
    """Problems found in the input, on stderr so stdout stays the plugin's exact text."""
    unique = [clean(w) for w in dict.fromkeys(warnings)]
    for warning in unique[:MAX_WARNINGS]:
        print(f"warning: {warning}", file=sys.stderr)
    if len(unique) > MAX_WARNINGS:
        print(f"warning: ... and {len(unique) - MAX_WARNINGS} more", file=sys.stderr)
