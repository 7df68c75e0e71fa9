"""Memory diagnostics on demand, for soaks and leak hunts on a running UI.

With ``ROLLOUT_TUI_DIAG=/path/to/file`` set, ``install_from_env()`` makes SIGUSR1 append one
JSON line to that file: the process's RSS, the number of live objects the garbage collector
tracks, the most numerous types, how full Python's small-object allocator is (arenas mapped
against bytes in live blocks: RSS that grows while live blocks do not is fragmentation, not a
leak), and (when ``ROLLOUT_TUI_DIAG_TRACE=N`` also started tracemalloc with N frames, which slows
the process) the allocation sites holding the most memory. Without the variable nothing is
installed and SIGUSR1 keeps its default meaning.

``python -m rollout_tui.diagnostics ARGS`` runs the normal CLI (``rollout_tui.cli.main``) with
the hook installed (what the benchmarks start). Calling ``install_from_env()`` at the top of
``rollout_tui.cli.main`` makes every session started with the variable answer; calling it twice is
harmless. No textual import here: the hook is installed before the UI exists.
"""

from __future__ import annotations

import gc
import json
import os
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

ENV = "ROLLOUT_TUI_DIAG"
TRACE_ENV = "ROLLOUT_TUI_DIAG_TRACE"
TOP_TYPES = 60
TOP_SITES = 25


def _rss() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


_MALLOC_LINE = re.compile(
    r"^# (arenas allocated current|bytes in allocated blocks|bytes in available blocks)\s+=\s+([\d,]+)"
)


def pymalloc() -> dict[str, int]:
    """sys._debugmallocstats' totals (arenas in use, bytes in live and in free blocks). It writes
    to C stderr, which is the UI's terminal: a forked child, with its own copy of the heap at this
    instant, writes them to a file instead. Empty while tracemalloc hooks the allocator."""
    if not hasattr(os, "fork"):
        return {}
    with tempfile.TemporaryFile() as out:
        child = os.fork()
        if child == 0:  # pragma: no cover - the child only writes and exits
            try:
                os.dup2(out.fileno(), 2)
                sys._debugmallocstats()
            finally:
                os._exit(0)
        os.waitpid(child, 0)
        out.seek(0)
        text = out.read().decode("ascii", "replace")
    found = (_MALLOC_LINE.match(line) for line in text.splitlines())
    return {m.group(1).replace(" ", "_"): int(m.group(2).replace(",", "")) for m in found if m}


def snapshot() -> dict[str, Any]:
    """What one dump holds (also usable from a test or a debugger)."""
    import tracemalloc

    gc.collect()
    objects = gc.get_objects()
    types = Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in objects)
    doc: dict[str, Any] = {
        "t": time.time(),
        "pid": os.getpid(),
        "rss": _rss(),
        "gc_objects": len(objects),
        "types": types.most_common(TOP_TYPES),
        "tracing": tracemalloc.is_tracing(),
        "pymalloc": pymalloc(),
    }
    del objects
    if tracemalloc.is_tracing():
        stats = tracemalloc.take_snapshot().statistics("lineno")
        doc["traced_bytes"] = tracemalloc.get_traced_memory()[0]
        doc["sites"] = [
            {"where": str(s.traceback[0]), "size": s.size, "count": s.count} for s in stats[:TOP_SITES]
        ]
    return doc


def _dump(path: str) -> None:
    try:
        line = json.dumps(snapshot())
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except Exception as exc:  # a diagnostic must never take the UI down
        print(f"rollout-tui diagnostics: {type(exc).__name__}: {exc}", file=sys.stderr)


def install_from_env() -> bool:
    """Install the SIGUSR1 dump if ``ROLLOUT_TUI_DIAG`` names a file; True if installed. Call it
    from the main thread (signal handlers can only be set there)."""
    path = os.environ.get(ENV)
    if not path:
        return False
    frames = os.environ.get(TRACE_ENV, "")
    if frames.isdigit() and int(frames) > 0:
        import tracemalloc

        if not tracemalloc.is_tracing():
            tracemalloc.start(int(frames))
    signal.signal(signal.SIGUSR1, lambda _signum, _frame: _dump(path))
    return True


def main(argv: Sequence[str] | None = None) -> int:
    install_from_env()
    from rollout_tui.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
