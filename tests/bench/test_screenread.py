"""What the benchmarks read off a screen: fed through the same terminal emulator, no app."""

from __future__ import annotations

import re
import sys

import pyte
import pytest

from tests.conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

import screenread
from ptyscreen import Screen

NAMES = re.compile(r"\bsvc-\d{5}\b")


def screen_of(*lines: str, highlight: int | None = None) -> Screen:
    emulated = pyte.Screen(100, len(lines) + 1)
    stream = pyte.ByteStream(emulated)
    for y, text in enumerate(lines):
        style = b"\x1b[48;2;0;80;160m" if y == highlight else b"\x1b[48;2;20;20;20m"
        stream.feed(b"\x1b[%d;1H" % (y + 1) + style + text.encode() + b"\x1b[0m")
    return Screen(0.0, list(emulated.display), emulated, 1)


@pytest.mark.parametrize(
    ("header", "total", "expected"),
    [
        (" bench · all namespaces · 1000 ✔1000 · live", 1000, True),
        (" bench · all namespaces · 10,000 ◌10,000 · live", 10_000, True),
        (" west,east · 20 clusters · 9/10000 · live", 10_000, True),
        (" bench · loading 3,500 / ~10,000 · syncing", 10_000, False),
        (" bench · loading 3,500 / 10,000", 10_000, False),
        (" cluster-1000 · all namespaces · 999 · live", 1000, False),
    ],
)
def test_header_total(header: str, total: int, expected: bool) -> None:
    assert screenread.header_total_is(screen_of(header), total) is expected


def test_rows_cursor_and_sequence_numbers() -> None:
    screen = screen_of(
        " bench · all namespaces · 3 · live",
        "NAMESPACE  NAME       MESSAGE",
        "team-000   svc-00000  seq#41",
        "team-000   svc-00001  seq#42",
        "team-001   svc-00002",
        highlight=3,
    )
    assert [y for y, _ in screenread.row_lines(screen, NAMES)] == [2, 3, 4]
    assert screenread.cursor_line(screen, NAMES) == 3
    assert screenread.row_seqs(screen, NAMES) == {"svc-00000": 41, "svc-00001": 42}
    assert screenread.connection(screen) == "live"


def test_no_single_highlighted_row_means_no_cursor() -> None:
    screen = screen_of(" bench · 2 · live", "ns svc-00000", "ns svc-00001")
    assert screenread.cursor_line(screen, NAMES) is None


@pytest.mark.parametrize(
    "header",
    [
        " bench · 10 · reconnecting — stale since 12:03:04",
        " bench · 10 · unreachable",
        " bench · 10 · no data from west for 12 s — reconnecting",
    ],
)
def test_staleness_is_read_from_the_header(header: str) -> None:
    assert screenread.connection(screen_of(header)) == "stale"
