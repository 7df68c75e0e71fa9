"""Cold start observed on the pty: from spawning ``rollout-tui`` to (a) the first screenful of
table rows painted and (b) every rollout painted (the header's total equals the fleet and a full
screen of rows is shown), vs ``kubectl get rollouts.argoproj.io -A`` (median of N) on the same
simulator; the UI's peak RSS (VmHWM) and its settled RSS, from /proc.

Nothing runs inside the UI process: the figures are what reached the terminal (see
``screenread`` for what the detection keys on).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import procmem
import screenread
from kubectl import Kubectl, first_lines
from ptyscreen import PtyScreen, Screen, rollout_tui_argv
from report import Figure
from simproc import SimProcess

FLEET_NAMES = re.compile(r"\bsvc-\d{5}\b")  # fleetgen.fleet's rollout names
SIZE = (120, 40)
SETTLE = 1.0  # after every rollout is painted: the RSS is read and the full screen measured
RATIO_GOALS = {1_000: 4.0, 10_000: 0.7, 50_000: 0.4}  # issue 11
RSS_GOALS_MB = {10_000: 120.0, 50_000: 400.0}
FIRST_SCREEN_GOAL = (10_000, 0.6, 0.3)  # at 10,000 rollouts: <= 0.6 s and <= 0.3x kubectl


def namespaces_for(rollouts: int) -> int:
    return max(1, rollouts // 50)  # 10,000 rollouts in 200 namespaces


@dataclass
class Paint:
    """What the screen showed, frame by frame, until every rollout was painted, and the UI
    process's CPU seconds when each frame was judged."""

    total: int
    names: re.Pattern[str] = FLEET_NAMES
    pid: int = 0
    frames: list[tuple[float, int, bool, float]] = field(default_factory=list)  # (t, rows, total?, cpu)

    def observe(self, screen: Screen) -> None:
        rows = len(screenread.row_lines(screen, self.names))
        cpu = procmem.cpu_seconds(self.pid) if self.pid else 0.0
        self.frames.append((screen.t, rows, screenread.header_total_is(screen, self.total), cpu))

    def times(self, spawned: float, full: int) -> tuple[float | None, float | None]:
        """(first screenful, every rollout) in seconds after ``spawned``; ``full`` is the number
        of row lines on the settled screen."""
        first, every = self._first(full), self._every(full)
        return (
            None if first is None else first[0] - spawned,
            None if every is None else every[0] - spawned,
        )

    def cpu(self, full: int) -> tuple[float | None, float | None]:
        """The UI's CPU seconds at the first screenful and when every rollout was painted."""
        first, every = self._first(full), self._every(full)
        return (None if first is None else first[3], None if every is None else every[3])

    def _first(self, full: int) -> tuple[float, int, bool, float] | None:
        return next((f for f in self.frames if f[1] >= full), None)

    def _every(self, full: int) -> tuple[float, int, bool, float] | None:
        return next((f for f in self.frames if f[2] and f[1] >= full), None)


def paint_wait(
    pty: PtyScreen, total: int, timeout: float = 900, names: re.Pattern[str] = FLEET_NAMES
) -> Screen:
    """Wait until the screen shows every rollout (the header's total and rows); that frame."""

    def done(screen: Screen) -> bool:
        return screenread.header_total_is(screen, total) and bool(screenread.row_lines(screen, names))

    frame = pty.wait_for(done, timeout)
    if frame is None:
        raise RuntimeError(f"the UI never showed {total} rollouts within {timeout:.0f} s: {pty.describe()}")
    return frame


def paint(
    kubeconfig: str, total: int, extra_args: tuple[str, ...] = (), timeout: float = 900
) -> dict[str, Any]:
    """Start the UI on a pty, wait until every rollout is painted; times and memory."""
    tracker = Paint(total)
    pty = PtyScreen(rollout_tui_argv("--kubeconfig", kubeconfig, *extra_args), *SIZE)
    remove = pty.observe(tracker.observe)
    pty.start()
    tracker.pid = pty.pid
    try:
        paint_wait(pty, total, timeout)
        time.sleep(SETTLE)
        full = int(pty.with_screen(lambda s: len(screenread.row_lines(s, tracker.names))) or 0)
        memory = pty.memory()
    finally:
        remove()
        pty.stop()
    first, every = tracker.times(pty.spawned_at, max(1, full))
    cpu_first, cpu_every = tracker.cpu(max(1, full))
    return {
        "first_screen": first,
        "every": every,
        "cpu_first_screen": cpu_first,
        "cpu_every": cpu_every,
        "rows_on_screen": full,
        "settled_rss": memory.rss,
        "peak_rss": memory.peak,
        "bytes_to_terminal": pty.bytes_read,
        "tracebacks": pty.tracebacks,
    }


