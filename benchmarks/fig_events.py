"""Events/s the view keeps up with and keypress-to-repaint under load, both read from the pty.

The simulator changes rollouts round-robin (``simflood``): event N writes ``seq#N`` into the
message of pool rollout ``N % pool`` and the simulator records when it emitted each one. The
screen shows each visible row's ``seq#``; a row showing N is stale from the moment event
``N + pool`` (its next change) was emitted until a frame shows it. The view's lag at an instant
is its stalest visible row; a step of the ladder passes when that never exceeds 1 s (after a
0.5 s ramp, judged just before every frame and at the step's end) and the simulator really
emitted >= 90 % of the rate. Baseline in the same run: ``kubectl get rollouts.argoproj.io -A -w
-o name`` on the same stream, each line timed against its event's emission.

Keypress-to-repaint: cursor down/up written to the pty while 1,000 events/s arrive, timed until
a frame shows the highlighted row on another line.
"""

from __future__ import annotations

import bisect
import threading
import time
from typing import Any

import screenread
from fig_paint import FLEET_NAMES, SIZE, paint_wait
from kubectl import Kubectl, WatchFollower
from ptyscreen import PtyScreen, Screen, rollout_tui_argv
from report import Figure, percentile
from simproc import SimProcess

LAG_LIMIT = 1.0
WARMUP = 0.5
KEYS_RATE = 1000.0
RATE_GOAL = 12_000.0
P99_GOAL_MS = 50.0
KEY_INTERVAL = 0.15


class Emissions:
    """When each seq# of one flood was emitted, from the simulator's timeline."""

    def __init__(self, flood: dict[str, Any]) -> None:
        self.first, self.last, self.pool = int(flood["first_seq"]), int(flood["last_seq"]), int(flood["pool"])
        self.points = [(float(t), int(s)) for t, s in flood["timeline"]]
        self.seqs = [s for _, s in self.points]

    def time_of(self, seq: int) -> float | None:
        """Upper bound of when ``seq`` was emitted (timeline points are 20 events apart)."""
        i = bisect.bisect_left(self.seqs, seq)
        return self.points[i][0] if i < len(self.points) else None

    def next_change(self, shown: int) -> int | None:
        """The first seq of this flood after ``shown`` that changes the same rollout."""
        nxt = shown + self.pool if shown >= self.first else self.first + (shown - self.first) % self.pool
        return nxt if nxt <= self.last else None

    def staleness(self, shown: list[int], at: float) -> float:
        worst = 0.0
        for seq in shown:
            nxt = self.next_change(seq)
            emitted = None if nxt is None else self.time_of(nxt)
            if emitted is not None and emitted < at:
                worst = max(worst, at - emitted)
        return worst


def _flood_async(sim: SimProcess, rate: float, seconds: float) -> tuple[threading.Thread, dict[str, Any]]:
    box: dict[str, Any] = {}

    def run() -> None:
        box.update(sim.request(op="flood", rate=rate, seconds=seconds, timeout=seconds + 120))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, box


def _judge(frames: list[tuple[float, list[int]]], flood: dict[str, Any], rate: float) -> dict[str, Any]:
    emissions = Emissions(flood)
    start = emissions.points[0][0] if emissions.points else 0.0
    end = start + float(flood["seconds"])
    lags: list[float] = []
    previous: list[int] = []
    for t, shown in frames:
        if start + WARMUP <= t <= end:
            lags.append(emissions.staleness(previous, t))  # just before this frame
        previous = shown
        if t > end:
            break
    before_end = [shown for t, shown in frames if t <= end]
    lags.append(emissions.staleness(before_end[-1] if before_end else [], end))
    achieved = float(flood["achieved_rate"])
    max_lag = max(lags) if lags else None
    return {
        "rate": rate,
        "achieved": achieved,
        "method": flood.get("method"),
        "max_lag": max_lag,
        "p50_lag": percentile(lags, 50),
        "frames": len(frames),
        "kept_up": max_lag is not None and max_lag < LAG_LIMIT and achieved >= 0.9 * rate,
        "generator_limited": achieved < 0.9 * rate,
    }


def ui_ladder(sim: SimProcess, pty: PtyScreen, rates: list[float], seconds: float) -> list[dict[str, Any]]:
    steps = []
    for rate in rates:
        frames: list[tuple[float, list[int]]] = []
        remove = pty.observe(lambda s, f=frames: f.append((s.t, screenread.seqs(s))))
        try:
            flood = sim.request(op="flood", rate=rate, seconds=seconds, timeout=seconds + 120)
            time.sleep(LAG_LIMIT + 0.5)  # frames that arrive after the step still tell its lag
        finally:
            remove()
        steps.append(_judge(frames, flood, rate))
        if not steps[-1]["kept_up"]:
            break
    return steps


