"""Go's text/tabwriter (as wrapped by juju/ansiterm), for byte-compatible tables.

Cells are tab-terminated; the text after a line's last tab is not part of any column. Column
widths are computed per block of consecutive lines that have that column, in runes, ignoring
ANSI SGR escapes, plus `padding`. A line without tabs ends all blocks, as in Go.
"""

from __future__ import annotations

import re

_SGR = re.compile(r"\x1b\[[0-9;]*m")


def display_width(cell: str) -> int:
    """Rune count without colour escapes (what ansiterm's tabwriter measures)."""
    return len(_SGR.sub("", cell)) if "\x1b" in cell else len(cell)


def tabwrite(text: str, padding: int = 2, minwidth: int = 0) -> str:
    out: list[str] = []
    lines = [line.split("\t") for line in text.split("\n")]
    # Go flushes after any line with a single cell: later lines start fresh column blocks.
    start = 0
    for i, cells in enumerate(lines):
        if len(cells) == 1 and i + 1 < len(lines):
            _format(lines[start : i + 1], [], 0, i + 1 - start, padding, minwidth, out)
            start = i + 1
    _format(lines[start:], [], 0, len(lines) - start, padding, minwidth, out)
    # Every line but the last was newline-terminated in the input.
    return "\n".join(out)


def _format(
    lines: list[list[str]],
    widths: list[int],
    line0: int,
    line1: int,
    padding: int,
    minwidth: int,
    out: list[str],
) -> None:
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        _write_lines(lines, widths, line0, this, out)
        line0 = this
        width = minwidth
        while this < line1 and column < len(lines[this]) - 1:
            width = max(width, display_width(lines[this][column]) + padding)
            this += 1
        widths.append(width)
        _format(lines, widths, line0, this, padding, minwidth, out)
        widths.pop()
        line0 = this
    _write_lines(lines, widths, line0, line1, out)


def _write_lines(lines: list[list[str]], widths: list[int], line0: int, line1: int, out: list[str]) -> None:
    for cells in lines[line0:line1]:
        parts = []
        for j, cell in enumerate(cells):
            parts.append(cell)
            if j < len(widths):
                parts.append(" " * (widths[j] - display_width(cell)))
        out.append("".join(parts))
