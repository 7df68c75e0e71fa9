"""rollout-tui benchmarks: ``python benchmarks/run.py [--quick] [--json FILE] [--only NAMES]``.

Every figure is measured against its baseline in the same run, on simulators this script starts
in their own processes. coldstart, events and clusters run the real ``rollout-tui`` CLI on a pty
and read the screen through a terminal emulator (ptyscreen.py), with memory from /proc: nothing
inside the UI process. terminal, detail and action still use the in-process probe (uiprobe.py).
Prints a table and writes JSON (default: $TMPDIR/rollout-tui-bench-results.json, or
-results-quick.json with --quick).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

import fig_action
import fig_clusters
import fig_detail
import fig_events
import fig_paint
import fig_terminal
import kubectl
import report
from report import Figure


@dataclass(frozen=True)
class Plan:
    sizes: tuple[int, ...]
    coldstart_repeats: int
    rates: tuple[float, ...]
    rate_seconds: float
    rate_rollouts: int
    key_samples: int
    terminal_settle: float
    terminal_window: float
    unrelated: int
    detail_repeats: int
    action_repeats: int
    clusters: tuple[int, int]  # (simulators, rollouts in each)
    parallel: bool = False  # figures measured at the same time (the smoke: only that each is produced)


FULL = Plan(
    sizes=(1_000, 10_000, 50_000),
    coldstart_repeats=3,
    rates=(500, 1_000, 2_000, 4_000, 6_000, 8_000, 12_000, 16_000),
    rate_seconds=6.0,
    rate_rollouts=1_000,
    key_samples=60,
    terminal_settle=3.0,
    terminal_window=20.0,
    unrelated=10_000,
    detail_repeats=3,
    action_repeats=3,
    clusters=(20, 500),
)
QUICK = Plan(  # every figure, as small and short as still measures it; the steps run at once
    sizes=(200, 800),
    coldstart_repeats=1,
    rates=(1_000,),
    rate_seconds=1.0,
    rate_rollouts=100,
    key_samples=4,
    terminal_settle=0.5,
    terminal_window=1.0,
    unrelated=300,
    detail_repeats=1,
    action_repeats=1,
    clusters=(2, 50),
    parallel=True,
)


def coldstart(plan: Plan) -> list[Figure]:
    def one(size: int) -> list[Figure]:
        return fig_paint.measure(size, plan.coldstart_repeats)

    if plan.parallel:
        with ThreadPoolExecutor(len(plan.sizes)) as pool:
            per_size = list(pool.map(one, plan.sizes))
    else:
        per_size = [one(size) for size in plan.sizes]
    figures = [f for figures in per_size for f in figures]
    return figures + fig_paint.bytes_per_rollout(figures)


STEPS: dict[str, Callable[[Plan], list[Figure]]] = {
    "coldstart": coldstart,
    "events": lambda p: fig_events.measure(p.rate_rollouts, list(p.rates), p.rate_seconds, p.key_samples),
    "clusters": lambda p: fig_clusters.measure(*p.clusters, p.coldstart_repeats),
    "terminal": lambda p: fig_terminal.measure(p.terminal_settle, p.terminal_window, p.parallel),
    "detail": lambda p: fig_detail.measure(p.unrelated, p.detail_repeats),
    "action": lambda p: fig_action.measure(p.action_repeats),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, short windows, all at once")
    parser.add_argument("--json", metavar="FILE", help="where to write the JSON results")
    parser.add_argument(
        "--only", default=",".join(STEPS), help=f"comma-separated subset of {','.join(STEPS)}"
    )
    parser.add_argument("--sizes", help="cold start fleet sizes instead of the plan's, e.g. 1000,10000")
    parser.add_argument("--rates", help="event-rate ladder instead of the plan's, e.g. 8000,12000")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.sizes:
        plan = replace(plan, sizes=tuple(int(s) for s in args.sizes.split(",")))
    if args.rates:
        plan = replace(plan, rates=tuple(float(r) for r in args.rates.split(",")))
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps: {', '.join(unknown)}")
    if not kubectl.available():
        print(f"error: kubectl is needed for the baselines (not found at {kubectl.KUBECTL})", file=sys.stderr)
        return 2
    started, load_before, commit = time.time(), os.getloadavg(), report.commit()  # what is measured
    failed: dict[str, str] = {}
    results: dict[str, list[Figure]] = {}

    def step(name: str) -> None:
        step_start = time.time()
        print(f"[{time.time() - started:6.1f}s] {name} ...", file=sys.stderr, flush=True)
        try:
            results[name] = STEPS[name](plan)
        except Exception as exc:  # one broken figure must not hide the others
            failed[name] = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        print(
            f"[{time.time() - started:6.1f}s] {name} done in {time.time() - step_start:.1f}s",
            file=sys.stderr,
            flush=True,
        )

    if plan.parallel:  # the smoke checks that every figure is produced, not its value: all at once
        threads = [threading.Thread(target=step, args=(name,), name=name) for name in chosen]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:  # figures are measured one at a time, so that they do not disturb each other
        for name in chosen:
            step(name)
    figures = [figure for name in chosen for figure in results.get(name, [])]
    meta = {
        "mode": ("quick" if args.quick else "full") + (" (partial)" if args.sizes or args.rates else ""),
        "plan": plan.__dict__,
        "seconds": time.time() - started,
        "failed": failed,
        "machine": report.machine(kubectl.version()),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load": {"before": load_before, "after": os.getloadavg()},  # a shared machine: how shared
        "commit": commit,
    }
    print(report.table(figures))
    for f in figures:
        if f.notes:
            print(f"  {f.label}: {f.notes}")
    for name, error in failed.items():
        print(f"  FAILED {name}: {error}")
    print(f"total {meta['seconds']:.1f} s")
    out = args.json or os.path.join(
        tempfile.gettempdir(), "rollout-tui-bench-" + ("results-quick.json" if args.quick else "results.json")
    )
    report.write_json(out, figures, meta)
    print(f"JSON: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