def keys_under_load(sim: SimProcess, pty: PtyScreen, count: int) -> dict[str, Any]:
    seconds = count * (KEY_INTERVAL + 0.1) + 3
    thread, flood = _flood_async(sim, KEYS_RATE, seconds)
    time.sleep(1.0)
    latencies: list[float] = []
    misses = 0
    for i in range(count):
        time.sleep(KEY_INTERVAL)
        before = pty.with_screen(lambda s: screenread.cursor_line(s, FLEET_NAMES))
        frame = pty.snapshot()
        sent = pty.send("down" if i % 2 == 0 else "up")

        def moved(s: Screen, b: object = before) -> bool:
            line = screenread.cursor_line(s, FLEET_NAMES)
            return line is not None and line != b

        hit = pty.wait_for(moved, 5.0, since_frame=frame.frame if frame else 0)
        if hit is None or before is None:
            misses += 1
        else:
            latencies.append(hit.t - sent)
    thread.join(seconds + 120)
    return {"latencies": latencies, "misses": misses, "achieved": flood.get("achieved_rate")}


def kubectl_ladder(
    sim: SimProcess, rollouts: int, rates: list[float], seconds: float
) -> list[dict[str, Any]]:
    kubectl = Kubectl(sim.kubeconfig)
    kubectl.run("get", "rollouts.argoproj.io", "-A")  # warm the discovery cache
    follower = WatchFollower(kubectl)
    steps = []
    try:
        follower.wait_lines(rollouts, 120)
        seen = len(follower.times)
        for rate in rates:
            flood = sim.request(op="flood", rate=rate, seconds=seconds, timeout=seconds + 120)
            emitted = int(flood["emitted"])
            follower.wait_lines(seen + emitted, 10.0)  # a bounded grace period for the tail
            emissions = Emissions(flood)
            t0 = emissions.points[0][0] if emissions.points else 0.0
            lags = []
            for k, arrived in enumerate(follower.times[seen : seen + emitted]):
                sent = emissions.time_of(emissions.first + k)
                if sent is not None and sent - t0 >= WARMUP:
                    lags.append(arrived - sent)
            missing = emitted - len(follower.times[seen : seen + emitted])
            max_lag = None if missing > 0 or not lags else max(lags)
            achieved = float(flood["achieved_rate"])
            steps.append(
                {
                    "rate": rate,
                    "achieved": achieved,
                    "max_lag": max_lag,
                    "missing": missing,
                    "p50_lag": percentile(lags, 50),
                    "kept_up": max_lag is not None and max_lag < LAG_LIMIT and achieved >= 0.9 * rate,
                    "generator_limited": achieved < 0.9 * rate,
                }
            )
            seen = len(follower.times)
            time.sleep(1.0)
            if not steps[-1]["kept_up"]:
                break
    finally:
        follower.stop()
        kubectl.close()
    return steps


def best(steps: list[dict[str, Any]]) -> float:
    return max((s["rate"] for s in steps if s["kept_up"]), default=0.0)


def measure(rollouts: int, rates: list[float], seconds: float, key_samples: int) -> list[Figure]:
    with SimProcess(rollouts=rollouts, namespaces=max(1, rollouts // 50)) as sim:
        with PtyScreen(rollout_tui_argv("--kubeconfig", sim.kubeconfig), *SIZE) as pty:
            paint_wait(pty, rollouts)
            sim.request(op="flood", rate=4000, seconds=rollouts / 4000 + 0.05)  # every row gets a seq#
            time.sleep(1.5)
            ui_steps = ui_ladder(sim, pty, rates, seconds)
            keys = keys_under_load(sim, pty, key_samples)
            tracebacks = pty.tracebacks
        kubectl_steps = kubectl_ladder(sim, rollouts, rates, seconds)
    ours, theirs = best(ui_steps), best(kubectl_steps)
    ms = [x * 1000 for x in keys["latencies"]]
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    note = f"ladder {', '.join(f'{r:g}' for r in rates)} ev/s, {seconds:g} s per step, {rollouts} rollouts"
    emitted = ", ".join(f"{s['rate']:g}->{s['achieved']:,.0f}" for s in ui_steps)
    note += f"; emitted (asked->achieved) {emitted}"
    if ours >= max(rates):
        note += "; kept up at the top of the ladder (the true limit is higher)"
    met = ours >= RATE_GOAL and ours >= theirs
    return [
        Figure(
            "events.max_rate",
            "events/s the view keeps up with (< 1 s lag, read from the pty)",
            ours,
            "ev/s",
            f">= {RATE_GOAL:,.0f} ev/s and >= kubectl",
            met,
            theirs,
            "kubectl get -w -o name",
            note,
            extra={"ui_steps": ui_steps, "kubectl_steps": kubectl_steps, "tracebacks": tracebacks},
        ),
        Figure(
            "keys.p50_ms",
            f"keypress-to-repaint p50 under {KEYS_RATE:,.0f} ev/s (pty)",
            p50,
            "ms",
            "",
            None,
            extra={"samples": len(ms), "misses": keys["misses"], "achieved_rate": keys["achieved"]},
        ),
        Figure(
            "keys.p99_ms",
            f"keypress-to-repaint p99 under {KEYS_RATE:,.0f} ev/s (pty)",
            p99,
            "ms",
            f"<= {P99_GOAL_MS:.0f} ms",
            None if p99 is None else p99 <= P99_GOAL_MS,
            extra={"max_ms": max(ms) if ms else None},
        ),
    ]