def _goal(goals: dict[int, float], size: int, value: float | None, unit: str) -> tuple[str, bool | None]:
    if size not in goals:
        return "", None
    goal = goals[size]
    return f"<= {goal:g}{unit}", None if value is None else value <= goal


def measure(rollouts: int, repeats: int) -> list[Figure]:
    namespaces = namespaces_for(rollouts)
    with SimProcess(rollouts=rollouts, namespaces=namespaces) as sim:
        kubectl = Kubectl(sim.kubeconfig)
        try:
            baseline = kubectl.timed("get", "rollouts.argoproj.io", "-A", repeats=repeats)
            k_first, _ = first_lines(kubectl, SIZE[1] - 4, "get", "rollouts.argoproj.io", "-A")
        finally:
            kubectl.close()
        ui = paint(sim.kubeconfig, rollouts)
    where = f"{rollouts:,} rollouts / {namespaces} ns"
    every, first = ui["every"], ui["first_screen"]
    cpu_note = _cpu_note(ui)
    ratio = every / baseline if every is not None and baseline else None
    first_ratio = first / baseline if first is not None and baseline else None
    peak_mb = ui["peak_rss"] / 1e6
    ratio_goal, ratio_met = _goal(RATIO_GOALS, rollouts, ratio, "x")
    rss_goal, rss_met = _goal(RSS_GOALS_MB, rollouts, peak_mb, " MB")
    first_goal, first_met = "", None
    if rollouts == FIRST_SCREEN_GOAL[0] and first is not None and first_ratio is not None:
        first_goal = f"<= {FIRST_SCREEN_GOAL[1]} s and <= {FIRST_SCREEN_GOAL[2]}x"
        first_met = first <= FIRST_SCREEN_GOAL[1] and first_ratio <= FIRST_SCREEN_GOAL[2]
    extra = {k: v for k, v in ui.items()} | {"kubectl_first_screen_s": k_first, "rollouts": rollouts}
    return [
        Figure(f"coldstart.{rollouts}.seconds", f"cold start to every rollout painted (pty), {where}",
               every, "s", "", None, baseline, "kubectl get -A", cpu_note, extra=extra),
        Figure(f"coldstart.{rollouts}.ratio", f"cold start ratio vs kubectl, {where}",
               ratio, "x", ratio_goal, ratio_met),
        Figure(f"firstscreen.{rollouts}.seconds", f"first screenful of rows painted (pty), {where}",
               first, "s", first_goal, first_met, baseline, "kubectl get -A",
               f"ratio {first_ratio:.2f}x; kubectl's own first {SIZE[1] - 4} lines after {k_first:.3f} s"
               if first_ratio is not None else ""),
        Figure(f"rss.{rollouts}.peak_mb", f"peak RSS of the UI (VmHWM), {where}",
               peak_mb, "MB", rss_goal, rss_met, extra={"settled_mb": ui["settled_rss"] / 1e6}),
    ]  # fmt: skip


def _cpu_note(ui: dict[str, Any]) -> str:
    """The UI process's CPU seconds by then: on a shared machine, what moves least with the load."""
    first, every = ui.get("cpu_first_screen"), ui.get("cpu_every")
    if first is None or every is None:
        return ""
    return f"UI CPU {first:.2f} s at the first screenful, {every:.2f} s when every rollout was painted"


def bytes_per_rollout(figures: list[Figure]) -> list[Figure]:
    """RSS slope over fleet size between the two largest cold starts of this run (settled RSS)."""
    points = sorted(
        (int(f.extra["rollouts"]), float(f.extra["settled_rss"]))
        for f in figures
        if f.key.startswith("coldstart.") and f.key.endswith(".seconds") and "settled_rss" in f.extra
    )
    if len(points) < 2:
        return []
    (n1, r1), (n2, r2) = points[-2], points[-1]
    if n2 <= n1:
        return []
    value = (r2 - r1) / (n2 - n1)
    return [
        Figure(
            "memory.bytes_per_rollout",
            f"bytes per stored rollout (settled RSS slope, {n1:,} -> {n2:,} rollouts)",
            value,
            "B",
            "",
            None,
            notes=f"settled RSS {r1 / 1e6:.0f} MB at {n1:,}, {r2 / 1e6:.0f} MB at {n2:,}; a fleetgen "
            "rollout is ~2 KB of JSON",
            extra={"points": points},
        )
    ]
