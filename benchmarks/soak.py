"""Resilience soak: ``python benchmarks/soak.py [--minutes N] [--quick] [--json FILE]``.

The demo fleet (its own driver keeps rollouts moving) plus churn (status changes, creates and
deletes) on a simulator in its own process, watched by the real UI app (``RolloutApp``, headless,
read-only) in another process. A fault schedule runs against the simulator: dropped streams,
silent stalls, forced 410s, the API down (objects added, changed and deleted meanwhile), 429 and
503 bursts, added latency. Per fault it reports the time from the fault's end to the UI's view
matching the server exactly (every rollout's resourceVersion), whether the UI showed a
non-live connection state while its data was stale, and errors that escaped; over the run, the
write requests the server received (read-only: goal 0) and the UI process's memory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

import kubectl
import report
from simproc import SimProcess
from uiproc import UiProcess

CONVERGE_LIMIT = 120.0
CHURN_RATE = 4.0  # changes per second, 20% of them creates/deletes
LEVEL = "UI app (RolloutApp on a kube Fleet, headless, read-only) in its own process"


@dataclass(frozen=True)
class Durations:
    stall: float
    down: float
    latency: float
    burst: float
    lead: float  # churn before each fault


QUICK = Durations(stall=2.0, down=3.0, latency=2.0, burst=2.0, lead=1.0)
FULL = Durations(stall=20.0, down=30.0, latency=10.0, burst=10.0, lead=5.0)


@dataclass
class FaultResult:
    fault: str
    description: str
    converged: bool
    converged_seconds: float | None
    stale_for_seconds: float  # longest stretch the view differed from the server during the fault
    stale_shown: bool
    phases_shown: list[str]
    errors: int
    server_rollouts: int = 0  # how many rollouts the server held when the fault ended
    round: int = 0
    notes: list[str] = field(default_factory=list)


class Soak:
    def __init__(self, sim: SimProcess, ui: UiProcess, durations: Durations) -> None:
        self.sim, self.ui, self.d = sim, ui, durations
        self.errors_seen = 0
        self.last_counts = (0, 0)
        self.memory: list[tuple[float, int]] = []

    def in_sync(self) -> bool:
        server = self.sim.request(op="digest")
        view = self.ui.request("digest")
        self.last_counts = (server["count"], view["count"])
        return server["hash"] == view["hash"]

    def wait_converged(self, since: float) -> float | None:
        deadline = time.monotonic() + CONVERGE_LIMIT
        while time.monotonic() < deadline:
            if self.in_sync():
                return time.time() - since
            time.sleep(0.1)
        return None

    def watch_divergence(self, seconds: float) -> float:
        """Sample view vs server for ``seconds``: the longest time they stayed different. (With
        churn running, a single sample may catch the view one coalescing interval behind.)"""
        longest, since = 0.0, None
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            now = time.monotonic()
            if self.in_sync():
                since = None
            else:
                since = now if since is None else since
                longest = max(longest, time.monotonic() - since)
            time.sleep(0.2)
        return longest

    def schedule(self) -> list[tuple[str, str, Callable[[], None], float]]:
        """(name, description, apply, how long the fault lasts)."""
        sim, d = self.sim, self.d

        def down() -> None:
            sim.request(op="fault", name="down", seconds=d.down)
            time.sleep(0.3)
            sim.request(op="world_moves")  # while the API is unreachable: one added, changed, deleted

        def burst(code: int) -> Callable[[], None]:
            def apply() -> None:  # every request fails until the fault's end resets it
                sim.request(op="fault", name="errors", code=code, count=1_000_000)
                sim.request(op="fault", name="drop")  # reconnects now meet the errors

            return apply

        def latency() -> None:
            sim.request(op="fault", name="latency", seconds=0.5)
            sim.request(op="fault", name="drop")

        return [
            (
                "drop",
                "every watch connection cut abruptly",
                lambda: sim.request(op="fault", name="drop"),
                0.0,
            ),
            (
                "stall",
                f"watch streams silent for {d.stall:g} s (no events, no bookmarks)",
                lambda: sim.request(op="fault", name="stall", seconds=d.stall),
                d.stall,
            ),
            (
                "expire",
                "history forgotten: open watches get 410, relist needed",
                lambda: sim.request(op="fault", name="expire"),
                0.0,
            ),
            (
                "down",
                f"API down {d.down:g} s; a rollout added, others changed and deleted meanwhile",
                down,
                d.down,
            ),
            (
                "errors429",
                f"every request answered 429 (Retry-After 1) for {d.burst:g} s, watches dropped",
                burst(429),
                d.burst,
            ),
            (
                "errors503",
                f"every request answered 503 for {d.burst:g} s, watches dropped",
                burst(503),
                d.burst,
            ),
            (
                "latency",
                f"0.5 s added to every request for {d.latency:g} s, watches dropped",
                latency,
                d.latency,
            ),
        ]

    def run_fault(
        self, name: str, description: str, apply: Callable[[], None], lasts: float, round_: int
    ) -> FaultResult:
        self.sim.request(op="churn", rate=CHURN_RATE, adds=True)
        time.sleep(self.d.lead)
        errors_before = len(self.ui.request("stats")["errors"])
        started = time.time()
        apply()
        stale_for = self.watch_divergence(max(lasts, 1.0))
        if name in ("latency", "errors429", "errors503"):
            self.sim.request(op="fault", name="reset")
        self.sim.request(op="churn", rate=0)
        ended = time.time()
        seconds = self.wait_converged(ended)
        stats = self.ui.request("stats")
        self.memory.append((time.time(), int(stats["rss"])))
        phases = sorted({p for t, _ctx, p in stats["transitions"] if started <= t and p != "live"})
        errors = len(stats["errors"]) - errors_before
        return FaultResult(
            name,
            description,
            seconds is not None,
            seconds,
            stale_for,
            bool(phases),
            phases,
            errors,
            self.last_counts[0],
            round_,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--minutes",
        type=float,
        default=0.0,
        help="repeat the fault schedule until this many minutes have passed (default: one round)",
    )
    parser.add_argument("--quick", action="store_true", help="short faults (CI smoke test, < 60 s)")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="tracemalloc in the UI process: report the allocation sites that grew (slows the UI)",
    )
    args = parser.parse_args(argv)
    durations = QUICK if args.quick else FULL
    started = time.time()
    results: list[FaultResult] = []
    with SimProcess(scenario="demo", motion=12, controller=True) as sim:
        writes_before = sim.request(op="writes")["total"]
        ui = UiProcess(
            sim.kubeconfig,
            read_only=True,
            headless=True,
            extra_env={"BENCH_TRACEMALLOC": "1"} if args.trace_memory else None,
        ).start()
        allocations: list[dict] = []
        try:
            soak = Soak(sim, ui, durations)
            first = soak.wait_converged(time.time())
            soak.memory.append((time.time(), int(ui.request("stats")["rss"])))
            ui.request("alloc")  # baseline (no-op unless --trace-memory)
            print(
                f"[{time.time() - started:6.1f}s] initial sync in {first if first is not None else -1:.2f} s",
                file=sys.stderr,
                flush=True,
            )
            round_ = 0
            while True:
                round_ += 1
                for name, description, apply, lasts in soak.schedule():
                    result = soak.run_fault(name, description, apply, lasts, round_)
                    results.append(result)
                    print(
                        f"[{time.time() - started:6.1f}s] {name}: converged in "
                        f"{result.converged_seconds if result.converged_seconds is not None else -1:.2f} s",
                        file=sys.stderr,
                        flush=True,
                    )
                allocations = ui.request("alloc", timeout=300)["top"]
                if (time.time() - started) / 60 >= args.minutes:
                    break
            writes = sim.request(op="writes")
            scenario = sim.info.get("scenario") or "generated motion fleet (demo scenario not available)"
        finally:
            final = ui.stop()
    tail = ui.stderr_tail.decode(errors="replace")
    escaped = len(final.get("errors", [])) + tail.count("Traceback")
    # the first sample is taken right after the initial sync; growth is judged from the end of the
    # first fault on (caches, imports and the first relist are warm-up, not growth)
    mem = [m for _, m in soak.memory]
    steady = mem[1:] if len(mem) > 2 else mem
    memory = {
        "samples": len(mem),
        "first_mb": mem[0] / 1e6 if mem else None,
        "last_mb": mem[-1] / 1e6 if mem else None,
        "max_mb": max(mem) / 1e6 if mem else None,
        "growth_mb": (steady[-1] - steady[0]) / 1e6 if len(steady) > 1 else None,
        "series_mb": [round(m / 1e6, 1) for m in mem],
    }
    memory["flat"] = memory["growth_mb"] is not None and memory["growth_mb"] <= max(
        5.0, 0.05 * steady[0] / 1e6
    )
    doc = {
        "meta": {
            "mode": "quick" if args.quick else "full",
            "measured_at": LEVEL,
            "fleet": scenario,
            "churn_per_second": CHURN_RATE,
            "durations": asdict(durations),
            "seconds": time.time() - started,
            "machine": report.machine(kubectl.version()),
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
        "faults": [asdict(r) for r in results],
        "writes_sent": int(writes["total"]) - int(writes_before),
        "writes_detail": writes["writes"],
        "errors_escaped": escaped,
        "memory": memory,
        "ui_errors": final.get("errors", []),
        "allocation_growth": allocations,
    }
    print(f"measured at: {LEVEL}; fleet: {scenario} + churn {CHURN_RATE:g}/s")
    print(render(results))
    print(f"errors escaped: {escaped} (goal 0)    writes sent: {doc['writes_sent']} (goal 0, read-only)")
    print(
        f"UI memory: {memory['first_mb']:.0f} MB -> {memory['last_mb']:.0f} MB over {len(mem)} samples "
        f"(growth after the first fault {memory['growth_mb'] or 0:+.1f} MB; flat: {'yes' if memory['flat'] else 'NO'})"
    )
    out = args.json or os.path.join(
        tempfile.gettempdir(), "rollout-tui-bench-" + ("soak-quick.json" if args.quick else "soak.json")
    )
    Path(out).write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"JSON: {out}")
    return 0


def render(results: list[FaultResult]) -> str:
    rows = [("round", "fault", "rollouts", "converged after", "view stale for", "UI showed it", "errors")]
    for r in results:
        rows.append(
            (
                str(r.round),
                r.fault,
                str(r.server_rollouts),
                f"{r.converged_seconds:.2f} s"
                if r.converged_seconds is not None
                else f"NOT within {CONVERGE_LIMIT:.0f} s",
                f"{r.stale_for_seconds:.1f} s",
                ", ".join(r.phases_shown) if r.stale_shown else "no",
                str(r.errors),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
