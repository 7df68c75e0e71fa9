"""Soak: ``python benchmarks/soak.py [--hours H | --minutes M] [--mode both|interactive|wall]
[--accelerated] [--quick] [--json FILE]``.

The real ``rollout-tui`` on a pty (read-only interactive at 120x40 with a scripted operator
browsing, and ``--wall`` at 160x48), one after the other, each against ``rollout-tui sim``'s
``demo`` scenario in its own process plus churn (status changes, rollouts created and deleted; the
simulated controller turns pods over as the demo's driver rolls versions out). The UI reaches the
simulator through a TCP fault proxy (``rollout_tui.sim.netfaults``). Between browsing phases the
fault schedule runs: blackhole, resets, refused connects and latency on the wire, then the
simulator's own drop, stall, 410, 429/503 bursts and restart. Per fault: detection time (the
header admits staleness), recovery time after the server is back (the screen matches the server
again), tracebacks that reached the terminal. Over the run: RSS every N s from /proc, the
least-squares slope after warm-up in MB/hour, and Python object counts by type at start and end
(SIGUSR1 through ``rollout_tui.diagnostics``).

``--accelerated``: the simulator at high ``--speed`` (enough for >= 24 simulated hours over the
run) with fast churn. ``--quick`` is the CI smoke: each fault once, short, both modes at once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

import kubectl
import procmem
import report
import soakfaults
from ptyscreen import PtyScreen, rollout_tui_argv
from simproc import SimProcess
from soakfaults import FaultResult, Operator, Server

from rollout_tui.sim.netfaults import FaultProxy, through

SIZES = {"interactive": (120, 40), "wall": (160, 48)}
# The simulator's watch bookmarks (real kube-apiserver: ~60 s). A stream silent for 1.5 intervals
# while the server answers is stale: with 5 s the stall fault is shown within 7.5 s of the last
# bookmark, as a real server's stall would be within 90 s.
BOOKMARK_SECONDS = 5.0
SIMULATED_HOURS_GOAL = 24.0


@dataclass(frozen=True)
class Plan:
    seconds: float  # per mode
    fault_seconds: float
    browse_seconds: float
    sample_seconds: float
    warmup_seconds: float
    churn: float
    speed: float
    recover_limit: float = soakfaults.RECOVER_LIMIT
    browse_every_fault: bool = True  # False: the operator browses before the first fault only
    parallel: bool = False  # both modes at once (the smoke: only that every fault is reported)


def plan_from(args: argparse.Namespace) -> Plan:
    seconds = args.hours * 3600 + args.minutes * 60
    if args.quick:  # every fault once, reported; recoveries are not waited for long
        speed = 60.0 if args.accelerated else 1.0
        return Plan(
            seconds or 5.0, 0.5, 0.5, 1.0, 1.0, 4.0, speed, 4.0, browse_every_fault=False, parallel=True
        )
    seconds = seconds or 600.0
    speed = max(60.0, SIMULATED_HOURS_GOAL * 3600 / seconds) if args.accelerated else 1.0
    return Plan(
        seconds,
        args.fault_seconds,
        args.browse_seconds,
        args.sample,
        max(60.0, seconds * 0.1),
        20.0 if args.accelerated else 4.0,
        speed,
    )


def diag_dump(pty: PtyScreen, path: Path, timeout: float = 30.0) -> dict[str, Any] | None:
    """Object counts from the UI (SIGUSR1, only if it installed the handler)."""
    if not procmem.catches(pty.pid, signal.SIGUSR1):
        return None
    before = len(path.read_text().splitlines()) if path.exists() else 0
    os.kill(pty.pid, signal.SIGUSR1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) > before:
            doc: dict[str, Any] = json.loads(lines[-1])
            return doc
        time.sleep(0.2)
    return None


def object_growth(start: dict[str, Any] | None, end: dict[str, Any] | None) -> list[tuple[str, int, int]]:
    if not start or not end:
        return []
    a, b = dict(start["types"]), dict(end["types"])
    grown = [(t, a.get(t, 0), n) for t, n in b.items()]
    return sorted(grown, key=lambda x: x[2] - x[1], reverse=True)[:25]


def fault_rounds(
    mode: str,
    plan: Plan,
    started: float,
    sim: SimProcess,
    pty: PtyScreen,
    operator: Operator,
    faults: list[soakfaults.Fault],
    pattern_of: Callable[[], re.Pattern[str]],
) -> list[FaultResult]:
    """Whole rounds of the schedule (every fault as often) until the plan's time is up, and at least
    one, however long the start took; the operator browses before each fault (the wall is left
    alone)."""
    results: list[FaultResult] = []
    round_ = 0
    while (round_ == 0 or time.time() < started + plan.seconds) and pty.alive():
        round_ += 1
        for fault in faults:
            sim.request(op="churn", rate=plan.churn, adds=True)
            browse = plan.browse_every_fault or not results
            if mode == "interactive" and browse:
                operator.browse(plan.browse_seconds)
                operator.home()
            elif browse:
                time.sleep(plan.browse_seconds)
            last = soakfaults.run_fault(
                fault, round_, sim, pty, pattern_of, plan.recover_limit, min(1.0, plan.fault_seconds)
            )
            results.append(last)
            print(
                f"[{time.time() - started:7.1f}s] {mode} {last.fault}: detected "
                f"{_s(last.detected_s)}, recovered {_s(last.recovered_s)}",
                file=sys.stderr,
                flush=True,
            )
    return results


def soak_mode(mode: str, plan: Plan, tmp: Path) -> dict[str, Any]:
    started = time.time()
    diag = tmp / f"diag-{mode}.jsonl"
    with SimProcess(
        scenario="demo", motion=12, controller=True, speed=plan.speed, bookmark_interval=BOOKMARK_SECONDS
    ) as sim:
        writes_before = sim.request(op="writes")["total"]
        port = int(str(sim.info["url"]).rsplit(":", 1)[1])
        with FaultProxy(("127.0.0.1", port)) as proxy:
            kc = through(sim.kubeconfig, tmp / f"kubeconfig-{mode}", proxy.address)
            flag = "--wall" if mode == "wall" else "--read-only"
            env = {"ROLLOUT_TUI_DIAG": str(diag)}
            pty = PtyScreen(
                rollout_tui_argv("--kubeconfig", str(kc), flag, diagnostics=True), *SIZES[mode], env
            )
            pty.start()
            sampler = procmem.Sampler(pty.pid, plan.sample_seconds)
            try:
                first = Server.read(sim)
                pattern_of = lambda: soakfaults.names_pattern(sorted(Server.read(sim).names))  # noqa: E731
                synced = pty.wait_for(lambda s: first.matches(s, pattern_of()), 120)
                sampler.start()
                start_objects = diag_dump(pty, diag)
                operator = Operator(pty)
                faults = soakfaults.schedule(sim, proxy, plan.fault_seconds)
                results = fault_rounds(mode, plan, started, sim, pty, operator, faults, pattern_of)
                end_objects = diag_dump(pty, diag)
                writes = sim.request(op="writes")
            finally:
                sampler.stop()
                quit_started = time.time()
                code = pty.stop()
                quit_seconds = time.time() - quit_started
    return {
        "mode": mode,
        "size": "x".join(map(str, SIZES[mode])),
        "seconds": time.time() - started,
        "simulated_hours": (time.time() - started) * plan.speed / 3600,
        "initial_sync_s": None if synced is None else synced.t - pty.spawned_at,
        "faults": [asdict(r) for r in results],
        "memory": sampler.summary(plan.warmup_seconds),
        "objects_start": start_objects and {k: start_objects[k] for k in ("gc_objects", "rss")},
        "objects_end": end_objects and {k: end_objects[k] for k in ("gc_objects", "rss")},
        "objects_grown": object_growth(start_objects, end_objects),
        "tracebacks": pty.tracebacks,
        "writes_sent": int(writes["total"]) - int(writes_before),
        "operator_actions": operator.actions,
        "exit_code": code,
        "quit_seconds": quit_seconds,
        "proxy": proxy.stats(),
    }


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def render(doc: dict[str, Any]) -> str:
    rows = [("mode", "round", "fault", "detected after", "recovered after", "errors")]
    for run in doc["runs"]:
        for f in run["faults"]:
            rows.append(
                (run["mode"], str(f["round"]), f["fault"], _s(f["detected_s"]), _s(f["recovered_s"]),
                 str(f["errors_escaped"]))
            )  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    for run in doc["runs"]:
        m = run["memory"]
        slope = m.get("slope_mb_per_hour")
        lines.append(
            f"{run['mode']}: RSS {m.get('after_warmup_mb')} MB after warm-up -> {m.get('last_mb')} MB, slope "
            f"{'-' if slope is None else f'{slope:+.1f}'} MB/h over {m.get('steady_minutes')} min; "
            f"{run['simulated_hours']:.1f} simulated h; objects {run['objects_start']} -> {run['objects_end']}; "
            f"tracebacks {run['tracebacks']}; writes {run['writes_sent']}; q exits in {run['quit_seconds']:.2f} s; "
            f"max {m.get('max_above_warmup_mb')} MB above warm-up; load(1m) mean {m.get('load_1m_mean')}, "
            f"max {m.get('load_1m_max')}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=0.0, help="length of each mode's soak")
    parser.add_argument("--minutes", type=float, default=0.0, help="added to --hours (default 10 min)")
    parser.add_argument("--mode", choices=("both", "interactive", "wall"), default="both")
    parser.add_argument("--accelerated", action="store_true", help=">= 24 simulated hours, fast churn")
    parser.add_argument("--quick", action="store_true", help="CI smoke: every fault once, both modes at once")
    parser.add_argument("--sample", type=float, default=10.0, help="RSS sampling period, seconds")
    parser.add_argument("--fault-seconds", type=float, default=30.0, help="how long each fault lasts")
    parser.add_argument("--browse-seconds", type=float, default=30.0, help="operator time between faults")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    plan = plan_from(args)
    modes = ["interactive", "wall"] if args.mode == "both" else [args.mode]
    started, load_start = time.time(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="rollout-tui-soak-") as tmp:
        if plan.parallel:
            with ThreadPoolExecutor(len(modes)) as pool:
                runs = list(pool.map(lambda mode: soak_mode(mode, plan, Path(tmp)), modes))
        else:
            runs = [soak_mode(mode, plan, Path(tmp)) for mode in modes]
    doc = {
        "meta": {
            "mode": "quick" if args.quick else "full",
            "accelerated": args.accelerated,
            "plan": asdict(plan),
            "measured_at": "the rollout-tui CLI on a pty (screen via pyte, RSS via /proc), through a TCP fault proxy",
            "seconds": time.time() - started,
            "machine": report.machine(kubectl.version()),
            "loadavg_start": load_start,
            "loadavg_end": os.getloadavg(),
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
        "runs": runs,
    }
    print(render(doc))
    out = args.json or os.path.join(
        tempfile.gettempdir(), "rollout-tui-bench-" + ("soak-quick.json" if args.quick else "soak.json")
    )
    Path(out).write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
