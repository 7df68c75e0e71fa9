"""A process's memory (and CPU time) as the kernel reports it (``/proc/PID/status``, ``stat``),
sampled from outside.

VmRSS is what the process holds now, VmHWM its peak RSS so far (the kernel's high-water mark,
so a peak between two samples is not missed). CPU time (user + system, every thread) is what the
process spent, whatever else the machine was doing: on a shared machine wall times move with the
load, CPU seconds much less.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Memory:
    rss: int  # bytes
    peak: int  # bytes

    @property
    def rss_mb(self) -> float:
        return self.rss / 1e6

    @property
    def peak_mb(self) -> float:
        return self.peak / 1e6


def read(pid: int) -> Memory:
    fields: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return Memory(0, 0)
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024
    return Memory(fields.get("VmRSS", 0), fields.get("VmHWM", 0))


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the process so far (every thread), 0.0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (proc(5) fields 14, 15)


def catches(pid: int, signum: int) -> bool:
    """True if the process has a handler for ``signum`` (SigCgt), so sending it cannot kill it."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    except (OSError, ValueError):
        pass
    return False


def slope_per_hour(samples: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (time s, value) in value units per hour."""
    if len(samples) < 3:
        return None
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_v = sum(v for _, v in samples) / n
    var = sum((t - mean_t) ** 2 for t, _ in samples)
    if var <= 0:
        return None
    cov = sum((t - mean_t) * (v - mean_v) for t, v in samples)
    return cov / var * 3600.0


class Sampler:
    """RSS of ``pid`` every ``period`` seconds in a thread: ``samples`` is [(time, MB)]."""

    def __init__(self, pid: int, period: float) -> None:
        self.pid, self.period = pid, period
        self.samples: list[tuple[float, float]] = []
        self.peak_mb = 0.0
        self.load: list[float] = []  # the 1-minute load average at each sample (a shared machine)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"rss-{pid}")

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            memory = read(self.pid)
            if memory.rss:
                self.samples.append((time.time(), memory.rss_mb))
                self.peak_mb = max(self.peak_mb, memory.peak_mb)
                self.load.append(os.getloadavg()[0])
            if self._stop.wait(self.period):
                return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def summary(self, warmup: float) -> dict[str, object]:
        """Slope after the first ``warmup`` seconds, and the RSS at its start and end."""
        if not self.samples:
            return {"samples": 0}
        t0 = self.samples[0][0]
        steady = [(t, v) for t, v in self.samples if t - t0 >= warmup]
        return {
            "samples": len(self.samples),
            "period_s": self.period,
            "warmup_s": warmup,
            "first_mb": round(self.samples[0][1], 1),
            "after_warmup_mb": round(steady[0][1], 1) if steady else None,
            "last_mb": round(self.samples[-1][1], 1),
            "max_mb": round(max(v for _, v in self.samples), 1),
            "peak_hwm_mb": round(self.peak_mb, 1),
            "growth_after_warmup_mb": round(steady[-1][1] - steady[0][1], 1) if len(steady) > 1 else None,
            "max_above_warmup_mb": round(max(v for _, v in steady) - steady[0][1], 1) if steady else None,
            "slope_mb_per_hour": slope_per_hour(steady),
            "steady_minutes": round((steady[-1][0] - steady[0][0]) / 60, 2) if len(steady) > 1 else 0.0,
            "load_1m_mean": round(sum(self.load) / len(self.load), 2) if self.load else None,
            "load_1m_max": round(max(self.load), 2) if self.load else None,
            "series_mb": [round(v, 1) for _, v in self.samples[:: max(1, len(self.samples) // 200)]],
        }
