"""What a screen of rollout-tui says, read the way an operator reads it (no app internals).

The keys are deliberately loose so that rewording the header or moving columns does not break
the benchmarks; each rule below is what a figure relies on:

- **header total**: the first non-blank line holds the fleet's total as a number token: plain
  (``10000``) or grouped with ``,`` ``_`` or a thin space (``10,000``). A token preceded by a
  letter, digit, ``-``, ``.`` or ``:`` is part of a name, not a count; one preceded by ``~`` or
  ``≈`` is an estimate and does not count. While the header says loading/syncing/listing the
  list is not complete, whatever the numbers.
- **table rows**: a line is a rollout row when it contains a rollout name the benchmark created
  (it knows the names; e.g. ``svc-00042``). A full screen of rows is the number of row lines
  when the fleet is settled (measured at the end of a run), so no layout constant is assumed.
- **cursor row**: among the row lines, the one whose cell background (or reverse video) at the
  name differs from every other row's: how a highlighted row looks on any theme.
- **sequence numbers**: the benchmarks write ``seq#N`` into ``status.message``, which the
  overview shows; a row's freshness is read from that token.
- **connection state**: the header shows ``live`` when fresh; any of STALE_WORDS in the header
  (or a STALE_PHRASES phrase anywhere, for the wall's banner) means it admits staleness.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ptyscreen import Screen

_COUNT = re.compile(r"(?<![\w.:\-])([~≈]?)(\d{1,3}(?:[,_\u2009\u202f]\d{3})+|\d+)(?![\d,_])")
PROGRESS_WORDS = re.compile(r"\b(loading|syncing|listing|fetching)\b", re.IGNORECASE)
STALE_WORDS = re.compile(
    r"\b(stale|reconnecting|unreachable|no data|offline|disconnected|error|failed|lost|timed? ?out)\b",
    re.IGNORECASE,
)
STALE_PHRASES = re.compile(r"\b(stale since|reconnecting|unreachable|no data from)\b", re.IGNORECASE)
LIVE_WORD = re.compile(r"\blive\b", re.IGNORECASE)
SEQ = re.compile(r"seq#(\d+)")


def counts(text: str) -> list[int]:
    """Every count token in ``text`` that is not an estimate."""
    out = []
    for match in _COUNT.finditer(text):
        if not match.group(1):
            out.append(int(re.sub(r"[,_\u2009\u202f]", "", match.group(2))))
    return out


def header_total_is(screen: Screen, total: int) -> bool:
    header = screen.header
    return total in counts(header) and not PROGRESS_WORDS.search(header)


def header_total(screen: Screen, candidates: Iterable[int]) -> int | None:
    """Which of ``candidates`` the header claims as its total (the largest that appears)."""
    if PROGRESS_WORDS.search(screen.header):
        return None
    shown = set(counts(screen.header))
    found = [c for c in candidates if c in shown]
    return max(found) if found else None


def row_lines(screen: Screen, names: re.Pattern[str]) -> list[tuple[int, re.Match[str]]]:
    """(line index, the name's match) of every line showing a rollout row (header excluded)."""
    out = []
    header_seen = False
    for y, line in enumerate(screen.lines):
        if not header_seen and line.strip():
            header_seen = True
            continue
        match = names.search(line)
        if match:
            out.append((y, match))
    return out


def cell_x(screen: Screen, y: int, index: int) -> int:
    """The cell column of the ``index``-th character of display line ``y`` (wide glyphs take two
    cells, their second cell adds no character)."""
    line = screen.buffer.buffer[y]
    seen = 0
    for x in range(screen.buffer.columns):
        data = line[x].data
        if not data:
            continue
        if seen >= index:
            return x
        seen += len(data)
    return max(0, min(index, screen.buffer.columns - 1))


def cursor_line(screen: Screen, names: re.Pattern[str]) -> int | None:
    """The line index of the highlighted row, or None when no single row stands out."""
    rows = row_lines(screen, names)
    if len(rows) < 2:
        return None
    styles = {y: screen.bg(y, cell_x(screen, y, m.start())) for y, m in rows}
    tally = Counter(styles.values())
    unique = [y for y, style in styles.items() if tally[style] == 1]
    return unique[0] if len(unique) == 1 else None


def seqs(screen: Screen) -> list[int]:
    return [int(m.group(1)) for line in screen.lines for m in SEQ.finditer(line)]


def row_seqs(screen: Screen, names: re.Pattern[str]) -> dict[str, int]:
    """{rollout name shown: the seq# its row shows} for rows that show one."""
    out = {}
    for y, match in row_lines(screen, names):
        found = SEQ.search(screen.lines[y])
        if found:
            out[match.group(0)] = int(found.group(1))
    return out


def connection(screen: Screen) -> str:
    """ "stale" when the screen admits stale data, "live", "syncing", or "unknown"."""
    header = screen.header
    if STALE_WORDS.search(header) or any(STALE_PHRASES.search(line) for line in screen.lines):
        return "stale"
    if LIVE_WORD.search(header):
        return "live"
    if PROGRESS_WORDS.search(header):
        return "syncing"
    return "unknown"
