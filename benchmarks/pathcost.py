"""CPU per rollout on the overview's data path, in-process, without network or terminal:
``python benchmarks/pathcost.py [--rollouts N] [--events N] [--repeat R]``.

- list: N fleetgen rollouts in pages of 500, each decoded (kube.resources.loads) and stored the
  way the overview's reflector stores them (ObjectCache.upsert_page with the overview's state).
- watch: N MODIFIED watch lines round-robin over 1,000 rollouts (as benchmarks/simflood.py emits
  them), each decoded and stored, flushed by the coalescer every 600 events (50 ms at 12,000/s),
  then drained into a FleetView as the UI drains.

Prints the best of R runs (process CPU time per rollout or event). The figures the README
compares are the pty benchmarks' (run.py); this one tells which step of the path a change moved.
"""

from __future__ import annotations

import argparse
import gc
import json
import queue
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import fleetgen

from rollout_tui.kube.cache import ObjectCache, object_key
from rollout_tui.kube.coalesce import OVERVIEW_KIND, Coalescer
from rollout_tui.kube.resources import loads
from rollout_tui.kube.slim import overview_state
from rollout_tui.ui.fleet_view import FleetView

PAGE = 500
POOL = 1_000
FLUSH_EVERY = 600


def _pages(count: int) -> list[bytes]:
    rollouts = [fleetgen.rollout(fleetgen.namespace_of(i, 200), f"svc-{i:05d}", i) for i in range(count)]
    return [
        json.dumps({"metadata": {"resourceVersion": "1"}, "items": rollouts[i : i + PAGE]}).encode()
        for i in range(0, count, PAGE)
    ]


def _lines(count: int) -> list[bytes]:
    pool = [fleetgen.rollout(fleetgen.namespace_of(i, 20), f"svc-{i:05d}", i) for i in range(POOL)]
    lines = []
    for seq in range(count):
        obj = pool[seq % POOL]
        obj["status"]["message"] = f"seq#{seq}"
        obj["metadata"]["resourceVersion"] = str(10_000 + seq)
        lines.append(json.dumps({"type": "MODIFIED", "object": obj}).encode())
    return lines


def list_cost(pages: list[bytes]) -> float:
    cache = ObjectCache()
    start = time.process_time()
    for page in pages:
        cache.upsert_page("overview", OVERVIEW_KIND, loads(page)["items"], overview_state)
    return time.process_time() - start


def watch_cost(lines: list[bytes]) -> tuple[float, float]:
    cache, batches = ObjectCache(), queue.Queue()  # type: ignore[var-annotated]
    coalescer = Coalescer(batches, dict)
    start = time.process_time()
    for seq, line in enumerate(lines, start=1):
        obj = loads(line)["object"]
        value = cache.upsert("overview", OVERVIEW_KIND, obj, overview_state)
        if value is not None:
            coalescer.add("bench", OVERVIEW_KIND, [(object_key(OVERVIEW_KIND, obj), value)], [])
        if seq % FLUSH_EVERY == 0:
            coalescer.flush()
    coalescer.flush()
    kube = time.process_time() - start
    view, now = FleetView(), datetime.now(UTC)
    start = time.process_time()
    view.drain(batches, now)
    return kube, time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rollouts", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=12_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pages, lines = _pages(args.rollouts), _lines(args.events)
    gc.freeze()  # as the UI does at start-up (ui/launch.py)
    gc.set_threshold(50_000, 20, 10)
    listed = min(list_cost(pages) for _ in range(args.repeat))
    watched = min(watch_cost(lines) for _ in range(args.repeat))
    print(f"list:  {listed / args.rollouts * 1e6:6.1f} us CPU per rollout ({args.rollouts:,} rollouts)")
    print(f"watch: {watched[0] / args.events * 1e6:6.1f} us CPU per event in kube, ", end="")
    print(f"{watched[1] / args.events * 1e6:.1f} us in the UI's drain ({args.events:,} events)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
